import { buildSync } from 'esbuild';
import { join } from 'node:path';

/** Bundles a fixture resolver exactly as it is deployed: one ESM file, the AppSync modules left external. */
export function bundleFixture(relativePath: string): string {
  const result = buildSync({
    entryPoints: [join(__dirname, 'fixtures', relativePath)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['@aws-appsync/utils', '@aws-appsync/utils/dynamodb'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
