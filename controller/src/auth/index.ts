// Authentication and authorization: re-exports only.
export { createNoAuth, constantTimeEqual, bearerToken, type Authenticator, type AuthResult, type Reporter } from './types.ts';
export { createTokenFileAuth, parseTokenFile } from './token-file.ts';
export { createTokenReviewAuth, type TokenReviewStatus, type TokenReviewer } from './token-review.ts';
export { createUserAccess, isLoopbackPeer, type UserAccess, type ReadAuthMode, type SubjectAccessReviewer, type SubjectAccessReviewStatus } from './user-access.ts';
export { createOperationAccess, type OperationAccessDeps } from './operation-access.ts';
export * from './policy.ts';
