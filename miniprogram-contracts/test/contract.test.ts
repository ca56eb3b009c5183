import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiUrl } from './support';

const root = join(__dirname, '..', '..');
const committed = JSON.parse(readFileSync(join(root, 'openapi.json'), 'utf8'));

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

test('Contract_WhenLintedWithRedoclyRecommendedStrict_HasNoProblems', () => {
  const lint = run(process.execPath, [join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', 'openapi.json', '--format=stylish']);
  assert.equal(lint.status, 0, lint.stdout + lint.stderr);
});

test('Contract_WhenServedByTheRunningBackend_EqualsTheCommittedFile', async () => {
  const served = await (await fetch(`${apiUrl}/openapi/v1.json`)).json();
  assert.deepEqual(served, committed, 'openapi.json is stale: build the backend (it rewrites the file) and commit it');
});

test('Contract_WhenComparedWithGit_IsCommittedAsTheBuildWroteIt', (t) => {
  const inside = run('git', ['rev-parse', '--is-inside-work-tree']);
  if (inside.status !== 0) {
    t.skip('not a git checkout');
    return;
  }
  const status = run('git', ['status', '--porcelain', '--', 'openapi.json', 'src/api.d.ts', 'src/operations.ts']);
  assert.equal(status.stdout.trim(), '', 'the build or `npm run generate` changed the contract; commit it with the code that changed it');
});

test('GeneratedTypes_WhenRegeneratedFromTheContract_AreUpToDate', () => {
  const check = run(process.execPath, [join(root, 'tools/generate.mjs'), '--check']);
  assert.equal(check.status, 0, check.stderr);
});

test('Contract_EveryOperation_UsesAMethodThatWxRequestHas', () => {
  // wx.request's methods (its documentation lists these eight); a mini-program cannot send any other, PATCH included.
  const wxRequest = ['options', 'get', 'head', 'post', 'put', 'delete', 'trace', 'connect'];
  const pathItemFields = ['summary', 'description', 'servers', 'parameters'];
  for (const [path, item] of Object.entries<Record<string, any>>(committed.paths)) {
    for (const method of Object.keys(item).filter((key) => !pathItemFields.includes(key))) {
      assert.ok(wxRequest.includes(method), `${method.toUpperCase()} ${path} cannot be sent with wx.request`);
    }
  }
});

test('Contract_EveryOperation_HasAnIdASummaryAndProblemDetailsErrors', () => {
  const methods = ['get', 'post', 'put', 'delete'];
  const ids = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, any>>(committed.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (!methods.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      assert.match(operation.operationId ?? '', /^[A-Z][A-Za-z]+$/, `${where} has no operation id`);
      assert.ok(!ids.has(operation.operationId), `${where}: operation id ${operation.operationId} is used twice`);
      ids.add(operation.operationId);
      assert.ok((operation.summary ?? '').length >= 10, `${where} has no summary`);
      const errors = Object.entries<any>(operation.responses).filter(([code]) => code === 'default' || code.startsWith('4'));
      assert.ok(errors.length > 0, `${where} lists no errors`);
      for (const [code, response] of errors) {
        assert.ok(response.content?.['application/problem+json'], `${where} ${code} is not a ProblemDetails`);
      }
      if (operation.requestBody) {
        assert.ok(Object.keys(operation.requestBody.content ?? {}).length > 0, `${where} has a body without a schema`);
      }
      const success = Object.entries<any>(operation.responses).filter(([code]) => code.startsWith('2'));
      assert.ok(success.length > 0, `${where} has no success response`);
      for (const [code, response] of success) {
        assert.ok(code === '204' || Object.keys(response.content ?? {}).length > 0, `${where} ${code} has no schema`);
      }
    }
  }
  assert.ok(ids.size >= 80, `only ${ids.size} operations`);
});
