import { reactive } from 'vue';
import { getJson, postJson, setCsrfToken, type Schemas } from './api/client';

type Session = Schemas['ConsoleSessionView'];

/** Who is signed in to the console; null until the session is read or after signing out. */
export const session = reactive<{ current: Session | null; checked: boolean }>({ current: null, checked: false });

export async function loadSession(): Promise<Session | null> {
  try {
    const current = await getJson<Session>('/console/session');
    setCsrfToken(current.csrfToken);
    session.current = current;
  } catch {
    session.current = null;
  }
  session.checked = true;
  return session.current;
}

export async function signOut(): Promise<void> {
  try {
    await postJson('/console/sign-out');
  } finally {
    setCsrfToken(null);
    session.current = null;
  }
}

/** The highest unit the person holds a role on: what the dashboard and lists start from. */
export function homeUnit(): { unitId: number; unitName: string; role: string } | null {
  const roles = session.current?.roles ?? [];
  const order = ['DistrictAdmin', 'SubDistrictAdmin', 'VillageAdmin', 'GridLeader'];
  const sorted = [...roles].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  return sorted[0] ? { unitId: sorted[0].unitId, unitName: sorted[0].unitName, role: sorted[0].role } : null;
}

export function hasRole(...roles: string[]): boolean {
  return (session.current?.roles ?? []).some((r) => roles.includes(r.role));
}
