// `npm run bench`: bundles bench/hot-paths.ts with esbuild and runs it with plain node.
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = resolve('.build/bench/hot-paths.cjs');
buildSync({ entryPoints: ['bench/hot-paths.ts'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'warning' });
await import(pathToFileURL(outfile).href);
