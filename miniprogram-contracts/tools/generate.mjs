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

let drifted = false;
for (const [file, source] of [['src/api.d.ts', typesSource()], ['src/operations.ts', operationsSource()]]) {
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
