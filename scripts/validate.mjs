// Validates and plans every synthesized stack offline, the way CI does before anything is deployed.
//
//   npm run validate [-- --env <name>] [--no-synth] [--stack <name>]... [--jobs <n>]
//
// Each stack is copied to .build/validate/<env>/<stack> with an override file that swaps the
// backend for a local one, gives the AWS provider credentials it never checks, and answers its
// terraform_remote_state reads with placeholder outputs of the stacks upstream, so a stack can
// be planned before the stacks it reads from are applied. Then: terraform init and plan (which
// validates first), and terraform validate when the plan fails, to tell why.
import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';

const USAGE = `Usage: npm run validate -- [--env <name>] [--no-synth] [--stack <name>]... [--jobs <n>]

  --env <name>     environment to synthesize and validate (default: $PLATFORM_ENV, else "local")
  --no-synth       validate cdktf.out as it is instead of running cdktf synth first (it holds
                   whichever env was synthesized last; --env then only names the scratch dir)
  --stack <name>   validate only this stack (repeatable); the others are still read for placeholders
  --jobs <n>       stacks validated at a time (default: number of CPUs)

Environment: TF_PLUGIN_MIRROR (provider mirror, default /opt/tf-plugins), TF_PLUGIN_CACHE_DIR.`;

// npm runs scripts from the project root; cdktf.out and .build are found from there.
const root = process.cwd();
const helpers = path.join(path.dirname(fileURLToPath(import.meta.url)), 'terraform', 'index.ts');
const buildDir = path.join(root, '.build', 'validate');
const outDir = path.join(root, 'cdktf.out');
const EMPTY_STATE_FILE = 'validate-empty.tfstate';
const started = performance.now();
let initQueue = Promise.resolve();

