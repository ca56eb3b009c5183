export { AssociationClient, createAssociationClient } from './client';
export type { ClientOptions, PhotoUploaded, Schemas, Session, WxLike } from './client';
export { ApiProblem, NetworkError } from './problem';
export type { ErrorCode, ProblemDetails } from './problem';
export { enumLabels, errorMessages } from './labels';
export type { components, operations, paths } from './api';
