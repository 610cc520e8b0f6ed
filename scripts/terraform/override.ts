import type { AwsLocation } from './aws-shapes';
import { placeholderFor, placeholderForName, type ProducerScope } from './placeholders';
import type { ProviderTypes } from './schema';

// The override file that lets one synthesized stack be validated and planned offline: a local
// backend, an AWS provider that never asks AWS who it is, and remote state reads answered with
// placeholder outputs of the stacks that produce them.

/** File name of the override; Terraform merges `*_override.tf.json` files over the stack's own. */
export const OVERRIDE_FILE = 'zz_validate_override.tf.json';

/** A stack's `cdk.tf.json`. */
export interface StackConfig {
  readonly provider?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value?: unknown }>;
  readonly terraform?: Record<string, unknown>;
}

/** A synthesized stack: its name in the manifest and its configuration. */
export interface SynthesizedStack {
  readonly name: string;
  readonly config: StackConfig;
}

/** Options of {@link buildOverride}. */
export interface OverrideOptions {
  /** Path, relative to the stack's working directory, of a state file with no outputs. */
  readonly emptyStatePath: string;
  /** Value types from the provider schema; without them attribute types are guessed from names. */
  readonly types?: ProviderTypes;
}

/** How one `terraform_remote_state` data source was answered. */
export interface RemoteStateAnswer {
  readonly dataSource: string;
  /** The stack whose outputs it reads, when one of the synthesized stacks produces them. */
  readonly producer?: string;
  readonly outputs: number;
}

/** The override for one stack, and how its remote state reads were answered. */
export interface Override {
  readonly content: Record<string, unknown>;
  readonly remoteStates: RemoteStateAnswer[];
}

const CROSS_STACK_PREFIX = 'cross-stack-reference-input-';

// Credentials that are never checked: with these skip flags the provider makes no AWS call
// while configuring, and a plan without refresh makes none either.
const OFFLINE_PROVIDER = {
  access_key: 'offline-validate',
  secret_key: 'offline-validate',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  // A string in provider 5.x ("true", "false" or unset).
  skip_metadata_api_check: 'true',
  skip_region_validation: true,
};

/** A state file with no outputs; `terraform_remote_state` fails on a missing or empty file. */
export const EMPTY_STATE = `${JSON.stringify({ version: 4, terraform_version: '1.0.0', serial: 0, lineage: 'validate-empty-state', outputs: {}, resources: [] })}\n`;

/** Builds the override for `stack`; `stacks` are all synthesized stacks, producers included. */
export function buildOverride(stack: SynthesizedStack, stacks: readonly SynthesizedStack[], options: OverrideOptions): Override {
  const content: Record<string, unknown> = { terraform: { backend: { local: { path: 'terraform.tfstate' } } } };

  const aws = providerConfigs(stack.config, 'aws');
  if (aws.length > 0) content.provider = { aws: aws.map(offlineProvider) };

  const remoteStates: RemoteStateAnswer[] = [];
  const remoteStateOverrides: Record<string, unknown> = {};
  for (const [dataSource, config] of Object.entries(stack.config.data?.terraform_remote_state ?? {})) {
    const producer = findProducer(stack, dataSource, stacks);
    const defaults = producer
      ? outputPlaceholders(producer, stacks, options.types, new Set([stack.name]))
      : Object.fromEntries(referencedOutputs(stack.config, dataSource).map((o) => [o, placeholderForName(o, stackLocation(stack.config))]));
    remoteStateOverrides[dataSource] = {
      backend: 'local',
      config: { path: options.emptyStatePath },
      defaults: { ...(config.defaults as object | undefined), ...defaults },
    };
    remoteStates.push({ dataSource, producer: producer?.name, outputs: Object.keys(defaults).length });
  }
  if (remoteStates.length > 0) content.data = { terraform_remote_state: remoteStateOverrides };

  return { content, remoteStates };
}

