import { buildSync } from 'esbuild';

/** AppSync rejects resolver code above 32 KB. */
export const MAX_RESOLVER_CODE_BYTES = 32 * 1024;

/** Resolvers reference deploy-time names as `'__ENV_<NAME>__'` string placeholders (AppSync has no env vars in provider 5.100). */
const PLACEHOLDER = /__ENV_([A-Z][A-Z0-9_]*)__/g;

/**
 * Bundles one resolver (and what it imports from resolvers/lib) into the single ESM file AppSync runs,
 * leaving `@aws-appsync/utils` to the runtime.
 */
export function bundleResolver(entry: string): string {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const bytes = Buffer.byteLength(code);
  if (bytes > MAX_RESOLVER_CODE_BYTES) {
    throw new Error(`${entry}: bundled resolver is ${bytes} bytes; AppSync allows at most ${MAX_RESOLVER_CODE_BYTES}`);
  }
  return code;
}

/** Names of the `__ENV_*__` placeholders a bundle uses. */
export function environmentPlaceholders(code: string): string[] {
  return [...new Set([...code.matchAll(PLACEHOLDER)].map((match) => match[1] as string))].sort();
}

/** Replaces each placeholder with its value; a placeholder without a value fails, naming it. */
export function applyEnvironment(code: string, environment: Readonly<Record<string, string>>, entry: string): string {
  const missing = environmentPlaceholders(code).filter((name) => !(name in environment));
  if (missing.length > 0) {
    throw new Error(`${entry}: no value for resolver environment ${missing.join(', ')}; pass it in the API's resolverEnvironment`);
  }
  return code.replace(PLACEHOLDER, (_match, name: string) => environment[name] as string);
}

/** Terraform reads `${` and `%{` in a JSON string as template syntax; JavaScript template literals must not be. */
export function escapeTerraformTemplate(code: string): string {
  return code.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
