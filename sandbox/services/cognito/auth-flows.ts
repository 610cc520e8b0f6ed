/** The `explicit_auth_flows` value that permits each InitiateAuth/AdminInitiateAuth `AuthFlow`. */
const PERMITTED_BY: Readonly<Record<string, string>> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
};

/** Pre-2019 flow names, each standing for its `ALLOW_` successor. */
const LEGACY: Readonly<Record<string, string>> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};

/**
 * Why Cognito would refuse this auth flow for a client with these `explicit_auth_flows`, or undefined
 * when it allows it. cognito-local stores the setting but does not enforce it. A client without the
 * setting allows SRP, custom auth and refresh, as Cognito does; legacy names always allow SRP and refresh.
 */
export function authFlowProblem(explicitAuthFlows: readonly string[] | undefined, authFlow: string): string | undefined {
  const required = PERMITTED_BY[authFlow];
  if (!required) return undefined;
  const configured = explicitAuthFlows ?? [];
  const allowed = new Set(configured.map((flow) => LEGACY[flow] ?? flow));
  if (configured.length === 0) ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'].forEach((flow) => allowed.add(flow));
  if (configured.some((flow) => flow in LEGACY)) ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'].forEach((flow) => allowed.add(flow));
  return allowed.has(required) ? undefined : `${authFlow.replace(/^REFRESH_TOKEN$/, 'REFRESH_TOKEN_AUTH')} flow not enabled for this client`;
}