/** Partition, region and account of a stack's default AWS provider, with made-up ones where it has none. */
export function stackLocation(config: StackConfig): AwsLocation {
  const providers = providerConfigs(config, 'aws');
  const provider = providers.find((p) => p.alias === undefined) ?? providers[0] ?? {};
  const region = literal(provider.region) ?? 'us-east-1';
  const accounts = Array.isArray(provider.allowed_account_ids) ? provider.allowed_account_ids : [];
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { partition, region, accountId: literal(accounts[0]) ?? '123456789012' };
}

/** Placeholder values for every output of `producer`. */
export function outputPlaceholders(
  producer: SynthesizedStack,
  stacks: readonly SynthesizedStack[],
  types: ProviderTypes | undefined,
  seen: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const scope = producerScope(producer, stacks, types, new Set([...seen, producer.name]));
  return Object.fromEntries(Object.entries(producer.config.output ?? {}).map(([name, o]) => [name, placeholderFor(o.value, scope)]));
}

/** Output names that `config` reads through the remote state data source `dataSource`. */
export function referencedOutputs(config: StackConfig, dataSource: string): string[] {
  const text = JSON.stringify({ ...config, data: { ...config.data, terraform_remote_state: undefined } });
  const base = `data\\.terraform_remote_state\\.${dataSource.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\.outputs`;
  const names = new Set<string>();
  for (const m of text.matchAll(new RegExp(`${base}(?:\\.([A-Za-z_][\\w-]*)|\\[\\\\"([^"\\\\]+)\\\\"\\])`, 'g'))) {
    names.add(m[1] ?? m[2]);
  }
  return [...names].sort();
}

/** The synthesized stack whose outputs `dataSource` in `consumer` reads, if any. */
export function findProducer(consumer: SynthesizedStack, dataSource: string, stacks: readonly SynthesizedStack[]): SynthesizedStack | undefined {
  if (dataSource.startsWith(CROSS_STACK_PREFIX)) {
    const byName = stacks.find((s) => s.name === dataSource.slice(CROSS_STACK_PREFIX.length));
    if (byName) return byName;
  }
  const wanted = referencedOutputs(consumer.config, dataSource);
  if (wanted.length === 0) return undefined;
  return stacks.find((s) => s.name !== consumer.name && wanted.every((o) => o in (s.config.output ?? {})));
}

function producerScope(stack: SynthesizedStack, stacks: readonly SynthesizedStack[], types: ProviderTypes | undefined, seen: ReadonlySet<string>): ProducerScope {
  const config = stack.config;
  return {
    location: stackLocation(config),
    types,
    config: (mode, type, name) => (mode === 'managed' ? config.resource : config.data)?.[type]?.[name],
    // A producer may pass on an output it reads from a stack further upstream.
    remoteOutput: (dataSource, output) => {
      const upstream = findProducer(stack, dataSource, stacks);
      if (!upstream || seen.has(upstream.name)) return undefined;
      return outputPlaceholders(upstream, stacks, types, seen)[output];
    },
  };
}

function offlineProvider(config: Record<string, unknown>): Record<string, unknown> {
  const override: Record<string, unknown> = { ...(config.alias === undefined ? {} : { alias: config.alias }), ...OFFLINE_PROVIDER };
  // With no account id requested, an allow list would reject the empty id.
  if ('allowed_account_ids' in config) override.allowed_account_ids = null;
  for (const key of ['profile', 'token', 'shared_config_files', 'shared_credentials_files']) {
    if (key in config) override[key] = null;
  }
  // A role to assume would be assumed while configuring, by calling STS. An override can only
  // replace the block, and provider 5.x skips the call for an empty role_arn.
  for (const key of ['assume_role', 'assume_role_with_web_identity']) {
    if (key in config) override[key] = [{ role_arn: '' }];
  }
  return override;
}

function providerConfigs(config: StackConfig, name: string): Record<string, unknown>[] {
  const value = config.provider?.[name];
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

function literal(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && !value.includes('${') ? value : undefined;
}
