/** `ctx.identity` of a request that AppSync authorized with a Cognito user pool token. */
export interface CognitoIdentity {
  readonly sub: string;
  /** The token's `iss`. */
  readonly issuer: string;
  /** `cognito:username` (ID token) or `username` (access token). */
  readonly username: string;
  /** Every claim of the token. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly sourceIp: readonly string[];
  readonly defaultAuthStrategy: 'ALLOW' | 'DENY';
  /** `cognito:groups`, or null when the user is in no group (AppSync sends null, not []). */
  readonly groups: readonly string[] | null;
}

/** Builds the identity AppSync puts in `ctx.identity` from the claims of a verified token. */
export function cognitoIdentity(
  claims: Readonly<Record<string, unknown>>,
  request: { readonly sourceIp?: readonly string[]; readonly defaultAuthStrategy?: 'ALLOW' | 'DENY' } = {},
): CognitoIdentity {
  const groups = claims['cognito:groups'];
  return {
    sub: String(claims.sub),
    issuer: String(claims.iss),
    username: String(claims['cognito:username'] ?? claims.username),
    claims,
    sourceIp: [...(request.sourceIp ?? [])],
    defaultAuthStrategy: request.defaultAuthStrategy ?? 'ALLOW',
    groups: Array.isArray(groups) && groups.length > 0 ? groups.map(String) : null,
  };
}
