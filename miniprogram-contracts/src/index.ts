export { AssociationClient, createAssociationClient } from './client';
export type { ClientOptions, PhotoUploaded, Schemas, Session, WxLike } from './client';
export { ApiProblem, NetworkError } from './problem';
export type { ProblemDetails } from './problem';
export type { components, operations, paths } from './api';
