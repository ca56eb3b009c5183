import type { components } from './schema';

export type Schemas = components['schemas'];

/** The console reaches the API under its own prefix, where its cookie counts. */
export const apiBase = '/admin/api';

/** A refused request, in the caller's language as the server worded it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** What a page shows for a failure: the server's words and those of each field it named, or the page's own. */
export function problemText(e: unknown, fallback: string): string {
  return e instanceof ApiProblem ? [e.message, ...Object.values(e.fields).flat()].join('：') : fallback;
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What the console does when the server says the session is gone: back to the QR code. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  try {
    const body = await response.json();
    return new ApiProblem(response.status, body.code ?? 'http.unknown', body.detail ?? body.title ?? '请求失败', body.errors ?? {});
  } catch {
    return new ApiProblem(response.status, 'http.unknown', `请求失败（${response.status}）`);
  }
}

export async function send(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN', ...extraHeaders };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(apiBase + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 401 && !path.startsWith('/console/login-tickets')) {
    onSignedOut();
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response;
}

/** A file sent as multipart form data (field <c>file</c>), with the session's CSRF token like any write. */
export async function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN' };
  if (csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(apiBase + path, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  if (response.status === 401) {
    onSignedOut();
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return (await response.json()) as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await send('GET', path)).json()) as T;
}

export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  const response = await send('POST', path, body ?? {}, { 'Idempotency-Key': crypto.randomUUID() });
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export async function putJson<T>(path: string, body: unknown): Promise<T> {
  return (await (await send('PUT', path, body)).json()) as T;
}

/** A sheet the server writes (.xlsx): fetched with the session, then saved by the browser under the server's name. */
export async function download(path: string): Promise<string> {
  const response = await send('GET', path);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'export.xlsx';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = decodeURIComponent(name);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return link.download;
}

export function query(values: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return parts.length === 0 ? '' : '?' + parts.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}
