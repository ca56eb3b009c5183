import type { components, paths } from './api';
import { binaryOperations, idempotentOperations } from './operations';
import { ApiProblem, NetworkError, toProblem } from './problem';
import { Verbs } from './typed-paths';
import type { Method, OperationOf, OptionsOptional, PathsWith, RequestOptions, SuccessOf, Verb } from './typed-paths';

export type Schemas = components['schemas'];
export type Session = Schemas['SessionResponse'];
export type PhotoUploaded = Schemas['PhotoUploaded'];

/** The parts of the mini-program's `wx` the client uses; pass the global `wx`. */
export type WxLike = Pick<
  WechatMiniprogram.Wx,
  'request' | 'uploadFile' | 'login' | 'getStorageSync' | 'setStorageSync' | 'removeStorageSync'
>;

export interface ClientOptions {
  /** The API's origin, e.g. https://api.example.org (no trailing slash needed). */
  baseUrl: string;
  wx: WxLike;
  /** Where the session is kept in wx storage. */
  storageKey?: string;
  /** Automatic retries of requests that are safe to repeat (reads, PUT/DELETE, creates with an Idempotency-Key). */
  retries?: number;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
  /** Called when the session is gone and could not be re-established (e.g. the user removed the mini-program's authorisation). */
  onSignedOut?: () => void;
}

type Args<O> = OptionsOptional<O> extends true ? [options?: RequestOptions<O>] : [options: RequestOptions<O>];

interface RawOptions {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  idempotencyKey?: string;
}

interface RawAnswer {
  statusCode: number;
  data: unknown;
  header: Record<string, string>;
}

const SESSION_KEY = 'association.session';

/**
 * A typed client of the Association API on `wx.request`. Paths, parameters, bodies and answers are typed from
 * the generated contract (src/api.d.ts); errors are thrown as {@link ApiProblem} or {@link NetworkError}.
 *
 * It signs in with `wx.login` when there is no session, renews the session once on a 401 (one renewal shared by
 * all requests waiting on it) and signs in again when the refresh token is gone too; it sends an Idempotency-Key
 * on every create that takes one and reuses that key on its own retries.
 */
