import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiProblem } from '../src/problem';
import type { Schemas } from '../src/client';
import { admin, apiUrl, eventually, firstGrid, idNumber, minutesAgo, mobile, phone, photoFile, run } from './support';

// The whole story through the typed client on the live backend: a resident signs in and applies, a grid leader
// approves (it waited in the leader's to-dos), the member logs a patrol, the leader confirms it, the member attends the
// leader's event (sign-up, check-in with the rotating code, attendance) and takes a certificate of it that anyone can verify,
// and the inbox, the points and the leaderboard show it.
// Steps share state, so they run in order.
describe('a resident becomes a member and patrols', { concurrency: false }, () => {
  const subDistrictAdmin = admin();
  const leader = phone(`leader-${run}`);
  const resident = phone(`resident-${run}`);
  let grid: Schemas['OrgTreeNode'];
  let application: Schemas['ApplicationView'];
  let member: Schemas['MemberView'];
  let patrol: Schemas['PatrolView'];

  test('SignIn_WhenFirstWxLoginCode_CreatesTheResidentAndKeepsTheSession', async () => {
    const session = await resident.client.signIn();
    assert.equal(session.isNewUser, true);
    assert.ok(session.accessToken.length > 20);
    const me = await resident.client.get('/api/me');
    assert.equal(me.userId, session.userId);
    assert.deepEqual(me.roles, []);
  });

  test('AssignRole_WhenAdminMakesAGridLeader_LeaderWorksAfterTheClientSignsInAgain', async () => {
    const tree = await subDistrictAdmin.client.get('/api/org/tree');
    grid = firstGrid(tree);
    const leaderSession = await leader.client.signIn();
    await subDistrictAdmin.client.post('/api/org/units/{unitId}/roles', {
      path: { unitId: grid.id },
      body: { userId: leaderSession.userId, role: 'GridLeader' },
    });
    // A role change ends the leader's sessions; the client renews, finds the refresh token revoked and signs in again.
    const me = await leader.client.get('/api/me');
    assert.ok(me.roles.some((r) => r.role === 'GridLeader' && r.orgUnitId === grid.id));
    assert.notEqual(leader.client.currentSession?.accessToken, leaderSession.accessToken);
  });

  test('Apply_WhenTheIdNumberIsWrong_ThrowsAValidationProblemNamingTheField', async () => {
    const error = await resident.client
      .post('/api/membership/applications', {
        body: {
          realName: '张三', phone: mobile(), idNumber: '430103198501011234', gridId: grid.id, address: '大托铺街道1号',
          volunteerRoles: ['Patrol'], privacyNoticeVersion: '2026-11', consent: true, notifyOnDecision: false,
        },
      })
      .then(() => assert.fail('an invalid ID number was accepted'), (e: unknown) => e);
    assert.ok(error instanceof ApiProblem, String(error));
    assert.equal(error.status, 400);
    assert.ok(error.isValidation);
    assert.ok(error.fieldErrors('idNumber').length > 0, JSON.stringify(error.errors));
    // The app branches on the code, and shows the server's Chinese words under the field.
    const shown = error.has('membership.idNumber.checkDigit') ? error.fieldErrors('idNumber')[0] : '请检查填写的内容';
    assert.equal(shown, '身份证号校验位不正确');
    assert.deepEqual(error.fieldCodes('idNumber'), ['membership.idNumber.checkDigit']);
  });

  test('Apply_WhenTheAnswerIsLostAndTheClientRetries_CreatesOneApplication', async () => {
    resident.shim.loseAnswerOf = (method, path) => method === 'POST' && path === '/api/membership/applications';
    application = await resident.client.post('/api/membership/applications', {
      body: {
        realName: '李四', phone: mobile(), idNumber: idNumber(), gridId: grid.id, address: '大托铺街道2号',
        volunteerRoles: ['Patrol', 'Publicity'], privacyNoticeVersion: '2026-11', consent: true, notifyOnDecision: false,
      },
    });
    const sent = resident.shim.seen.filter((r) => r.method === 'POST' && r.path === '/api/membership/applications');
    assert.equal(sent.length, 3, 'the invalid one, then the lost one and its retry');
    assert.ok(sent[1]!.idempotencyKey);
    assert.equal(sent[2]!.idempotencyKey, sent[1]!.idempotencyKey, 'the retry reuses the action key');
    const mine = await resident.client.get('/api/membership/applications/mine');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.id, application.id);
    assert.equal(application.status, 'Pending');
    assert.match(application.idNumberMasked ?? '', /\*/, 'ID numbers come back masked');
  });

  test('Todos_WhenAnApplicationWaits_TheLeadersToDosShowItWithTheCallThatApprovesIt', async () => {
    const todos = await leader.client.get('/api/todos');
    const applications = todos.groups.find((g) => g.kind === 'ApplicationsToDecide');
    assert.ok(applications, JSON.stringify(todos));
    assert.equal(applications.label, '待审核入会申请');
    const item = applications.first.find((i) => i.id === application.id);
    assert.ok(item, 'the oldest applications are listed');
    assert.deepEqual(item.act, { method: 'POST', path: `/api/membership/applications/${application.id}/approve` });
    assert.ok(todos.total >= 1);
  });

  test('ApproveApplication_WhenTheGridLeaderApproves_TheResidentIsAnActiveMember', async () => {
    const pending = await leader.client.get('/api/membership/applications', { query: { status: 'Pending', gridId: grid.id } });
    const mine = pending.find((a) => a.id === application.id);
    assert.ok(mine, 'the leader sees the application of their grid');
    await leader.client.post('/api/membership/applications/{id}/approve', { path: { id: application.id } });
    member = await resident.client.get('/api/members/me');
    assert.equal(member.status, 'Active');
    assert.equal(member.gridId, grid.id);
  });

  test('Patrol_WhenTheMemberPatrolsWithAPhotoAndTheLeaderConfirms_PointsAreAwarded', async () => {
    const photo = await resident.client.uploadPhoto(await photoFile());
    assert.equal(photo.contentType, 'image/png');

    resident.shim.loseAnswerOf = (method, path) => method === 'POST' && path === '/api/patrols';
    patrol = await resident.client.post('/api/patrols', { body: { lat: 28.07, lng: 112.98, at: minutesAgo(70) } });
    await resident.client.post('/api/patrols/{id}/checkins', {
      path: { id: patrol.id },
      body: { lat: 28.072, lng: 112.98, photoRef: photo.id, note: '巷口正常', at: minutesAgo(40) },
    });
    const finished = await resident.client.post('/api/patrols/{id}/finish', {
      path: { id: patrol.id },
      body: { lat: 28.07, lng: 112.981, at: minutesAgo(1) },
    });
    assert.equal(finished.status, 'Finished');

    const own = await resident.client.get('/api/patrols', { query: { memberId: member.id } });
    assert.equal(own.length, 1, 'the lost answer and its retry made one patrol');

    const confirmed = await leader.client.post('/api/patrols/{id}/confirm', { path: { id: patrol.id } });
    assert.equal(confirmed.status, 'Confirmed');

    const statement = await resident.client.get('/api/points/me', { query: { page: 1, pageSize: 20 } });
    const patrolPoints = statement.entries.filter((e) => e.workKind === 'PatrolCompleted' || e.workKind === 'PatrolHour');
    assert.ok(patrolPoints.length >= 1, JSON.stringify(statement.entries));
    assert.ok(statement.totals.balance > 0);
    assert.equal(statement.totals.balance, statement.entries.reduce((sum, e) => sum + e.points, 0));
  });

  test('Inbox_AfterTheDecisionAndTheConfirmation_TellsTheMemberOfBothInChinese', async () => {
    const inbox = await resident.client.get('/api/notifications', { query: { pageSize: 50 } });
    const approved = inbox.items.find((n) => n.kind === 'ApplicationApproved');
    const confirmed = inbox.items.find((n) => n.kind === 'PatrolConfirmed');
    assert.ok(approved && confirmed, JSON.stringify(inbox.items.map((n) => n.kind)));
    assert.match(approved.body, /[\u4e00-\u9fff]/);
    assert.equal(confirmed.subjectPath, `/api/patrols/${patrol.id}`);
    assert.ok(inbox.unread >= 2);
    const read = await resident.client.post('/api/notifications/{id}/read', { path: { id: confirmed.id } });
    assert.ok(read.readAt);
    const count = await resident.client.get('/api/notifications/unread-count');
    assert.equal(count.unread, inbox.unread - 1);
  });

  test('Event_WhenTheMemberSignsUpAndChecksInWithTheLeadersCode_AttendanceEarnsPointsAndServiceTime', async () => {
    const startsAt = new Date(Date.now() + 6_000);
    const event = await leader.client.post('/api/events', {
      body: {
        unitId: grid.id, kind: 'Training', title: '防诈骗知识培训', description: null, place: '社区活动室', lat: 28.07, lng: 112.98,
        radiusMeters: 200, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        signupDeadline: new Date(startsAt.getTime() - 1_000).toISOString(), capacity: 20, waitlistCapacity: 5, audience: 'Members',
      },
    });
    const signup = await resident.client.post('/api/events/{id}/signups', { path: { id: event.id }, body: { waitlist: true } });
    assert.equal(signup.state, 'Confirmed');
    const code = await leader.client.get('/api/events/{id}/check-in-code', { path: { id: event.id } });
    const checkedIn = await resident.client.post('/api/events/{id}/check-in', { path: { id: event.id }, body: { code: code.code, lat: null, lng: null } });
    assert.equal(checkedIn.checkInMethod, 'Code');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt.getTime() - Date.now() + 500)));
    const attendance = await leader.client.post('/api/events/{id}/attendance', { path: { id: event.id }, body: { present: null, absent: null } });
    assert.equal(attendance.attended, 1);
    const statement = await resident.client.get('/api/points/me', { query: { page: 1, pageSize: 50 } });
    assert.ok(statement.entries.some((e) => e.workKind === 'EventAttended' && e.sourceKind === 'Event'), JSON.stringify(statement.entries));
    const hours = await resident.client.get('/api/events/service-hours');
    assert.equal(hours.events, 1);
  });

  test('Certificate_AfterTheEvent_TheMemberDownloadsAPdfWhoseSerialAnyoneCanVerify', async () => {
    const chinaDay = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const hours = await resident.client.get('/api/events/service-hours');
    const certificate = await resident.client.post('/api/certificates', {
      body: { memberId: null, year: null, from: chinaDay(-1), until: chinaDay(1) },
    });
    assert.equal(certificate.figures.eventsAttended, 1);
    assert.equal(certificate.figures.minutes, hours.minutes);
    assert.equal(certificate.periodUntil, chinaDay(0));
    assert.ok(certificate.verifyUrl.endsWith(`/api/verify/${certificate.serial.replaceAll('-', '')}`), certificate.verifyUrl);
    const pdf = await resident.client.get('/api/certificates/{id}/pdf', { path: { id: certificate.id } });
    assert.equal(Buffer.from(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
    const answer = await fetch(`${apiUrl}/api/verify/${certificate.serial}`, { headers: { accept: 'application/json' } });
    assert.equal(answer.status, 200);
    const verification = (await answer.json()) as Schemas['CertificateVerification'];
    assert.equal(verification.revoked, false);
    assert.equal(verification.figures.eventsAttended, 1);
    assert.ok(verification.holderName.endsWith('*'), verification.holderName);
  });

  test('Leaderboard_AfterTheConfirmation_ShowsTheMemberWithTheirPoints', async () => {
    const statement = await resident.client.get('/api/points/me');
    const board = await eventually(
      () => leader.client.get('/api/leaderboards/{scope}/{scopeId}', { path: { scope: 'Grid', scopeId: grid.id }, query: { top: 50 } }),
      (b) => b.entries.some((e) => e.memberId === member.id && e.points === statement.totals.balance),
    );
    const entry = board.entries.find((e) => e.memberId === member.id);
    assert.ok(entry, JSON.stringify(board));
    assert.equal(entry.points, statement.totals.balance);
    assert.equal(entry.rank, 1);

    const standing = await resident.client.get('/api/leaderboards/me');
    const inGrid = standing.standings.find((s) => s.scope === 'Grid');
    assert.ok(inGrid);
    assert.equal(inGrid.rank, 1);
    assert.equal(inGrid.points, statement.totals.balance);
  });

  test('Problem_WhenALeaderReadsAMemberOutsideTheirScope_IsATypedNotFoundOrForbidden', async () => {
    const error = await leader.client.get('/api/members/{id}', { path: { id: 987654321 } }).catch((e: unknown) => e);
    assert.ok(error instanceof ApiProblem);
    assert.ok(error.isNotFound || error.isForbidden, `status ${error.status}`);
    assert.ok(error.title.length > 0);
  });
});
