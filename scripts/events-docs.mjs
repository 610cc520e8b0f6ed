// `npm run events:docs`: writes docs/events.md — each event, its producer and consumers — from the
// catalog and the synthesized stacks in cdktf.out (run `npm run synth` first). `--check` fails when stale.
import { buildSync } from 'esbuild';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = resolve('.build/scripts/catalog-doc.cjs');
buildSync({ entryPoints: ['scripts/events/catalog-doc.ts'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile, logLevel: 'warning' });
const { renderEventCatalog } = await import(pathToFileURL(outfile).href);

const stacksDir = resolve('cdktf.out', 'stacks');
if (!existsSync(stacksDir)) {
  console.error('cdktf.out/stacks not found: run `npm run synth` first');
  process.exit(2);
}
const stacks = readdirSync(stacksDir).sort().map((name) => JSON.parse(readFileSync(join(stacksDir, name, 'cdk.tf.json'), 'utf8')));
const markdown = renderEventCatalog(stacks);
const target = resolve('docs', 'events.md');
if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== markdown) {
    console.error('docs/events.md is out of date: run `npm run synth && npm run events:docs`');
    process.exit(1);
  }
  console.log('docs/events.md is up to date');
} else {
  writeFileSync(target, markdown);
  console.log(markdown);
}
