import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AssociationClient } from '../src/client';
import { ApiProblem, NetworkError } from '../src/problem';
import { apiUrl, phone, run } from './support';

const STORAGE_KEY = 'association.session';

describe('sessions on the phone', () => {
  test('Renew_WhenTheStoredAccessTokenIsRejected_RenewsOnceForConcurrentRequests', async () => {
    const first = phone(`renew-${run}`);
    await first.client.signIn();
    first.shim.editStorage(STORAGE_KEY, (s) => ({ ...s, accessToken: 'at_expired-long-ago' }));
    // The app restarts with what it kept.
    const restarted = new AssociationClient({ baseUrl: apiUrl, wx: first.shim.wx });
    const before = first.shim.seen.length;
    const answers = await Promise.all([restarted.get('/api/me'), restarted.get('/api/me'), restarted.get('/api/org/tree')]);
    assert.equal(answers[0].userId, restarted.currentSession?.userId);
    const after = first.shim.seen.slice(before);
    assert.equal(after.filter((r) => r.path === '/api/auth/renew').length, 1, JSON.stringify(after));
    assert.equal(after.filter((r) => r.path === '/api/auth/sign-in').length, 0);
  });

  test('SignIn_WhenTheRefreshTokenIsSpentToo_SignsInAgainWithANewWxLoginCode', async () => {
    const p = phone(`relogin-${run}`);
    const original = await p.client.signIn();
    p.shim.editStorage(STORAGE_KEY, (s) => ({ ...s, accessToken: 'at_spoilt', refreshToken: 'rt_spoilt' }));
    const restarted = new AssociationClient({ baseUrl: apiUrl, wx: p.shim.wx });
    const me = await restarted.get('/api/me');
    assert.equal(me.userId, original.userId, 'the same WeChat user gets the same account');
    assert.equal(p.shim.seen.filter((r) => r.path === '/api/auth/sign-in').length, 2);
  });

  test('SignOut_WhenDone_TheOldTokenNoLongerWorksAndNothingIsKept', async () => {
    const p = phone(`signout-${run}`);
    const session = await p.client.signIn();
    await p.client.signOut();
    assert.equal(p.client.currentSession, null);
    assert.equal(p.shim.wx.getStorageSync(STORAGE_KEY), '');
    const rejected = await fetch(`${apiUrl}/api/me`, { headers: { Authorization: `Bearer ${session.accessToken}` } });
    assert.equal(rejected.status, 401);
    assert.match(rejected.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  test('UploadPhoto_WhenTheFileIsNotAnImage_ThrowsAProblem', async () => {
    const p = phone(`upload-${run}`);
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(await mkdtemp(join(tmpdir(), 'wx-temp-')), 'note.png');
    await writeFile(path, 'this is text pretending to be a PNG');
    const error = await p.client.uploadPhoto(path).catch((e: unknown) => e);
    assert.ok(error instanceof ApiProblem, String(error));
    assert.ok(error.status === 400 || error.status === 415 || error.status === 403, `status ${error.status}`);
  });

  test('Request_WhenTheServerIsUnreachable_ThrowsANetworkErrorAfterRetrying', async () => {
    const p = phone(`offline-${run}`);
    const offline = new AssociationClient({ baseUrl: 'http://127.0.0.1:9', wx: p.shim.wx, retries: 1, timeoutMs: 2000 });
    const error = await offline.get('/api/me').catch((e: unknown) => e);
    assert.ok(error instanceof NetworkError, String(error));
    assert.ok(p.shim.seen.every((r) => r.path === '/api/auth/sign-in'));
  });
});
