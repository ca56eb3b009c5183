import type { components } from './api';

export type ProblemDetails = components['schemas']['HttpValidationProblemDetails'];

/** Every error code the API answers; codes never change once published (table in README.md). */
export type ErrorCode = components['schemas']['ErrorCode'];

/** What a client answers when no server did (no JSON from a proxy, a gateway page). */
export const unknownErrorCode = 'http.badRequest' satisfies ErrorCode;

/**
 * An error answer of the API (RFC 9457). `status` is the HTTP status and `code` the stable reason to branch on;
 * `title` and `detail` are Chinese words to show (English when the request asked for it). `errors` names the
 * fields a 400 refused, keyed as in the request body (e.g. `idNumber`), each with messages to show next to that
 * field, and `fieldCodes` the code of each.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly type: string | undefined;
  readonly title: string;
  readonly detail: string | undefined;
  readonly traceId: string | undefined;
  readonly errors: Readonly<Record<string, readonly string[]>>;
  readonly codes: Readonly<Record<string, readonly ErrorCode[]>>;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = problem.code ?? unknownErrorCode;
    this.type = problem.type ?? undefined;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail ?? undefined;
    this.traceId = problem.traceId ?? undefined;
    this.errors = problem.errors ?? {};
    this.codes = problem.fieldCodes ?? {};
    this.problem = problem;
  }

  /** The messages the server gave for one field, or an empty list. */
  fieldErrors(field: string): readonly string[] {
    return this.errors[field] ?? [];
  }

  /** The codes of one field's faults, or an empty list. */
  fieldCodes(field: string): readonly ErrorCode[] {
    return this.codes[field] ?? [];
  }

  /** True when the answer, or any of its fields, has this code. */
  has(code: ErrorCode): boolean {
    return this.code === code || Object.values(this.codes).some((codes) => codes.includes(code));
  }

  get isValidation(): boolean {
    return this.status === 400 && Object.keys(this.errors).length > 0;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }
}

/** The request never got an HTTP answer (no network, timeout, the app went to the background). */
export class NetworkError extends Error {
  constructor(readonly errMsg: string) {
    super(errMsg);
    this.name = 'NetworkError';
  }
}

/** Turns any non-2xx answer into an {@link ApiProblem}, also when a proxy answered with something else than JSON. */
export function toProblem(status: number, body: unknown): ApiProblem {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    return new ApiProblem(status, body as ProblemDetails);
  }
  return new ApiProblem(status, {
    status, code: unknownErrorCode, title: typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : `HTTP ${status}`,
  });
}
