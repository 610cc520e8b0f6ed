import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction, type LambdaFunctionConfig } from '@cdktf/provider-aws/lib/lambda-function';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { logWrite } from '../lib/grants';
import { ServiceRole, type PolicyStatement } from '../lib/iam';
import { secureLogGroup, type SecurityContext } from './secure-defaults';

/** The Lambda runtime every function runs on. */
export const NODE_RUNTIME = 'nodejs22.x';
/** Longest timeout a function gets without `allowLongTimeout`: event consumers should finish in seconds. */
export const DEFAULT_MAX_TIMEOUT_SECONDS = 60;
/** Lambda's own ceiling. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/** Variables Lambda sets itself and refuses in a function's configuration. */
const RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_RUNTIME_API',
  'AWS_REGION',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'LAMBDA_RUNTIME_DIR',
  'LAMBDA_TASK_ROOT',
];

/** Props of {@link NodeFunction}. */
export interface NodeFunctionProps {
  /** Function name, from the naming helper; it also names the role and the `/aws/lambda/<name>` log group. */
  readonly name: string;
  /** The handler's source, `functions/<name>/handler.ts`. */
  readonly entry: string;
  /** Export of `entry` that Lambda calls. @default 'handler' */
  readonly handler?: string;
  /** Environment variables (table names, queue URLs...); the function reads them once, at start. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Seconds before Lambda stops an invocation: 1-60, or up to 900 with `allowLongTimeout`. @default 10 */
  readonly timeoutSeconds?: number;
  /** Lets `timeoutSeconds` go past 60 s, for the rare function that really needs minutes. @default false */
  readonly allowLongTimeout?: boolean;
  /** Memory in MB, 128-10240; CPU is allotted in proportion. @default 256 */
  readonly memoryMb?: number;
  /** Key that encrypts the environment variables and the log group; log retention from config. */
  readonly security: SecurityContext;
  readonly accountId: string;
  readonly region: string;
  /** Invocations that may run at once; more are throttled. 0 switches the function off. @default unreserved */
  readonly reservedConcurrency?: number;
  /**
   * Packages esbuild cannot bundle because they load a native addon (`sharp`): they stay `external` and the asset
   * zip gets them under `node_modules/`, installed by npm for Lambda's platform (linux, arm64, glibc) at the
   * version package-lock.json pins. Each must be a dependency in package.json. npm runs once per package set and
   * version, offline from its cache when the registry is unreachable; later synths reuse `.build/node-modules/`.
   *
   * The asset holds only the arm64 binaries. The sandbox runs functions on this x64 machine from
   * `.sandbox/data/lambda/<name>/`, inside the repository, so a package's lookup of its x64 binary
   * (`@img/sharp-linux-x64` for sharp) misses the asset's `node_modules` and falls back to the repository's own,
   * which is the same version. The sandbox also puts that folder on `NODE_PATH` (Lambda's runtime SDK), so an
   * extract elsewhere works there too; run by plain Node outside the repository, the asset loads on linux/arm64 only.
   * @default []
   */
  readonly nodeModules?: readonly string[];
}

/**
 * A Node.js Lambda function from one TypeScript entry: bundled by esbuild at synth time into a CommonJS
 * `index.js` with a linked source map, shipped as a cdktf asset zip, run on nodejs22.x/arm64 with active
 * tracing and JSON logs into its own encrypted log group with retention, under a role that may write only
 * to that group (plus X-Ray). Everything else the function may do is added with {@link NodeFunction.grant}.
 *
 * Format: CommonJS, because the bundled dependencies (Powertools' X-Ray SDK among them) still `require`
 * Node built-ins, which an ESM bundle can only do through a `createRequire` banner; the price is no
 * top-level await, which a handler that reads its configuration once at start does not need.
 * Not minified: a bundle of a thin handler plus Powertools is a few hundred KB, so minifying saves no
 * measurable cold start, while readable code keeps the Lambda console and unmapped stack traces useful.
 * The source map is linked (`index.js.map`) rather than inline so the code Lambda parses stays small;
 * `NODE_OPTIONS=--enable-source-maps` maps stack traces to the TypeScript sources.
 */
export class NodeFunction extends Construct {
  /** The function. */
  readonly function: LambdaFunction;
  /** Its execution role. */
  readonly role: IamRole;
  /** Its log group, `/aws/lambda/<name>`. */
  readonly logGroup: CloudwatchLogGroup;
  /** Function name. */
  readonly name: string;
  /** Function ARN, for event source mappings, targets and AppSync data sources. */
  readonly arn: string;
  private readonly serviceRole: ServiceRole;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    validate(id, props);
    this.name = props.name;
    const exportName = props.handler ?? 'handler';

