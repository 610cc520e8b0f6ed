import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

    const code = new TerraformAsset(this, 'code', {
      path: bundleFunction(props.entry, resolve('.build', 'functions', props.name)),
      type: AssetType.ARCHIVE,
    });
    this.function = new LambdaFunction(
      this,
      'function',
      secureFunction(
        {
          functionName: props.name,
          role: this.role.arn,
          runtime: NODE_RUNTIME,
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
 * bundle runs in the local sandbox; `@aws-sdk/*` stays external because nodejs22.x ships SDK v3, while
 * Powertools and everything else is bundled (the runtime does not provide it).
 */
export function bundleFunction(entry: string, outdir: string): string {
  rmSync(outdir, { recursive: true, force: true });
  try {
    buildSync({
      entryPoints: [entry],
      outfile: join(outdir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['@aws-sdk/*'],
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
  if (problems.length > 0) throw new Error(`NodeFunction ${id}:\n- ${problems.join('\n- ')}`);
}
