// The sandbox's AppSync GraphQL engine; see engine.ts.
export { appSyncAttributes, apiKeyValue, graphqlUrl, realtimeUrl, registerAppSyncAttributes } from './attributes';
export type { AppSyncEndpoint } from './attributes';
export { readApiDefinition } from './api-definition';
export type { ApiDefinition, ApiKey, AuthProvider, ResolverBinding, UserPoolConfig } from './api-definition';
export { AUTH_TYPES, FieldAuthorizer, directiveRules } from './authorization';
export type { AuthRule } from './authorization';
export { AppSyncEngine, COGNITO_VERIFIER_CAPABILITY, NOT_AUTHORIZED_MESSAGE, createGraphqlEngine } from './engine';
export type { CognitoTokenVerifier, GraphqlEngineOptions } from './engine';
export { APPSYNC_SCALARS, ScalarCoercionError, installAppSyncScalars } from './scalars';
export {
  SANDBOX_ACCESS_KEY_ID,
  SANDBOX_CREDENTIALS,
  SANDBOX_IAM_USER,
  SANDBOX_IAM_USER_ID,
  SANDBOX_SECRET_ACCESS_KEY,
  isSigV4,
  verifySigV4,
} from './sigv4';
export type { SigningCredentials, SigV4Options } from './sigv4';
export { FILTER_OPERATORS, conditionHolds, filterProblems, matchesFilter } from './subscription-filter';
export type { EnhancedFilter, FilterCondition } from './subscription-filter';