    this.logGroup = new CloudwatchLogGroup(this, 'logs', secureLogGroup({ name: `/aws/lambda/${props.name}` }, props.security));
    this.serviceRole = new ServiceRole(this, 'role', { name: props.name, service: 'lambda.amazonaws.com', sourceAccount: props.accountId });
    this.role = this.serviceRole.role;
    this.serviceRole.grant('write-logs', logWrite('WriteLogs', this.logGroup.arn));
    this.serviceRole.grant('decrypt-environment', environmentKeyUse(props.security.kmsKeyArn, props.region));
    // X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions: AWS accepts only
    // "*" as their resource, so this one statement cannot go through ServiceRole.grant's narrowness check.
    const traces = new DataAwsIamPolicyDocument(this, 'traces-policy', {
      statement: [{ sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }],
    });
    const tracesPolicy = new IamRolePolicy(this, 'traces', { name: 'write-traces', role: this.role.id, policy: traces.json });

    const nodeModules = props.nodeModules ?? [];
    const outdir = bundleFunction(props.entry, resolve('.build', 'functions', props.name), nodeModules);
    // cdktf zips an ARCHIVE folder again on every synth at level 9: seconds for sharp's 20 MB. With node_modules
    // the construct writes the zip itself, reusing the packages' entries compressed once when they were installed.
    const code =
      nodeModules.length > 0
        ? new TerraformAsset(this, 'code', {
            path: packageWithNodeModules(outdir, nodeModules, resolve('.build', 'packages', props.name, 'archive.zip')),
            type: AssetType.FILE,
          })
        : new TerraformAsset(this, 'code', { path: outdir, type: AssetType.ARCHIVE });
    this.function = new LambdaFunction(
      this,
      'function',
      secureFunction(
        {
          functionName: props.name,
          role: this.role.arn,
          runtime: NODE_RUNTIME,
          // arm64 even with native dependencies: nodeModules installs their arm64 builds explicitly.
          architectures: ['arm64'],
          handler: `index.${exportName}`,
          filename: code.path,
          sourceCodeHash: code.assetHash,
          timeout: props.timeoutSeconds ?? 10,
          memorySize: props.memoryMb ?? 256,
          reservedConcurrentExecutions: props.reservedConcurrency,
          environment: {
            variables: { POWERTOOLS_SERVICE_NAME: props.name, ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
          },
          // Lambda creates a missing log group on first use, without retention or key; tracing needs its policy.
          dependsOn: [this.logGroup, tracesPolicy],
        },
        props.security,
        this.logGroup.name,
      ),
    );
    this.arn = this.function.arn;
  }

  /** Attaches the statements to the function's role as one inline policy named `name`. */
  grant(name: string, statements: readonly PolicyStatement[]): void {
    this.serviceRole.grant(name, statements);
  }
}

/** Lambda: X-Ray tracing, JSON logs into the given group, environment variables encrypted with the customer-managed key. */
export function secureFunction(config: LambdaFunctionConfig, security: SecurityContext, logGroupName: string): LambdaFunctionConfig {
  return {
    ...config,
    kmsKeyArn: security.kmsKeyArn,
    tracingConfig: { mode: 'Active' },
    loggingConfig: { logFormat: 'JSON', logGroup: logGroupName, applicationLogLevel: 'INFO' },
  };
}

/**
 * Decrypting the environment with its key, only through Lambda. Lambda also gives the role a KMS grant when the
 * function is created; naming the permission keeps the function working if that grant is lost (role re-created).
 */
function environmentKeyUse(keyArn: string, region: string): PolicyStatement[] {
  return [
    {
      sid: 'DecryptEnvironment',
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`lambda.${region}.amazonaws.com`] }],
    },
  ];
}

/**
 * Bundles `entry` into `outdir/index.js` (+ `index.js.map`) and returns `outdir`. Targets Node 20 so the same
 * bundle runs in the local sandbox; `@aws-sdk/*` stays external because nodejs22.x ships SDK v3, and so do the
 * `nodeModules` shipped beside the bundle, while Powertools and everything else is bundled (the runtime does
 * not provide it).
 */