let args;
try {
  args = parseArgs({
    options: {
      env: { type: 'string' },
      'no-synth': { type: 'boolean', default: false },
      stack: { type: 'string', multiple: true, default: [] },
      jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  exit(2, `${error.message}\n\n${USAGE}`);
}
if (args.help) exit(0, USAGE);

const env = args.env ?? process.env.PLATFORM_ENV ?? 'local';
const jobs = args.jobs === undefined ? os.availableParallelism() : Number(args.jobs);
if (!Number.isInteger(jobs) || jobs < 1) exit(2, `--jobs must be a positive integer, got "${args.jobs}"`);

const lib = await loadHelpers();
const tf = terraformEnvironment();
const version = await terraformVersion();

let synthSeconds = 0;
if (!args['no-synth']) {
  const t = performance.now();
  const synth = await run('npx', ['--no', 'cdktf', 'synth'], {
    cwd: root,
    // cdktf runs terraform too; it gets our CLI config instead of a missing one in the home folder.
    env: { ...process.env, PLATFORM_ENV: env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: tf.env.TF_CLI_CONFIG_FILE, FORCE_COLOR: '0' },
  });
  synthSeconds = seconds(t);
  if (synth.code !== 0) exit(1, `cdktf synth failed for env "${env}" (${synthSeconds.toFixed(1)} s):\n${withoutSpinner(synth.stdout + synth.stderr)}`);
  console.log(`synth: env "${env}" (${synthSeconds.toFixed(1)} s)`);
}

const manifestPath = path.join(outDir, 'manifest.json');
if (!fs.existsSync(manifestPath)) exit(2, `${path.relative(root, manifestPath)} not found: run npm run synth, or drop --no-synth`);
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
let selected;
try {
  selected = lib.orderStacks(manifest, args.stack);
} catch (error) {
  exit(2, error.message);
}
// Every stack is read, selected or not: a selected stack's placeholders come from its producers.
const stacks = lib.orderStacks(manifest).map((s) => ({
  ...s,
  sourceDir: path.join(outDir, s.workingDirectory),
  config: JSON.parse(fs.readFileSync(path.join(outDir, s.workingDirectory, 'cdk.tf.json'), 'utf8')),
}));
if (selected.length === 0) exit(1, 'cdktf.out has no stacks to validate');

const mirrorNote = tf.mirror ? `providers from ${tf.mirror}` : 'providers from their registries (no mirror)';
console.log(`Validating ${selected.length} stack(s) for env "${env}" with Terraform ${version}, ${mirrorNote}, ${Math.min(jobs, selected.length)} at a time`);

const typesStarted = performance.now();
const types = await loadProviderTypes();
const typesSeconds = seconds(typesStarted);

const width = Math.max(...selected.map((s) => s.name.length));
const results = new Array(selected.length);
let printed = 0;
const stacksStarted = performance.now();
await pool(selected, jobs, async (entry, i) => {
  const stack = stacks.find((s) => s.name === entry.name);
  results[i] = await validateStack(stack).catch((error) => ({ name: stack.name, ok: false, status: 'crashed', steps: {}, seconds: 0, text: error.stack }));
  // Lines come out in dependency order, as soon as every stack before them is done.
  while (printed < results.length && results[printed]) printResult(results[printed++]);
});
const stacksSeconds = seconds(stacksStarted);

const failed = results.filter((r) => !r.ok);
const toAdd = results.reduce((n, r) => n + (r.changes?.add ?? 0), 0);
const timing = `${args['no-synth'] ? '' : `synth ${synthSeconds.toFixed(1)} s, `}provider types ${typesSeconds.toFixed(1)} s, stacks ${stacksSeconds.toFixed(1)} s, total ${seconds(started).toFixed(1)} s`;
if (failed.length > 0) {
  console.log(`\n${failed.length} of ${results.length} stack(s) failed for env "${env}": ${failed.map((r) => r.name).join(', ')} (${timing})`);
  console.log(`Scratch copies are in ${path.relative(root, path.join(buildDir, env))}; to rerun Terraform by hand there, set TF_CLI_CONFIG_FILE=${tf.env.TF_CLI_CONFIG_FILE}`);
  process.exit(1);
}
console.log(`\n${results.length} stack(s) valid for env "${env}", ${toAdd} resource(s) to add (${timing})`);

async function loadHelpers() {
  const outfile = path.join(buildDir, 'lib.mjs');
  buildSync({
    entryPoints: [helpers],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

// Terraform runs with a CLI configuration of our own (never the one in the home folder), a
// project-local plugin cache and no AWS credentials or settings from the caller's environment.
function terraformEnvironment() {
  const mirrorPath = process.env.TF_PLUGIN_MIRROR || '/opt/tf-plugins';
  const mirror = fs.existsSync(mirrorPath) ? path.resolve(mirrorPath) : undefined;
  fs.mkdirSync(buildDir, { recursive: true });
  const cliConfigFile = path.join(buildDir, 'terraform.tfrc');
  writeIfChanged(cliConfigFile, lib.cliConfig(mirror));
  const pluginCache = process.env.TF_PLUGIN_CACHE_DIR || path.join(buildDir, 'plugin-cache');
  fs.mkdirSync(pluginCache, { recursive: true });
  const childEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AWS_|TF_CLI_ARGS|TF_WORKSPACE$|TF_DATA_DIR$)/.test(k)),
  );
  return {
    mirror,
    env: {
      ...childEnv,
      TF_CLI_CONFIG_FILE: cliConfigFile,
      TF_PLUGIN_CACHE_DIR: pluginCache,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  };
}

async function terraformVersion() {
  const result = await run('terraform', ['version', '-json'], { env: tf.env });
  if (result.code === 'ENOENT') {
    exit(2, 'terraform is not on PATH: install Terraform to validate the stacks, or skip this step');
  }
  if (result.code !== 0) exit(2, `terraform version failed:\n${result.stderr}`);
  return JSON.parse(result.stdout).terraform_version;
}

// Placeholders are typed from the provider schema. Reading it takes an init and a start of the
// AWS provider (about 3 s), so the types are kept, per set of required providers, for later runs.
async function loadProviderTypes() {
  const needed = selected.some((s) => stacks.find((x) => x.name === s.name).config.data?.terraform_remote_state);
  if (!needed) return undefined;
  const dir = path.join(buildDir, 'providers');
  fs.mkdirSync(dir, { recursive: true });
  const requiredProviders = Object.assign({}, ...stacks.map((s) => s.config.terraform?.required_providers ?? {}));
  const main = `${JSON.stringify({ terraform: { required_providers: requiredProviders } }, null, 2)}\n`;
  const key = createHash('sha256').update(`${version}\n${tf.mirror}\n${main}`).digest('hex').slice(0, 16);
  const typesFile = path.join(dir, `types-${key}.json`);
  if (fs.existsSync(typesFile)) return JSON.parse(fs.readFileSync(typesFile, 'utf8'));

  fs.writeFileSync(path.join(dir, 'main.tf.json'), main);
  const init = await run('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env: tf.env });
  const schema = init.code === 0 ? await run('terraform', ['providers', 'schema', '-json'], { cwd: dir, env: tf.env }) : init;
  if (schema.code !== 0) {
    // A provider that cannot be installed fails the init of the stacks that need it, too.
    console.log(`Reading the provider schema failed; placeholders are typed by name only:\n${indent(`${schema.stdout}${schema.stderr}`.trim())}`);
    return undefined;
  }
  const types = lib.providerTypesFromSchema(JSON.parse(schema.stdout));
  fs.writeFileSync(typesFile, JSON.stringify(types));
  return types;
}

// Inits run one at a time. Without a lock file an init installs the provider into the plugin
// cache even when the cache has it, and two doing so at once fail with "file exists". An init
// takes about 0.5 s against 3 s or more for a plan, so the plans still overlap.
function oneInitAtATime(task) {
  const result = initQueue.then(task);
  initQueue = result.catch(() => undefined);
  return result;
}

async function validateStack(stack) {
  const t = performance.now();
  const dir = path.join(buildDir, env, stack.name);
  const steps = {};
  const done = (fields) => ({ name: stack.name, dir, steps, seconds: seconds(t), ...fields });

  prepareScratchDir(stack.sourceDir, dir);
  const override = lib.buildOverride(stack, stacks, { emptyStatePath: EMPTY_STATE_FILE, types });
  fs.writeFileSync(path.join(dir, lib.OVERRIDE_FILE), `${JSON.stringify(override.content, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, EMPTY_STATE_FILE), lib.EMPTY_STATE);

  const init = await oneInitAtATime(() => step(steps, 'init', ['init', '-input=false', '-backend=true', '-no-color'], dir));
  if (init.code !== 0) return done({ ok: false, status: 'init failed', text: `${init.stdout}${init.stderr}` });

  // Plan validates the configuration before planning, so a separate `terraform validate` (a
  // second start of the AWS provider, about 40% of a stack's time) only runs when the plan
  // fails, to tell an invalid configuration from one that fails to plan. The changes are
  // counted from the plan's own change_summary, not from `terraform show -json` (another start).
  const plan = await step(steps, 'plan', ['plan', '-refresh=false', '-input=false', '-lock=false', '-out=tfplan', '-json'], dir);
  const report = lib.parsePlanOutput(plan.stdout);
  const diagnostics = lib.relevantDiagnostics(report.diagnostics);
  if (plan.code !== 0) {
    const validate = await step(steps, 'validate', ['validate', '-json', '-no-color'], dir);
    const validation = parseJson(validate.stdout);
    if (validation && !validation.valid) {
      const errors = lib.relevantDiagnostics(validation.diagnostics).filter((d) => d.severity === 'error');
      return done({ ok: false, status: `invalid, ${count(errors.length, 'error')}`, diagnostics: errors });
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const text = [...report.otherOutput, plan.stderr].join('\n').trim();
    return done({ ok: false, status: `valid, but plan failed with ${count(errors.length, 'error')}`, diagnostics: errors, text });
  }
  return done({ ok: true, changes: report.changes ?? { add: 0, change: 0, remove: 0 }, warnings: diagnostics, remoteStates: override.remoteStates });
}

// The scratch copy starts empty on every run: a fresh init takes about 0.5 s, re-initializing
// a kept .terraform or lock file about 1-1.5 s, as Terraform hashes the 700 MB provider again.
function prepareScratchDir(source, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(source, dir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|[^/]*\.tfstate[^/]*|tfplan)$/.test(path.relative(source, src)),
  });
}

async function step(steps, name, tfArgs, cwd) {
  const t = performance.now();
  const result = await run('terraform', tfArgs, { cwd, env: tf.env });
  steps[name] = seconds(t);
  return result;
}

function printResult(r) {
  const name = r.name.padEnd(width);
  const breakdown = Object.entries(r.steps).map(([k, v]) => `${k} ${v.toFixed(1)}`);
  const took = `(${[`${r.seconds.toFixed(1)} s`, breakdown.join(', ')].filter(Boolean).join(': ')})`;
  if (r.ok) {
    const { add, change, remove } = r.changes;
    const plan = [`${add} to add`, change ? `${change} to change` : '', remove ? `${remove} to destroy` : ''].filter(Boolean).join(', ');
    const producers = r.remoteStates.map((s) => s.producer ?? `${s.dataSource} (guessed from output names)`);
    const upstream = producers.length > 0 ? `, against placeholder outputs of ${producers.join(', ')}` : '';
    console.log(`✓ ${name}  valid, plan: ${plan}${upstream} ${took}`);
    for (const line of lib.summarizeWarnings(r.warnings)) console.log(line);
    return;
  }
  console.log(`✗ ${name}  ${r.status} ${took}`);
  const details = [...(r.diagnostics ?? []).map((d) => lib.formatDiagnostic(d)), ...(r.text ? [indent(r.text.trim())] : [])];
  if (details.length > 0) console.log(details.join('\n\n'));
}

async function pool(items, limit, worker) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await worker(items[i], i);
    }
  });
  await Promise.all(runners);
}

function run(command, commandArgs, options) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (error) => resolve({ code: error.code, stdout: '', stderr: error.message }));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

// cdktf draws a spinner even when its output is not a terminal.
function withoutSpinner(text) {
  return stripVTControlCharacters(text)
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^[\u2800-\u28ff]\s/.test(line))
    .join('\n');
}

function writeIfChanged(file, content) {
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) fs.writeFileSync(file, content);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

function seconds(since) {
  return (performance.now() - since) / 1000;
}

function exit(code, message) {
  (code === 0 ? console.log : console.error)(message);
  process.exit(code);
}
