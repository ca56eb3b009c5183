// Compile-time checks of the client's typing: `tsc --strict` fails when any @ts-expect-error below stops being
// an error, i.e. when the client would let a mini-program developer make one of these mistakes. Never run.
import type { AssociationClient } from '../src/client';
import { enumLabels } from '../src/labels';
import type { ApiProblem, ErrorCode } from '../src/problem';

export async function typingChecks(client: AssociationClient): Promise<void> {
  // @ts-expect-error an unknown path
  await client.get('/api/nothing-here');
  // @ts-expect-error a path parameter is required
  await client.get('/api/patrols/{id}');
  // @ts-expect-error path parameters are numbers where the contract says integer
  await client.get('/api/patrols/{id}', { path: { id: 'seven' } });
  // @ts-expect-error the body of a create is required
  await client.post('/api/patrols');
  // @ts-expect-error a field the server would refuse
  await client.post('/api/patrols', { body: { lat: 1, lng: 2, speed: 3 } });
  // @ts-expect-error enums are the contract's strings
  await client.get('/api/leaderboards/{scope}/{scopeId}', { path: { scope: 'Street', scopeId: 1 } });
  // @ts-expect-error only creates that take an Idempotency-Key accept one
  await client.post('/api/patrols/{id}/confirm', { path: { id: 1 }, idempotencyKey: 'k' });
  // @ts-expect-error GET is not an operation of this path
  await client.get('/api/auth/sign-in');

  const patrol = await client.post('/api/patrols', { body: { lat: 1, lng: 2 }, idempotencyKey: client.newIdempotencyKey() });
  const status: 'InProgress' | 'Finished' | 'Confirmed' | 'Rejected' = patrol.status;
  const ended: undefined = await client.post('/api/auth/sign-out');
  const sheet: ArrayBuffer = await client.get('/api/members/export');
  void status;
  void ended;
  void sheet;
}

export function errorCodeChecks(problem: ApiProblem): string {
  const code: ErrorCode = problem.code;
  // @ts-expect-error a code the API never answers
  const invented: ErrorCode = 'membership.idNumber.misspelt';
  // @ts-expect-error has() takes only codes of the contract
  problem.has('points.award.typo');
  const label: '网格长' = enumLabels.Role.GridLeader;
  void invented;
  switch (code) {
    case 'membership.idNumber.checkDigit':
      return problem.fieldErrors('idNumber')[0] ?? label;
    default:
      return problem.detail ?? problem.title;
  }
}