export function bundleFunction(entry: string, outdir: string, nodeModules: readonly string[] = []): string {
  rmSync(outdir, { recursive: true, force: true });
  try {
    buildSync({
      entryPoints: [entry],
      outfile: join(outdir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['@aws-sdk/*', ...nodeModules],
      sourcemap: 'linked',
      minify: false,
      legalComments: 'none',
      logLevel: 'silent',
    });
  } catch (error) {
    throw new Error(`${entry} does not bundle: ${(error as Error).message}`, { cause: error });
  }
  return outdir;
}

/** Where Lambda runs the functions, as npm names it: the platform `nodeModules` are installed for. */
const LAMBDA_PLATFORM = { os: 'linux', cpu: 'arm64', libc: 'glibc' } as const;
/** The installed packages' entries, compressed, in each cache folder. */
const NODE_MODULES_ZIP = 'node_modules.zip';

/**
 * Writes `archive`: the bundle in `outdir` plus `packages` installed for Lambda's platform under `node_modules/`,
 * and returns its path. The zip is the same bytes for the same inputs (sorted entries, fixed times), so the asset
 * hash only changes with the code; it is written beside its final name and renamed, so a synth running at the same
 * time never reads half of it.
 */
function packageWithNodeModules(outdir: string, packages: readonly string[], archive: string): string {
  const bundle = filesUnder(outdir).map((file) => zipEntry(relative(outdir, file).split(sep).join('/'), file));
  const staging = `${archive}.${process.pid}.tmp`;
  mkdirSync(dirname(archive), { recursive: true });
  writeZip(staging, [...bundle, ...readZip(join(installedNodeModules(packages), NODE_MODULES_ZIP))]);
  renameSync(staging, archive);
  return archive;
}

/**
 * Installs `packages` for Lambda's platform, once per set of packages, versions and platform, and returns the
 * cache folder, `.build/node-modules/<platform>/<name@version+...>`: npm's `node_modules` and the same files as
 * zip entries. npm runs in a folder of its own with a minimal package.json (else it would take the repository for
 * the project). `--prefer-offline` takes what the npm cache has without asking the registry, so an unreachable
 * registry costs nothing once the tarballs are cached. Scripts are not run: prebuilt binaries need none, and a
 * script would run for this machine's platform, not Lambda's.
 */
function installedNodeModules(packages: readonly string[]): string {
  const specs = [...new Set(packages)].sort().map((name) => `${name}@${lockedVersion(name)}`);
  const platform = `${LAMBDA_PLATFORM.os}-${LAMBDA_PLATFORM.cpu}-${LAMBDA_PLATFORM.libc}`;
  const cached = resolve('.build', 'node-modules', platform, specs.join('+').replace(/\//g, '+'));
  if (existsSync(join(cached, NODE_MODULES_ZIP))) return cached;

  // Filled beside the cache folder and renamed into place, so a half-finished or concurrent install is never used.
  const staging = `${cached}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), '{ "private": true }\n');
  const platformFlags = [`--os=${LAMBDA_PLATFORM.os}`, `--cpu=${LAMBDA_PLATFORM.cpu}`, `--libc=${LAMBDA_PLATFORM.libc}`];
  try {
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--omit=dev', ...platformFlags, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', ...specs],
      { cwd: staging, stdio: 'pipe', encoding: 'utf8' },
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const output = String((error as { stderr?: string }).stderr ?? '').trim() || (error as Error).message;
    throw new Error(`npm could not install ${specs.join(' ')} for ${platform} (offline, the npm cache must hold them):\n${output}`, { cause: error });
  }
  // npm's own bookkeeping (.package-lock.json) and CLI links (.bin) are not code the function loads.
  const modules = join(staging, 'node_modules');
  const files = filesUnder(modules).filter((file) => !/^(\.bin|\.package-lock\.json)$/.test(relative(modules, file).split(sep)[0] ?? ''));
  writeZip(join(staging, NODE_MODULES_ZIP), files.map((file) => zipEntry(`node_modules/${relative(modules, file).split(sep).join('/')}`, file, 9)));
  try {
    // A cache folder without its zip (left by an older NodeFunction) is replaced, not trusted.
    if (!existsSync(join(cached, NODE_MODULES_ZIP))) rmSync(cached, { recursive: true, force: true });
    renameSync(staging, cached);
  } catch (error) {
    // Another synth finished the same install first; its copy is as good as this one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(cached, NODE_MODULES_ZIP))) throw error;
  }
  return cached;
}

/** The version package-lock.json pins for a top-level package, else the one in node_modules. */
function lockedVersion(name: string): string {
  const lock = readJson(resolve('package-lock.json')) as { packages?: Record<string, { version?: string }> } | undefined;
  const version = lock?.packages?.[`node_modules/${name}`]?.version ?? (readJson(resolve('node_modules', name, 'package.json')) as { version?: string } | undefined)?.version;
  if (!version) throw new Error(`nodeModules: ${name} has no version in package-lock.json or node_modules; run npm install`);
  return version;
}

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Every file below `dir` (following links), sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** One deflated file of a zip. */
interface ZipEntry {
  readonly name: string;
  readonly crc: number;
  readonly size: number;
  readonly data: Buffer;
  /** Unix permission bits. */
  readonly mode: number;
}

function zipEntry(name: string, file: string, level = 6): ZipEntry {
  const content = readFileSync(file);
  // Lambda runs the code as another user than the one who wrote the files: everything must be readable by all.
  return { name, crc: crc32(content), size: content.length, data: deflateRawSync(content, { level }), mode: (statSync(file).mode & 0o777) | 0o644 };
}

const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_CENTRAL_HEADER = 0x02014b50;
const ZIP_END = 0x06054b50;
/** 1980-01-01 00:00, the earliest DOS date: fixed, so the same files always make the same bytes. */
const ZIP_DOS_DATE = (1 << 5) | 1;

/** Writes a plain zip (deflated entries, UTF-8 names, Unix modes, no ZIP64: Lambda packages stay far below 4 GB). */
function writeZip(file: string, entries: readonly ZipEntry[]): void {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(ZIP_LOCAL_HEADER, 0);
    local.writeUInt16LE(20, 4); // version needed: deflate
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflated
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(ZIP_DOS_DATE, 12);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(ZIP_CENTRAL_HEADER, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes are Unix modes
    local.copy(header, 6, 4, 30);
    header.writeUInt32LE(((0o100000 | entry.mode) << 16) >>> 0, 38);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, entry.data);
    central.push(header, name);
    offset += local.length + name.length + entry.data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(ZIP_END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...parts, ...central, end]));
}

/** The entries of a zip {@link writeZip} wrote, still compressed. */
function readZip(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== ZIP_END) throw new Error(`${file} was not written by NodeFunction; delete it to have it made again`);
  const entries: ZipEntry[] = [];
  let offset = zip.readUInt32LE(end + 16);
  for (let index = zip.readUInt16LE(end + 10); index > 0; index -= 1) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const local = zip.readUInt32LE(offset + 42);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      crc: zip.readUInt32LE(offset + 16),
      size: zip.readUInt32LE(offset + 24),
      data: zip.subarray(dataStart, dataStart + zip.readUInt32LE(offset + 20)),
      mode: (zip.readUInt32LE(offset + 38) >>> 16) & 0o777,
    });
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return entries;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function validate(id: string, props: NodeFunctionProps): void {
  const problems: string[] = [];
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(props.name)) problems.push(`name "${props.name}" must be 1-64 letters, digits, - or _`);
  if (!existsSync(props.entry)) problems.push(`entry ${props.entry} does not exist`);
  const handler = props.handler ?? 'handler';
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(handler)) problems.push(`handler "${handler}" must be the name of an export`);
  const maxTimeout = props.allowLongTimeout ? LAMBDA_MAX_TIMEOUT_SECONDS : DEFAULT_MAX_TIMEOUT_SECONDS;
  const timeout = props.timeoutSeconds ?? 10;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > maxTimeout) {
    const hint = props.allowLongTimeout ? '' : ' (allowLongTimeout raises the limit to 900)';
    problems.push(`timeoutSeconds must be a whole number from 1 to ${maxTimeout}${hint}`);
  }
  const memory = props.memoryMb ?? 256;
  if (!Number.isInteger(memory) || memory < 128 || memory > 10240) problems.push('memoryMb must be a whole number from 128 to 10240');
  if (props.reservedConcurrency !== undefined && (!Number.isInteger(props.reservedConcurrency) || props.reservedConcurrency < 0)) {
    problems.push('reservedConcurrency must be a whole number, 0 or more');
  }
  for (const key of Object.keys(props.environment ?? {})) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(key)) problems.push(`environment.${key}: a name starts with a letter and uses letters, digits and _`);
    else if (RESERVED_VARIABLES.includes(key)) problems.push(`environment.${key} is reserved by Lambda`);
    else if (key === 'NODE_OPTIONS') problems.push('environment.NODE_OPTIONS is set by NodeFunction (--enable-source-maps)');
  }
  if (props.nodeModules && props.nodeModules.length > 0) {
    const dependencies = (readJson(resolve('package.json')) as { dependencies?: Record<string, string> } | undefined)?.dependencies ?? {};
    for (const name of props.nodeModules) {
      if (!Object.hasOwn(dependencies, name)) problems.push(`nodeModules: "${name}" is not a dependency in package.json`);
    }
  }
  if (problems.length > 0) throw new Error(`NodeFunction ${id}:\n- ${problems.join('\n- ')}`);
}
