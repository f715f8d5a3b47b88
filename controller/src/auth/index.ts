// Report authentication: re-exports only.
export { createNoAuth, constantTimeEqual, type Authenticator, type AuthResult } from './types.ts';
export { createTokenFileAuth, parseTokenFile } from './token-file.ts';
export { createTokenReviewAuth, type TokenReviewStatus } from './token-review.ts';
