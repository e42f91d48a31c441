/** Key policy parsing, validation and evaluation for the KMS emulator and the console's policy editor. */
export { parsePolicy, MAX_KEY_POLICY_BYTES, type ParseOptions } from './parse';
export { allowedOrRefusal, evaluate } from './evaluate';
export { accountOfKeyArn } from './match';
export { BASE_OPERATORS } from './conditions';
export { wouldLockOut } from './lockout';
export { requestConditionKeys, keyConditionKeys, GRANT_RESOURCE_ACTIONS, type KeyFacts } from './request-keys';
export type {
  AuthorizationRequest,
  CallerPrincipal,
  ConditionClause,
  ContextValue,
  DecidingStatement,
  Decision,
  Effect,
  GrantLike,
  ParseResult,
  PolicyDocument,
  PolicyError,
  PolicyErrorCode,
  PolicyKind,
  PolicySource,
  PrincipalSpec,
  SourceLocation,
  Statement,
} from './types';
