// Regenerates what src/ derives from openapi.json: the TypeScript types (openapi-typescript) and the runtime
// list of operations that take an Idempotency-Key or answer with bytes. `--check` compares instead of writing,
// and fails naming the file that drifted.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const contract = JSON.parse(readFileSync(join(root, 'openapi.json'), 'utf8'));

function typesSource() {
  const out = join(mkdtempSync(join(tmpdir(), 'contracts-')), 'api.d.ts');
  execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, 'openapi.json'), '--output', out], { stdio: 'ignore' });
  return readFileSync(out, 'utf8');
}

function operationsSource() {
  const idempotent = [];
  const binary = [];
  for (const [path, item] of Object.entries(contract.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const key = `${method.toUpperCase()} ${path}`;
      if ((operation.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) idempotent.push(key);
      const ok = operation.responses?.['200']?.content ?? {};
      if (Object.keys(ok).length > 0 && !('application/json' in ok)) binary.push(key);
    }
  }
  const list = (keys) => keys.map((k) => `  '${k}',`).join('\n');
  return `// Generated from openapi.json by tools/generate.mjs; do not edit.\n\n`
    + `/** Creates a phone may retry: the client sends one Idempotency-Key per action and reuses it on every retry. */\n`
    + `export const idempotentOperations: ReadonlySet<string> = new Set([\n${list(idempotent)}\n]);\n\n`
    + `/** Downloads (.xlsx, photos): answered as bytes, not JSON. */\n`
    + `export const binaryOperations: ReadonlySet<string> = new Set([\n${list(binary)}\n]);\n`;
}

function labelsSource() {
  const enums = {};
  for (const [name, schema] of Object.entries(contract.components.schemas)) {
    if (schema['x-enum-labels']) enums[name] = schema['x-enum-labels'];
  }
  const json = (value) => JSON.stringify(value, null, 2);
  return `// Generated from openapi.json by tools/generate.mjs; do not edit.\n\n`
    + `import type { ErrorCode } from './problem';\n\n`
    + `/** The Chinese word for each value of each enum of the contract, to show instead of the value itself. */\n`
    + `export const enumLabels = ${json(enums)} as const;\n\n`
    + `/** The Chinese message of each error code, for when an answer carries a code but no words (it always has both). */\n`
    + `export const errorMessages: Readonly<Record<ErrorCode, string>> = ${json(contract.components.schemas.ErrorCode['x-messages'])};\n`;
}

// The README's table of codes, between its markers, so the guide cannot drift from the contract either.
function readmeSource() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = '<!-- error-codes:start -->';
  const end = '<!-- error-codes:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} markers`);
  const messages = contract.components.schemas.ErrorCode['x-messages'];
  const cell = (text) => String(text).replaceAll('|', '\\|');
  const rows = Object.entries(messages).map(([code, message]) => `| \`${code}\` | ${cell(message)} |`);
  const table = ['| Code | 中文 |', '| --- | --- |', ...rows].join('\n');
  return readme.slice(0, from + start.length) + '\n' + table + '\n' + readme.slice(to);
}

let drifted = false;
for (const [file, source] of [['src/api.d.ts', typesSource()], ['src/operations.ts', operationsSource()], ['src/labels.ts', labelsSource()], ['README.md', readmeSource()]]) {
  const target = join(root, file);
  if (!check) {
    writeFileSync(target, source);
    continue;
  }
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as drift */ }
  if (current !== source) {
    console.error(`${file} differs from what openapi.json generates: run \`npm run generate\` and commit it.`);
    drifted = true;
  }
}
process.exit(drifted ? 1 : 0);
