import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { CognitoPool, TokenVerifier, VerifyOptions } from './capabilities';
import { cognitoIdentity, type CognitoIdentity } from './identity';

/** Why a token was refused. */
export type RejectionReason = 'malformed' | 'signature' | 'expired' | 'issuer' | 'client' | 'token_use' | 'jwks_unavailable';

/** A token AppSync would refuse (it answers 401 UnauthorizedException); `reason` says which check failed. */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  constructor(
    readonly reason: RejectionReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A verifier over the platform's user pools. The signature, `exp`/`nbf`, `iss` and `kid` checks are
 * aws-jwt-verify's `JwtVerifier` (AWS's own library, with JWKS caching and key rotation handling), and
 * the `token_use` and client checks are its `validateCognitoJwtFields`, the ones `CognitoJwtVerifier`
 * runs. `CognitoJwtVerifier` itself cannot be used: it derives the issuer from the AWS region in the
 * pool id, and cognito-local issues `http://host:port/<poolId>`. Its HTTPS-only fetcher is swapped for
 * one over `fetch`, since the local JWKS is served over plain HTTP.
 */
export function createTokenVerifier(pools: readonly CognitoPool[]): TokenVerifier {
  const jwksCache = new SimpleJwksCache({ fetcher: { fetch: fetchJwks } });
  const byIssuer = new Map(
    pools.map((pool) => [
      pool.issuer,
      {
        pool,
        verifier: JwtVerifier.create({ issuer: pool.issuer, jwksUri: pool.jwksUri, audience: null }, { jwksCache }),
      },
    ]),
  );

  return {
    async verify(token: string, options: VerifyOptions = {}): Promise<CognitoIdentity> {
      const jwt = token.replace(/^Bearer\s+/i, '').trim();
      const issuer = unverifiedIssuer(jwt);
      const entry = byIssuer.get(issuer);
      if (!entry) {
        throw new TokenRejectedError('issuer', `Token issuer ${issuer} is not a user pool of this platform (${[...byIssuer.keys()].join(', ')})`);
      }
      if (options.userPoolId !== undefined && entry.pool.id !== options.userPoolId) {
        throw new TokenRejectedError('issuer', `Token is from user pool ${entry.pool.id}; this API accepts user pool ${options.userPoolId}`);
      }
      const clientIds = allowedClients(entry.pool, options.appIdClientRegex);
      try {
        const claims = await entry.verifier.verify(jwt, {
          audience: null,
          customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: null, clientId: [...clientIds] }),
        });
        return cognitoIdentity(claims, options);
      } catch (error) {
        throw rejection(error, entry.pool, clientIds);
      }
    },
  };
}

function unverifiedIssuer(jwt: string): string {
  try {
    const { payload } = decomposeUnverifiedJwt(jwt);
    if (typeof payload.iss !== 'string') throw new TokenRejectedError('issuer', 'Token has no iss claim');
    return payload.iss;
  } catch (error) {
    if (error instanceof TokenRejectedError) throw error;
    throw new TokenRejectedError('malformed', `Token is not a JWT: ${(error as Error).message}`, { cause: error });
  }
}

function allowedClients(pool: CognitoPool, appIdClientRegex: string | undefined): readonly string[] {
  if (appIdClientRegex === undefined) return pool.clientIds;
  // AppSync matches the whole client id against the regex.
  const pattern = new RegExp(`^(?:${appIdClientRegex})$`);
  return pool.clientIds.filter((id) => pattern.test(id));
}

/** Errors meaning the token was not signed by the pool's key (bad signature, unknown kid, alg other than the JWK's). */
const SIGNATURE_ERRORS = [
  JwtInvalidSignatureError,
  JwtInvalidSignatureAlgorithmError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
  JwkValidationError,
];

/** The rejection for a verification failure; anything that is not a token problem is a bug and is rethrown. */
function rejection(error: unknown, pool: CognitoPool, clientIds: readonly string[]): unknown {
  if (error instanceof TokenRejectedError) return error;
  const message = (error as Error).message;
  if (SIGNATURE_ERRORS.some((type) => error instanceof type)) {
    return new TokenRejectedError('signature', `Token signature does not verify against the JWKS of ${pool.name}: ${message}`, { cause: error });
  }
  if (error instanceof JwtExpiredError || error instanceof JwtNotBeforeError) return new TokenRejectedError('expired', message, { cause: error });
  if (error instanceof CognitoJwtInvalidClientIdError) {
    const client = String(error.failedAssertion.actual ?? 'none');
    return new TokenRejectedError('client', `Token is for app client ${client}, not one this API accepts (${clientIds.join(', ') || 'none'})`, { cause: error });
  }
  if (error instanceof CognitoJwtInvalidTokenUseError) return new TokenRejectedError('token_use', message, { cause: error });
  if (error instanceof JwtParseError) return new TokenRejectedError('malformed', message, { cause: error });
  if (error instanceof JwtInvalidIssuerError) return new TokenRejectedError('issuer', message, { cause: error });
  if (error instanceof FetchError) return new TokenRejectedError('jwks_unavailable', `JWKS of ${pool.name} unavailable: ${message}`, { cause: error });
  return error;
}

async function fetchJwks(uri: string): Promise<ArrayBuffer> {
  const response = await fetch(uri);
  if (!response.ok) throw new FetchError(uri, `Status code is ${response.status}, expected 200`);
  return response.arrayBuffer();
}
