import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { WxLike } from '../src/client';

/** What the shim saw, so tests can count renewals and sign-ins. */
export interface SeenRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

type Callbacks = { success?: (result: any) => void; fail?: (error: { errMsg: string }) => void; complete?: (r: any) => void };

/**
 * One phone: `wx.request`, `wx.uploadFile`, `wx.login` and wx storage implemented on fetch and a Map, as the
 * mini-program base library behaves (JSON parsed when dataType is 'json', fail with errMsg on network errors).
 * `wx.login` answers codes the WeChat simulator maps to this phone's user ("user#n").
 */
export class WxShim {
  readonly seen: SeenRequest[] = [];
  private readonly storage = new Map<string, unknown>();
  private logins = 0;
  /** When set, the next matching request reaches the server but its answer is lost, as on a dropped connection. */
  loseAnswerOf: ((method: string, path: string) => boolean) | null = null;

  constructor(readonly user: string) {}

  get wx(): WxLike {
    const api = {
      request: (options: any) => this.request(options),
      uploadFile: (options: any) => this.uploadFile(options),
      login: (options: any) => this.login(options),
      getStorageSync: (key: string) => (this.storage.has(key) ? structuredClone(this.storage.get(key)) : ''),
      setStorageSync: (key: string, value: unknown) => void this.storage.set(key, structuredClone(value)),
      removeStorageSync: (key: string) => void this.storage.delete(key),
    };
    return api as unknown as WxLike;
  }

  /** Lets a test spoil what the phone keeps, e.g. an access token that expired. */
  editStorage(key: string, edit: (value: any) => any): void {
    this.storage.set(key, edit(structuredClone(this.storage.get(key))));
  }

  private login(options: Callbacks): void {
    const code = `${this.user}#${++this.logins}-${Date.now()}`;
    queueMicrotask(() => finish(options, true, { code, errMsg: 'login:ok' }));
  }

  private request(options: Callbacks & {
    url: string; method?: string; data?: unknown; header?: Record<string, string>; timeout?: number;
    dataType?: string; responseType?: string;
  }): { abort(): void } {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = new URL(options.url);
    const header = options.header ?? {};
    this.seen.push({ method, path: url.pathname, idempotencyKey: header['Idempotency-Key'] });
    const lose = this.loseAnswerOf?.(method, url.pathname) ?? false;
    if (lose) this.loseAnswerOf = null;
    const body = options.data === undefined || method === 'GET' ? undefined
      : typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeout ?? 60000);
    fetch(url, { method, headers: header, body, signal: controller.signal })
      .then(async (response) => {
        const bytes = await response.arrayBuffer();
        if (lose) {
          finish(options, false, { errMsg: 'request:fail timeout' });
          return;
        }
        let data: unknown = bytes;
        if (options.responseType !== 'arraybuffer') {
          const text = new TextDecoder().decode(bytes);
          data = options.dataType === 'json' ? parseOrText(text) : text;
        }
        finish(options, true, {
          statusCode: response.status, data, header: Object.fromEntries(response.headers), cookies: [], errMsg: 'request:ok',
        });
      })
      .catch((error: Error) => finish(options, false, { errMsg: `request:fail ${error.message}` }))
      .finally(() => clearTimeout(timer));
    return { abort: () => controller.abort() };
  }

  private uploadFile(options: Callbacks & {
    url: string; filePath: string; name: string; header?: Record<string, string>; formData?: Record<string, string>;
  }): { abort(): void } {
    const url = new URL(options.url);
    this.seen.push({ method: 'POST', path: url.pathname, idempotencyKey: undefined });
    (async () => {
      const form = new FormData();
      for (const [name, value] of Object.entries(options.formData ?? {})) form.append(name, value);
      form.append(options.name, new Blob([await readFile(options.filePath)]), basename(options.filePath));
      const response = await fetch(url, { method: 'POST', headers: options.header ?? {}, body: form });
      // wx.uploadFile always hands back the body as a string.
      finish(options, true, { statusCode: response.status, data: await response.text(), errMsg: 'uploadFile:ok' });
    })().catch((error: Error) => finish(options, false, { errMsg: `uploadFile:fail ${error.message}` }));
    return { abort: () => undefined };
  }
}

function finish(options: Callbacks, ok: boolean, result: any): void {
  if (ok) options.success?.(result);
  else options.fail?.(result);
  options.complete?.(result);
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
