/** One or more environment variables a function needs are missing or empty; the message names every one. */
export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
  constructor(readonly missing: readonly string[]) {
    super(`Missing environment variable${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`);
  }
}

/**
 * Reads the named variables once, at module load, and throws {@link MissingEnvironmentError} naming every
 * missing (or blank) one, so a misconfigured function fails its cold start instead of its first record.
 */
export function requireEnv<const K extends string>(names: readonly K[], env: NodeJS.ProcessEnv = process.env): Readonly<Record<K, string>> {
  const missing = names.filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new MissingEnvironmentError(missing);
  return Object.fromEntries(names.map((name) => [name, env[name] as string])) as Record<K, string>;
}
