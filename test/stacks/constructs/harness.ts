import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import type { NodeFunctionProps } from '../../../stacks/constructs/node-function';
import type { SecurityContext } from '../../../stacks/constructs/secure-defaults';
import type { TerraformDocument } from '../synth';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/k`;
export const SECURITY: SecurityContext = { kmsKeyArn: KEY_ARN, logRetentionDays: 14, deletionProtection: false };

/** A throwaway project holding a batch handler, for functions the tests build. */
export class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), 'constructs-'));
  readonly entry = join(this.root, 'functions', 'worker', 'handler.ts');
  private readonly functionNames = new Set<string>();

  constructor() {
    mkdirSync(join(this.root, 'functions', 'worker'), { recursive: true });
    writeFileSync(this.entry, 'export const handler = async (event: { Records?: unknown[] }) => ({ batchItemFailures: [], seen: event.Records?.length ?? 0 });\n');
  }

  /** NodeFunction props without the shared context; the bundle's build folder is removed in `dispose`. */
  fn(name: string, overrides: Partial<NodeFunctionProps> = {}): Omit<NodeFunctionProps, 'security' | 'accountId' | 'region'> {
    this.functionNames.add(name);
    return { name, entry: this.entry, ...overrides };
  }

  /** Synthesizes one stack built by `build` and returns its document. */
  synth(build: (stack: TerraformStack) => void): TerraformDocument {
    const outdir = mkdtempSync(join(this.root, 'out-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'test');
    new AwsProvider(stack, 'aws', { region: REGION });
    build(stack);
    app.synth();
    return JSON.parse(readFileSync(join(outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8')) as TerraformDocument;
  }

  /** A stack to construct things in without synthesizing it, for validation errors. */
  stack(): TerraformStack {
    return new TerraformStack(new App({ outdir: mkdtempSync(join(this.root, 'unused-')) }), 'scratch');
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
    for (const name of this.functionNames) rmSync(join('.build', 'functions', name), { recursive: true, force: true });
  }
}

/** The logical id of the resource of `type` at construct path `path` (below the stack), e.g. `email/queue`. */
export function idOf(doc: TerraformDocument, type: string, path: string): string {
  const matches = Object.entries(doc.resource[type] ?? {})
    .filter(([, attributes]) => (attributes['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path?.replace(/^[^/]+\//, '') === path)
    .map(([id]) => id);
  if (matches.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${matches.join(', ') || 'none'}`);
  return matches[0] as string;
}

/** The resource of `type` at construct path `path`. */
export function resource(doc: TerraformDocument, type: string, path: string): Record<string, unknown> {
  return (doc.resource[type] ?? {})[idOf(doc, type, path)] as Record<string, unknown>;
}

/** `${type.id.attribute}` of the resource of `type` at construct path `path`. */
export function ref(doc: TerraformDocument, type: string, path: string, attribute: string): string {
  return `\${${type}.${idOf(doc, type, path)}.${attribute}}`;
}

/** The statements of the policy document data source a `policy` attribute points at. */
export function statementsOf(doc: TerraformDocument, policyReference: unknown): Record<string, unknown>[] {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(policyReference));
  if (!match) throw new Error(`${String(policyReference)} is not a policy document reference`);
  const document = doc.data?.aws_iam_policy_document?.[match[1] as string] as { statement: Record<string, unknown>[] } | undefined;
  if (!document) throw new Error(`no policy document ${match[1]}`);
  return document.statement;
}
