import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluateTemplate, hasInterpolation } from './expressions';
import { policyDocumentJson } from './policy-document';

/** One resource or data source of a synthesized stack. */
export interface ResourceRef {
  readonly stack: string;
  /** Terraform type, e.g. `aws_dynamodb_table`. */
  readonly type: string;
  /** Logical name inside the stack. */
  readonly name: string;
  /** `stack:type.name`, unique across the platform. */
  readonly id: string;
  /** The synthesized arguments, references unresolved. */
  readonly raw: Record<string, unknown>;
}

/** Computes an attribute Terraform would only know after apply (arn, id, endpoints...). */
export type AttributeProvider = (resource: ResourceRef, attribute: string, model: PlatformModel) => unknown;

interface StackDocument {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  provider?: { aws?: Record<string, unknown>[] };
  terraform?: { backend?: Record<string, Record<string, unknown>> };
}

interface Manifest {
  stacks: Record<string, { name: string; dependencies: string[]; synthesizedStackPath: string }>;
}

/**
 * The synthesized platform as the sandbox sees it: every stack of `cdktf.out/`, with Terraform references
 * resolved to local values. Cross-stack outputs are read from the producing stack, exactly as
 * `terraform_remote_state` would after an apply.
 */
export class PlatformModel {
  /** Stack names, producers before consumers. */
  readonly stackNames: readonly string[];
  /** Region of the AWS provider. */
  readonly region: string;
  /** Account the provider is pinned to. */
  readonly accountId: string;
  private readonly documents = new Map<string, StackDocument>();
  private readonly providers = new Map<string, AttributeProvider>();
  private readonly resolving = new Set<string>();

  constructor(readonly outdir = 'cdktf.out') {
    const manifestPath = join(outdir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`${manifestPath} not found: run \`npm run synth\` first`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    this.stackNames = orderByDependencies(manifest);
    for (const name of this.stackNames) {
      const stack = manifest.stacks[name] as Manifest['stacks'][string];
      this.documents.set(name, JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8')) as StackDocument);
    }
    const provider = this.documents.get(this.stackNames[0] as string)?.provider?.aws?.[0] ?? {};
    this.region = String(provider.region ?? 'us-east-1');
    this.accountId = String((provider.allowed_account_ids as string[] | undefined)?.[0] ?? '000000000000');
  }

  /** Teaches the model how to compute the after-apply attributes of one resource type. */
  registerAttributes(type: string, provider: AttributeProvider): void {
    this.providers.set(type, provider);
  }

  /** Every resource (not data source) of the platform, optionally of one type. */
  resources(type?: string): ResourceRef[] {
    const found: ResourceRef[] = [];
    for (const stack of this.stackNames) {
      const resources = this.documents.get(stack)?.resource ?? {};
      for (const [resourceType, byName] of Object.entries(resources)) {
        if (type && resourceType !== type) continue;
        for (const [name, raw] of Object.entries(byName)) found.push({ stack, type: resourceType, name, id: `${stack}:${resourceType}.${name}`, raw });
      }
    }
    return found;
  }

  /** A resource's arguments with every reference resolved. */
  config<T = Record<string, unknown>>(resource: ResourceRef): T {
    return this.resolve(resource.stack, resource.raw) as T;
  }

  /** One resolved argument or computed attribute of a resource. */
  attribute(resource: ResourceRef, attribute: string): unknown {
    const key = `${resource.id}.${attribute}`;
    if (this.resolving.has(key)) throw new Error(`Reference cycle through ${key}`);
    this.resolving.add(key);
    try {
      if (attribute in resource.raw && resource.raw[attribute] !== undefined) return this.resolve(resource.stack, resource.raw[attribute]);
      const provider = this.providers.get(resource.type);
      const computed = provider?.(resource, attribute, this);
      if (computed !== undefined) return computed;
      return defaultAttribute(resource, attribute, this);
    } finally {
      this.resolving.delete(key);
    }
  }

  /** Resolves every `${...}` in a value from the given stack's point of view. */
  resolve(stack: string, value: unknown): unknown {
    if (typeof value === 'string') {
      return hasInterpolation(value) || value.includes('$${') || value.includes('%%{')
        ? evaluateTemplate(value, (parts) => this.reference(stack, parts))
        : value;
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolve(stack, item)]));
    }
    return value;
  }

  /** The value of a stack output. */
  output(stack: string, name: string): unknown {
    const output = this.documents.get(stack)?.output?.[name];
    if (!output) throw new Error(`Stack ${stack} has no output ${name}`);
    return this.resolve(stack, output.value);
  }

  /** A resource of a stack by Terraform address (`type.name`). */
  find(stack: string, type: string, name: string): ResourceRef {
    const raw = this.documents.get(stack)?.resource?.[type]?.[name];
    if (!raw) throw new Error(`Stack ${stack} has no resource ${type}.${name}`);
    return { stack, type, name, id: `${stack}:${type}.${name}`, raw };
  }

  private reference(stack: string, parts: readonly (string | number)[]): unknown {
    const [head, ...rest] = parts.map(String);
    if (head === 'terraform' && rest[0] === 'workspace') return 'default';
    if (head === 'data') {
      const [type, name, ...path] = rest as [string, string, ...string[]];
      const raw = this.documents.get(stack)?.data?.[type]?.[name];
      if (!raw) throw new Error(`Stack ${stack} has no data source ${type}.${name}`);
      if (type === 'terraform_remote_state' && path[0] === 'outputs') {
        return dig(this.output(remoteStateStack(raw, this.stackNames), path[1] as string), path.slice(2));
      }
      if (type === 'aws_iam_policy_document' && path[0] === 'json') return policyDocumentJson(this.resolve(stack, raw) as Record<string, unknown>);
      throw new Error(`The sandbox cannot read data.${type}.${name}.${path.join('.')}`);
    }
    const [name, attribute, ...path] = rest as [string, string, ...string[]];
    return dig(this.attribute(this.find(stack, head as string, name), attribute), path);
  }
}

