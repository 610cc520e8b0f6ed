import type { CognitoIdentity } from './identity';
import type { PasswordPolicy } from './password-policy';

/** Registry key of the local Cognito endpoint (`http://host:port`), for SDK clients and front ends. */
export const COGNITO_ENDPOINT = 'cognito.endpoint';
/** Registry key of {@link CognitoPools}. */
export const COGNITO_POOLS = 'cognito.pools';
/** Registry key of the {@link TokenVerifier} the AppSync engine uses for AMAZON_COGNITO_USER_POOLS. */
export const COGNITO_VERIFIER = 'cognito.verifier';

/** One user pool of the platform as it runs locally. */
export interface CognitoPool {
  /** Local pool id, e.g. `local_3kdZ8f2Q`; stable across restarts without `--reset`. */
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  /** Ids of the pool's synthesized app clients. */
  readonly clientIds: readonly string[];
  /** App client ids by client name. */
  readonly clients: Readonly<Record<string, string>>;
  /** Group names. */
  readonly groups: readonly string[];
  /** The `iss` claim of the pool's tokens. */
  readonly issuer: string;
  readonly jwksUri: string;
  /** The synthesized policy; cognito-local does not enforce it. */
  readonly passwordPolicy: PasswordPolicy;
}

/** Pools by name. */
export type CognitoPools = Readonly<Record<string, CognitoPool>>;

/** How AppSync's `user_pool_config` narrows which tokens an API accepts. */
export interface VerifyOptions {
  /** Accept only tokens of this pool (`user_pool_config.user_pool_id`). @default any pool of the platform */
  readonly userPoolId?: string;
  /** Accept only app clients whose id matches (`user_pool_config.app_id_client_regex`). @default any synthesized client */
  readonly appIdClientRegex?: string;
  /** The caller's addresses, copied to `identity.sourceIp`. @default [] */
  readonly sourceIp?: readonly string[];
  /** `user_pool_config.default_action`, copied to `identity.defaultAuthStrategy`. @default 'ALLOW' */
  readonly defaultAuthStrategy?: 'ALLOW' | 'DENY';
}

/** Checks a Cognito token the way AppSync does and returns the caller's `ctx.identity`. */
export interface TokenVerifier {
  /** Verifies an ID or access token, raw or with a `Bearer ` prefix; rejects with a {@link TokenRejectedError}. */
  verify(token: string, options?: VerifyOptions): Promise<CognitoIdentity>;
}
