import type { components } from './api';

export type ProblemDetails = components['schemas']['HttpValidationProblemDetails'];

/**
 * An error answer of the API (RFC 9457). `status` is the HTTP status; `errors` names the fields a 400 refused,
 * keyed as in the request body (e.g. `idNumber`), each with the reasons to show next to that field.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly type: string | undefined;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: Readonly<Record<string, readonly string[]>>;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.type = problem.type ?? undefined;
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail ?? undefined;
    this.errors = problem.errors ?? {};
    this.problem = problem;
  }

  /** The reasons the server gave for one field, or an empty list. */
  fieldErrors(field: string): readonly string[] {
    return this.errors[field] ?? [];
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
  return new ApiProblem(status, { status, title: typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : `HTTP ${status}` });
}
