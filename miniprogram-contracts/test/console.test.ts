import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiProblem } from '../src/problem';
import { admin, apiUrl, phone, run } from './support';

// What the mini-program does after scanning the web console's QR code: it sends the ticket back with its own session.
async function consoleTicket(): Promise<string> {
  const response = await fetch(`${apiUrl}/admin/api/console/login-tickets`, { method: 'POST' });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { ticket: string; qrContent: string };
  assert.ok(body.qrContent.endsWith(body.ticket));
  return body.ticket;
}

test('ConsoleTicket_WhenScannedByTheAdmin_IsConfirmedOnceThroughTheTypedClient', async () => {
  const ticket = await consoleTicket();
  const confirmed = await admin().client.post('/api/console/login-tickets/confirm', { body: { ticket } });
  assert.ok(Date.parse(confirmed.confirmedAt) > 0);
  const again = await admin()
    .client.post('/api/console/login-tickets/confirm', { body: { ticket } })
    .then(() => assert.fail('a ticket was confirmed twice'), (e: unknown) => e);
  assert.ok(again instanceof ApiProblem);
  assert.ok(again.has('console.ticket.used'));
});

test('ConsoleTicket_WhenScannedByAResident_IsRefusedWithItsChineseMessage', async () => {
  const error = await phone(`console-resident-${run}`)
    .client.post('/api/console/login-tickets/confirm', { body: { ticket: await consoleTicket() } })
    .then(() => assert.fail('a resident signed a console in'), (e: unknown) => e);
  assert.ok(error instanceof ApiProblem);
  assert.equal(error.status, 403);
  assert.ok(error.has('console.ticket.notStaff'));
  assert.match(error.message, /管理员/);
});
