// `npm start`: bundles the sandbox CLI with esbuild (packages stay external) and runs it with plain node.
// The SDK's Node 20 deprecation notice is noise in a local tool pinned to SDK versions that support Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = resolve('.build/sandbox/cli.cjs');
buildSync({ entryPoints: ['sandbox/cli.ts'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'warning', sourcemap: 'inline' });
process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);
