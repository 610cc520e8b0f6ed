/** A user the sandbox seeds, shown as a sign-in hint. */
export interface DemoUser {
  readonly email: string;
  readonly password: string;
  readonly groups: readonly string[];
}

/** `config.json`, written by the sandbox's console service (its `ConsoleConfig`). */
export interface ConsoleConfig {
  readonly graphqlUrl: string;
  readonly region: string;
  readonly cognitoEndpoint: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly demoUsers?: readonly DemoUser[];
}

const REQUIRED = ['graphqlUrl', 'region', 'cognitoEndpoint', 'userPoolId', 'userPoolClientId'] as const;

/** Reads `config.json` beside the page; a missing field fails naming it, since nothing works without it. */
export async function loadConfig(url = 'config.json'): Promise<ConsoleConfig> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: the sandbox answered ${response.status}`);
  const config = (await response.json()) as Partial<Record<string, unknown>>;
  const missing = REQUIRED.filter((field) => typeof config[field] !== 'string' || config[field] === '');
  if (missing.length > 0) throw new Error(`${url} lacks ${missing.join(', ')}`);
  return config as unknown as ConsoleConfig;
}