function dig(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || current === undefined) throw new Error(`Cannot read ${part} of ${String(current)}`);
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The stack whose state a remote-state data source reads, from its backend path or key. */
function remoteStateStack(raw: Record<string, unknown>, stacks: readonly string[]): string {
  const config = (raw.config ?? {}) as Record<string, unknown>;
  const location = String(config.path ?? config.key ?? '');
  const file = basename(location).replace(/^terraform\./, '').replace(/\.tfstate$/, '');
  if (!stacks.includes(file)) throw new Error(`Remote state ${location} names no synthesized stack (${stacks.join(', ')})`);
  return file;
}

/** Sensible after-apply values for attributes no adapter computes: ids are names, ARNs follow AWS's shape. */
function defaultAttribute(resource: ResourceRef, attribute: string, model: PlatformModel): unknown {
  const name = resource.raw.name !== undefined ? String(model.resolve(resource.stack, resource.raw.name)) : resource.name;
  if (attribute === 'id' || attribute === 'name') return name;
  if (attribute === 'arn') {
    const service = resource.type.replace(/^aws_/, '').split('_')[0];
    const global = service === 'iam';
    return `arn:aws:${service}:${global ? '' : model.region}:${model.accountId}:${resource.type.replace(/^aws_[a-z0-9]+_/, '')}/${name}`;
  }
  throw new Error(`The sandbox has no local value for ${resource.id}.${attribute}`);
}

function orderByDependencies(manifest: Manifest): string[] {
  const ordered: string[] = [];
  const visit = (name: string, trail: string[]) => {
    if (ordered.includes(name)) return;
    if (trail.includes(name)) throw new Error(`Stack dependency cycle: ${[...trail, name].join(' -> ')}`);
    for (const dependency of manifest.stacks[name]?.dependencies ?? []) visit(dependency, [...trail, name]);
    ordered.push(name);
  };
  for (const name of Object.keys(manifest.stacks).sort()) visit(name, []);
  return ordered;
}
