import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { loadEnvironment } from '../../config';
import { createPlatform } from '../../stacks/platform';

/** A synthesized stack: the JSON string the cdktf matchers take, and the parsed document. */
export interface SynthesizedStack {
  readonly json: string;
  readonly doc: TerraformDocument;
}

/** The parts of a cdk.tf.json the tests read. */
export interface TerraformDocument {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  terraform: { backend: Record<string, Record<string, unknown>> };
  provider: { aws: Record<string, unknown>[] };
}

/** The platform's stacks. */
export type StackName = 'data' | 'auth' | 'events' | 'api' | 'choreography' | 'notifications' | 'intake';

const cache = new Map<string, Record<string, SynthesizedStack>>();

/** Synthesizes every stack of an environment once per test file. */
export function synthPlatform(environment = 'local'): Record<StackName, SynthesizedStack> {
  let stacks = cache.get(environment);
  if (!stacks) {
    // A whole-app synth, as `cdktf synth` does it: cross-stack references become remote state, validations run.
    const outdir = mkdtempSync(join(tmpdir(), 'platform-synth-'));
    const app = new App({ outdir });
    const platform = createPlatform(app, loadEnvironment(environment));
    app.synth();
    stacks = {};
    for (const name of Object.keys(platform)) {
      const json = readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
      stacks[name] = { json, doc: JSON.parse(json) as TerraformDocument };
    }
    rmSync(outdir, { recursive: true, force: true });
    cache.set(environment, stacks);
  }
  return stacks as Record<StackName, SynthesizedStack>;
}

/** Every resource of one type in a document. */
export function resourcesOf(doc: TerraformDocument, type: string): Record<string, unknown>[] {
  return Object.values(doc.resource[type] ?? {});
}

/** The only resource of a type; fails when there are none or several. */
export function onlyResource(doc: TerraformDocument, type: string): Record<string, unknown> {
  const found = resourcesOf(doc, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as Record<string, unknown>;
}

/** The policy statements of an aws_iam_policy_document data source. */
export function policyDocuments(doc: TerraformDocument): Record<string, { statement: Record<string, unknown>[] }> {
  return (doc.data?.aws_iam_policy_document ?? {}) as Record<string, { statement: Record<string, unknown>[] }>;
}