export class AssociationClient {
  private readonly baseUrl: string;
  private readonly wx: WxLike;
  private readonly storageKey: string;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly onSignedOut: (() => void) | undefined;
  private session: Session | null;
  private renewing: Promise<void> | null = null;
  private signingIn: Promise<Session> | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.wx = options.wx;
    this.storageKey = options.storageKey ?? SESSION_KEY;
    this.retries = options.retries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.onSignedOut = options.onSignedOut;
    const stored: unknown = this.wx.getStorageSync(this.storageKey);
    this.session = isSession(stored) ? stored : null;
  }

  /** The current session, if signed in (for example to show the user id). */
  get currentSession(): Session | null {
    return this.session;
  }

  /** Signs in with a fresh `wx.login` code. Concurrent calls share one sign-in. */
  signIn(): Promise<Session> {
    this.signingIn ??= this.doSignIn().finally(() => {
      this.signingIn = null;
    });
    return this.signingIn;
  }

  /** Ends the session on the server and forgets it here. */
  async signOut(): Promise<void> {
    const session = this.session;
    this.forgetSession();
    if (session) {
      const answer = await this.raw('POST', '/api/auth/sign-out', {}, session.accessToken, undefined);
      if (answer.statusCode >= 400 && answer.statusCode !== 401) {
        throw toProblem(answer.statusCode, answer.data);
      }
    }
  }

  /** A new key for one user action. Keep it with the action (e.g. a draft) to reuse it if the user retries later. */
  newIdempotencyKey(): string {
    return newKey();
  }

  get<P extends PathsWith<'get'>>(path: P, ...args: Args<OperationOf<P, 'get'>>): Promise<SuccessOf<OperationOf<P, 'get'>>> {
    return this.send('get', path, args[0]);
  }

  post<P extends PathsWith<'post'>>(path: P, ...args: Args<OperationOf<P, 'post'>>): Promise<SuccessOf<OperationOf<P, 'post'>>> {
    return this.send('post', path, args[0]);
  }

  put<P extends PathsWith<'put'>>(path: P, ...args: Args<OperationOf<P, 'put'>>): Promise<SuccessOf<OperationOf<P, 'put'>>> {
    return this.send('put', path, args[0]);
  }

  delete<P extends PathsWith<'delete'>>(path: P, ...args: Args<OperationOf<P, 'delete'>>): Promise<SuccessOf<OperationOf<P, 'delete'>>> {
    return this.send('delete', path, args[0]);
  }

  /** Uploads a photo chosen with wx.chooseMedia (its tempFilePath); the answer's id goes into photoRef fields. */
  async uploadPhoto(filePath: string): Promise<PhotoUploaded> {
    const answer = await this.authorised(true, (token) => this.upload('/api/photos', filePath, token));
    if (answer.statusCode === 201 || answer.statusCode === 200) {
      return answer.data as PhotoUploaded;
    }
    throw toProblem(answer.statusCode, answer.data);
  }

  private async send<T>(method: Method, template: keyof paths, options: unknown): Promise<T> {
    const opts = (options ?? {}) as RawOptions;
    const verb = Verbs[method];
    const operation = `${verb} ${template}`;
    const url = fillPath(template, opts.path) + queryString(opts.query);
    const idempotencyKey = opts.idempotencyKey ?? (idempotentOperations.has(operation) ? newKey() : undefined);
    const safeToRepeat = verb === 'GET' || verb === 'PUT' || verb === 'DELETE' || idempotencyKey !== undefined;
    const binary = binaryOperations.has(operation);

    const answer = await this.authorised(safeToRepeat, (token) =>
      this.raw(verb, url, opts.body, token, idempotencyKey, binary));
    if (answer.statusCode >= 200 && answer.statusCode < 300) {
      return (answer.statusCode === 204 ? undefined : answer.data) as T;
    }
    throw toProblem(answer.statusCode, answer.data);
  }

  /**
   * Runs one request with the session's token: signs in first when there is none, renews once on a 401, and
   * repeats what is safe to repeat after a network failure, a 503, or a 409 "still in progress" (Retry-After).
   */
  private async authorised(safeToRepeat: boolean, attempt: (token: string) => Promise<RawAnswer>): Promise<RawAnswer> {
    let renewed = false;
    for (let failures = 0; ; ) {
      const session = this.session ?? (await this.signIn());
      let answer: RawAnswer;
      try {
        answer = await attempt(session.accessToken);
      } catch (error) {
        if (error instanceof NetworkError && safeToRepeat && failures < this.retries) {
          await sleep(backoff(failures++));
          continue;
        }
        throw error;
      }
      if (answer.statusCode === 401 && !renewed) {
        renewed = true;
        await this.renew(session);
        continue;
      }
      const retryAfter = Number(headerValue(answer.header, 'retry-after'));
      const transient = answer.statusCode === 503 || (answer.statusCode === 409 && retryAfter > 0);
      if (transient && safeToRepeat && failures < this.retries) {
        await sleep(retryAfter > 0 ? Math.min(retryAfter, 10) * 1000 : backoff(failures));
        failures++;
        continue;
      }
      return answer;
    }
  }

  /** One renewal for everyone who saw the same expired token; falls back to a new sign-in when the refresh token is spent. */
  private renew(expired: Session): Promise<void> {
    if (this.session && this.session.accessToken !== expired.accessToken) {
      return Promise.resolve();
    }
    this.renewing ??= this.doRenew(expired).finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async doRenew(expired: Session): Promise<void> {
    const answer = await this.raw('POST', '/api/auth/renew', { refreshToken: expired.refreshToken }, undefined, undefined);
    if (answer.statusCode === 200) {
      this.keepSession(answer.data as Session);
      return;
    }
    if (answer.statusCode === 401 || answer.statusCode === 400) {
      this.forgetSession();
      await this.signIn();
      return;
    }
    throw toProblem(answer.statusCode, answer.data);
  }

  private async doSignIn(): Promise<Session> {
    const code = await new Promise<string>((resolve, reject) => {
      this.wx.login({
        timeout: this.timeoutMs,
        success: (result) => resolve(result.code),
        fail: (error) => reject(new NetworkError(error.errMsg)),
      });
    });
    const answer = await this.raw('POST', '/api/auth/sign-in', { code }, undefined, undefined);
    if (answer.statusCode !== 200) {
      this.forgetSession();
      this.onSignedOut?.();
      throw toProblem(answer.statusCode, answer.data);
    }
    const session = answer.data as Session;
    this.keepSession(session);
    return session;
  }

  private keepSession(session: Session): void {
    this.session = session;
    this.wx.setStorageSync(this.storageKey, session);
  }

  private forgetSession(): void {
    this.session = null;
    this.wx.removeStorageSync(this.storageKey);
  }

  private raw(
    method: Verb,
    path: string,
    body: unknown,
    token: string | undefined,
    idempotencyKey: string | undefined,
    binary = false,
  ): Promise<RawAnswer> {
    const header: Record<string, string> = { Accept: binary ? '*/*' : 'application/json' };
    if (body !== undefined) header['Content-Type'] = 'application/json';
    if (token) header['Authorization'] = `Bearer ${token}`;
    if (idempotencyKey) header['Idempotency-Key'] = idempotencyKey;
    return new Promise<RawAnswer>((resolve, reject) => {
      this.wx.request({
        url: this.baseUrl + path,
        method,
        header,
        timeout: this.timeoutMs,
        // Any dataType but 'json' leaves the body as it came.
        dataType: binary ? 'raw' : 'json',
        responseType: binary ? 'arraybuffer' : 'text',
        ...(body !== undefined ? { data: body as WechatMiniprogram.IAnyObject } : {}),
        success: (result) => resolve({ statusCode: result.statusCode, data: result.data, header: result.header as Record<string, string> }),
        fail: (error) => reject(new NetworkError(error.errMsg)),
      });
    });
  }

  private upload(path: string, filePath: string, token: string): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      this.wx.uploadFile({
        url: this.baseUrl + path,
        filePath,
        name: 'file',
        header: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        timeout: this.timeoutMs,
        success: (result) => resolve({ statusCode: result.statusCode, data: parseJson(result.data), header: {} }),
        fail: (error) => reject(new NetworkError(error.errMsg)),
      });
    });
  }
}

export function createAssociationClient(options: ClientOptions): AssociationClient {
  return new AssociationClient(options);
}

function fillPath(template: string, values: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`path parameter '${name}' is required for ${template}`);
    }
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v !== undefined && v !== null) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function headerValue(header: Record<string, string> | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const [key, value] of Object.entries(header)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isSession(value: unknown): value is Session {
  return typeof value === 'object' && value !== null && typeof (value as Session).accessToken === 'string'
    && typeof (value as Session).refreshToken === 'string';
}

function backoff(failures: number): number {
  return Math.min(4000, 250 * 2 ** failures) + Math.floor(Math.random() * 100);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** 128 random bits as hex; Math.random is enough here because the key is scoped to the signed-in user on the server. */
function newKey(): string {
  let key = '';
  for (let i = 0; i < 4; i++) key += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return key;
}
