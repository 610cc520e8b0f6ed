// ARNs and Terraform ids of EventBridge and Scheduler resources, in the shapes AWS and the AWS provider use.
import { createHash } from 'node:crypto';

/** Where resources live: the provider's region and account. */
export interface Place {
  readonly region: string;
  readonly accountId: string;
}

/** The bus every account has. */
export const DEFAULT_BUS = 'default';

export function busArn(place: Place, name: string): string {
  return `arn:aws:events:${place.region}:${place.accountId}:event-bus/${name}`;
}

/** The bus name in a bus name or ARN (Terraform and the API take either). */
export function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return DEFAULT_BUS;
  const match = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return match ? (match[1] as string) : nameOrArn;
}

/** `rule/<name>` on the default bus, `rule/<bus>/<name>` on a custom one. */
export function ruleArn(place: Place, bus: string, rule: string): string {
  const path = bus === DEFAULT_BUS ? rule : `${bus}/${rule}`;
  return `arn:aws:events:${place.region}:${place.accountId}:rule/${path}`;
}

/** The AWS provider's rule id: the name on the default bus, `<bus>|<name>` otherwise. */
export function ruleId(bus: string, rule: string): string {
  return bus === DEFAULT_BUS ? rule : `${bus}|${rule}`;
}

/** The AWS provider's target id: `<rule>-<target>`, or `<bus>-<rule>-<target>` on a custom bus. */
export function targetResourceId(bus: string, rule: string, targetId: string): string {
  return (bus === DEFAULT_BUS ? [rule, targetId] : [bus, rule, targetId]).join('-');
}

export function archiveArn(place: Place, name: string): string {
  return `arn:aws:events:${place.region}:${place.accountId}:archive/${name}`;
}

export function replayArn(place: Place, name: string): string {
  return `arn:aws:events:${place.region}:${place.accountId}:replay/${name}`;
}

export function scheduleArn(place: Place, group: string, name: string): string {
  return `arn:aws:scheduler:${place.region}:${place.accountId}:schedule/${group}/${name}`;
}

export function scheduleGroupArn(place: Place, name: string): string {
  return `arn:aws:scheduler:${place.region}:${place.accountId}:schedule-group/${name}`;
}

/** The services a target can be; anything else is not delivered. */
export type TargetKind = 'lambda' | 'sqs' | 'sns' | 'sfn' | 'appsync' | 'eventbridge' | 'unsupported';

/** What a target ARN points at. */
export function targetKind(arn: string): TargetKind {
  const [, , service, , , resource = ''] = arn.split(':');
  if (service === 'lambda' && resource === 'function') return 'lambda';
  if (service === 'sqs') return 'sqs';
  if (service === 'sns') return 'sns';
  if (service === 'states' && resource === 'stateMachine') return 'sfn';
  if (service === 'appsync') return 'appsync';
  if (service === 'events' && resource.startsWith('event-bus/')) return 'eventbridge';
  return 'unsupported';
}

/** The role name of an IAM role ARN (the path dropped). */
export function roleName(roleArn: string): string {
  return roleArn.split('/').at(-1) ?? roleArn;
}

/**
 * A stable stand-in for a name Terraform would generate (`name_prefix`, or none): the prefix (default
 * `terraform-`) followed by 26 digits derived from the resource's address, so references agree across runs.
 */
export function generatedName(address: string, prefix = 'terraform-'): string {
  const digits = BigInt(`0x${createHash('sha256').update(address).digest('hex').slice(0, 24)}`).toString().padStart(26, '0').slice(0, 26);
  return `${prefix}${digits}`;
}
