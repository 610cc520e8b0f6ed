// cdktf's default ts-node app takes 11-21 s to start; one esbuild bundle of main.ts plus plain node takes ~1 s.
// Packages stay external so the provider bindings load from node_modules by their deep paths.
import { buildSync } from 'esbuild';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const outfile = resolve('.build/app/main.cjs');
buildSync({
  entryPoints: ['main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
