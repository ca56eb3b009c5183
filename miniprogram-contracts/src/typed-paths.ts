import type { paths } from './api';

/** Type-level reading of the generated contract: which paths take a method, and what they take and answer. */
/** The methods the API uses, each one wx.request has (it has no PATCH); the contract test holds the API to them. */
export type Method = 'get' | 'post' | 'put' | 'delete';

/** wx.request's spelling of each. */
export const Verbs = { get: 'GET', post: 'POST', put: 'PUT', delete: 'DELETE' } as const satisfies Record<Method, string>;

export type Verb = (typeof Verbs)[Method];

export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: infer O } ? ([O] extends [never] ? never : P) : never;
}[keyof paths];

export type OperationOf<P extends keyof paths, M extends Method> = paths[P] extends { [K in M]: infer O } ? O : never;

type Parameters<O> = O extends { parameters: infer X } ? X : never;
type Present<T> = [NonNullable<T>] extends [never] ? false : true;

type PathPart<O> = Parameters<O> extends { path?: infer T }
  ? Present<T> extends true ? { path: NonNullable<T> } : { path?: undefined }
  : { path?: undefined };

type QueryPart<O> = Parameters<O> extends { query?: infer T }
  ? Present<T> extends true ? { query?: NonNullable<T> } : { query?: undefined }
  : { query?: undefined };

type BodyPart<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : { body?: undefined };

type HeaderOf<O> = Parameters<O> extends { header?: infer H } ? NonNullable<H> : never;

/** Only operations that take an Idempotency-Key accept one. */
type IdempotencyPart<O> = 'Idempotency-Key' extends keyof HeaderOf<O>
  ? Present<HeaderOf<O>> extends true ? { idempotencyKey?: string } : { idempotencyKey?: undefined }
  : { idempotencyKey?: undefined };

export type RequestOptions<O> = PathPart<O> & QueryPart<O> & BodyPart<O> & IdempotencyPart<O>;

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** The body of the 2xx answer (undefined for 204, bytes as ArrayBuffer for downloads). */
export type SuccessOf<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202
        ? R[S] extends { content: { 'application/json': unknown } } ? JsonOf<R[S]> : ArrayBuffer
        : S extends 204 ? undefined : never;
    }[keyof R]
  : never;

/** True when every part of the options may be left out, so the options argument itself is optional. */
export type OptionsOptional<O> = {} extends RequestOptions<O> ? true : false;
