import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { AttributeProvider, PlatformModel, ResourceRef } from '../../model/platform-model';

/** An `aws_lambda_function` as the sandbox runs it. */
export interface FunctionDefinition {
  readonly name: string;
  readonly arn: string;
  /** `aws_lambda_function` resource id, for messages. */
  readonly resourceId: string;
  /** e.g. `nodejs22.x`. */
  readonly runtime: string;
  /** Lambda's handler string, e.g. `index.handler`. */
  readonly handler: string;
  /** The deployment package. */
  readonly zipFile: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Resolved `environment.variables`. */
  readonly environment: Readonly<Record<string, string>>;
  /** Reserved concurrency; undefined when unreserved. */
  readonly reservedConcurrency?: number;
  readonly logGroupName: string;
  readonly logFormat: 'Text' | 'JSON';
  /** Application log level in JSON format (`AWS_LAMBDA_LOG_LEVEL`). */
  readonly logLevel?: string;
  readonly tracing: 'Active' | 'PassThrough';
}

/** After-apply attributes of `aws_lambda_function`; unpublished functions only have `$LATEST`. */
export const lambdaFunctionAttributes: AttributeProvider = (resource, attribute, model) => {
  const name = String(model.attribute(resource, 'function_name'));
  const arn = functionArn(model, name);
  const apiGateway = (target: string) => `arn:aws:apigateway:${model.region}:lambda:path/2015-03-31/functions/${target}/invocations`;
  switch (attribute) {
    case 'id':
      return name;
    case 'arn':
      return arn;
    case 'qualified_arn':
      return `${arn}:$LATEST`;
    case 'invoke_arn':
      return apiGateway(arn);
    case 'qualified_invoke_arn':
      return apiGateway(`${arn}:$LATEST`);
    case 'version':
      return '$LATEST';
    default:
      return undefined;
  }
};

/** `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function functionArn(model: PlatformModel, name: string): string {
  return `arn:aws:lambda:${model.region}:${model.accountId}:function:${name}`;
}

/** The function name in a name, an ARN or a `$LATEST`-qualified ARN; other qualifiers name nothing the sandbox has. */
export function functionNameOf(nameOrArn: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.+))?$/.exec(nameOrArn);
  if (!match) return nameOrArn;
  return match[2] === undefined || match[2] === '$LATEST' ? (match[1] as string) : `${match[1]}:${match[2]}`;
}

/** Reads one function's resolved configuration; what the sandbox cannot run fails here, naming the function. */
export function readFunction(model: PlatformModel, resource: ResourceRef): FunctionDefinition {
  const config = model.config<Record<string, unknown>>(resource);
  const name = String(config.function_name);
  const fail = (problem: string) => new Error(`Lambda function ${name} (${resource.id}): ${problem}`);
  if (config.package_type === 'Image' || config.image_uri) throw fail('container images are not supported; deploy a zip from `filename`');
  if (typeof config.filename !== 'string') throw fail('the sandbox runs zip packages from `filename`; s3_bucket/s3_key packages are not supported');
  const runtime = String(config.runtime ?? '');
  if (!runtime.startsWith('nodejs')) throw fail(`runtime "${runtime}" is not supported; the sandbox runs nodejs runtimes`);
  if (typeof config.handler !== 'string') throw fail('has no handler');

  const zipFile = isAbsolute(config.filename) ? config.filename : join(stackDirectory(model, resource.stack), config.filename);
  if (!existsSync(zipFile)) throw fail(`deployment package ${zipFile} does not exist: run \`npm run synth\``);
  const reserved = Number(config.reserved_concurrent_executions ?? -1);
  const logging = block(config.logging_config);
  const variables = (block(config.environment).variables ?? {}) as Record<string, unknown>;
  return {
    name,
    arn: functionArn(model, name),
    resourceId: resource.id,
    runtime,
    handler: config.handler,
    zipFile,
    timeoutSeconds: Number(config.timeout ?? 3),
    memoryMb: Number(config.memory_size ?? 128),
    environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
    reservedConcurrency: reserved >= 0 ? reserved : undefined,
    logGroupName: typeof logging.log_group === 'string' ? logging.log_group : `/aws/lambda/${name}`,
    logFormat: logging.log_format === 'JSON' ? 'JSON' : 'Text',
    logLevel: logging.log_format === 'JSON' ? String(logging.application_log_level ?? 'INFO') : undefined,
    tracing: block(config.tracing_config).mode === 'Active' ? 'Active' : 'PassThrough',
  };
}

/** The file and export a handler string names, as the Node.js runtime resolves it: `dir/file.export.path`. */
export interface HandlerTarget {
  readonly file: string;
  /** Property path of the function within the module, e.g. `['handler']`. */
  readonly exportPath: readonly string[];
}

/**
 * Resolves `index.handler` to `<taskRoot>/index.js` (or `.mjs`, `.cjs`, in that order) and export `handler`.
 * Returns the Lambda error the runtime reports when it cannot.
 */
export function resolveHandler(taskRoot: string, handler: string): HandlerTarget | { errorType: string; errorMessage: string } {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot < 0) return { errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler' };
  const modulePath = handler.slice(0, dot);
  const exportPath = handler.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs'].map((extension) => resolve(taskRoot, modulePath + extension)).find((candidate) => existsSync(candidate));
  if (!file) return { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: Cannot find module '${modulePath}'` };
  return { file, exportPath };
}

/** Terraform JSON writes a single nested block as an object or a one-element list. */
export function block(value: unknown): Record<string, unknown> {
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : {};
}

/** Terraform runs each stack in `cdktf.out/stacks/<stack>/`: relative asset paths start there. */
function stackDirectory(model: PlatformModel, stack: string): string {
  const manifest = JSON.parse(readFileSync(join(model.outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { workingDirectory?: string }>;
  };
  return join(model.outdir, manifest.stacks[stack]?.workingDirectory ?? join('stacks', stack));
}
