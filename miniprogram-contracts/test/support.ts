import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { AssociationClient } from '../src/client';
import type { Schemas } from '../src/client';
import { WxShim } from './wx-shim';

/** The backend under test, started by scripts/contracts-test.sh with the WeChat simulator behind it. */
export const apiUrl = process.env.ASSOCIATION_API_URL ?? 'http://127.0.0.1:5080';

/** Users differ per run, so the tests also pass against a backend that ran them before. */
export const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

export interface Phone {
  shim: WxShim;
  client: AssociationClient;
}

export function phone(user: string): Phone {
  const shim = new WxShim(user);
  return { shim, client: new AssociationClient({ baseUrl: apiUrl, wx: shim.wx, retries: 2, timeoutMs: 20000 }) };
}

/** The demo SubDistrictAdmin made by bootstrap-admin for the simulator user "admin". */
export function admin(): Phone {
  return phone(process.env.ASSOCIATION_ADMIN_USER ?? 'admin');
}

/** A valid resident ID number (GB 11643 check digit) born in 1985, distinct per call. */
export function idNumber(): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `43010319850${Math.floor(1 + Math.random() * 9)}1${Math.floor(1 + Math.random() * 8)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11];
}

export function mobile(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** The first grid of the demo tree, found as the mini-program would: from the tree. */
export function firstGrid(roots: Schemas['OrgTreeNode'][]): Schemas['OrgTreeNode'] {
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.shift()!;
    if (node.kind === 'Grid') return node;
    stack.push(...node.children);
  }
  throw new Error('the demo tree has no grid');
}

/** A real 2×2 PNG on disk, as wx.chooseMedia leaves a temp file. */
export async function photoFile(): Promise<string> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const pixels = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 0, 255, 0]);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0)),
  ]);
  const path = join(await mkdtemp(join(tmpdir(), 'wx-temp-')), 'patrol.png');
  await writeFile(path, png);
  return path;
}

/** Polls until the check passes; leaderboards are fed asynchronously from the ledger's outbox. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60000).toISOString();
}
