// Reads the platform's EventBridge and Scheduler resources out of the model into what the service runs:
// buses, rules with their compiled patterns or schedules and their targets, archives and schedules. Every
// problem AWS would refuse at apply is collected and reported at once.
import type { AttributeProvider, PlatformModel, ResourceRef } from '../../model/platform-model';
import {
  archiveArn,
  busArn,
  busName,
  DEFAULT_BUS,
  generatedName,
  ruleArn,
  ruleId,
  scheduleArn,
  scheduleGroupArn,
  targetKind,
  targetResourceId,
  type Place,
  type TargetKind,
} from './arns';
import { compilePattern, type CompiledPattern } from './pattern';
import { parseScheduleExpression, type ScheduleExpression } from './schedule/expression';
import { targetInputProblems, type TargetInputOptions } from './transform';

/** How long and how often a failed delivery is retried. */
export interface RetryPolicy {
  readonly maximumEventAgeSeconds: number;
  readonly maximumRetryAttempts: number;
}

/** AWS's default for rule targets and schedules: 24 hours, 185 retries. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maximumEventAgeSeconds: 86_400, maximumRetryAttempts: 185 };

export interface BusDefinition {
  readonly name: string;
  readonly arn: string;
  /** The `aws_cloudwatch_event_bus` address; undefined for the default bus. */
  readonly address?: string;
  /** Whether an `aws_cloudwatch_event_bus_policy` is attached (accepted, not enforced). */
  readonly hasPolicy: boolean;
}

export interface TargetDefinition {
  /** The target's Id within its rule (`target_id`). */
  readonly id: string;
  readonly arn: string;
  readonly kind: TargetKind;
  readonly input: TargetInputOptions;
  readonly retryPolicy: RetryPolicy;
  readonly deadLetterArn?: string;
  readonly roleArn?: string;
  /** `appsync_target.graphql_operation`. */
  readonly graphqlOperation?: string;
  /** `sqs_target.message_group_id`. */
  readonly messageGroupId?: string;
  readonly address: string;
}

export interface RuleDefinition {
  readonly name: string;
  readonly busName: string;
  readonly arn: string;
  readonly enabled: boolean;
  readonly eventPattern?: string;
  readonly pattern?: CompiledPattern;
  readonly schedule?: ScheduleExpression;
  readonly targets: TargetDefinition[];
  readonly address: string;
}

export interface ArchiveDefinition {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventPattern?: string;
  readonly pattern?: CompiledPattern;
  /** 0 keeps events indefinitely. */
  readonly retentionDays: number;
}

export interface ScheduleTarget {
  readonly arn: string;
  readonly kind: TargetKind;
  readonly roleArn?: string;
  readonly input?: string;
  readonly retryPolicy: RetryPolicy;
  readonly deadLetterArn?: string;
  /** `eventbridge_parameters` of a bus target. */
  readonly eventBridge?: { readonly detailType: string; readonly source: string };
  readonly messageGroupId?: string;
}

export interface ScheduleDefinition {
  readonly name: string;
  readonly group: string;
  readonly arn: string;
  readonly expression: ScheduleExpression;
  readonly timeZone: string;
  readonly enabled: boolean;
  readonly startDate?: number;
  readonly endDate?: number;
  /** `OFF`, or `FLEXIBLE` with a window in minutes (the sandbox fires at the window's start). */
  readonly flexibleWindow: { readonly mode: string; readonly maximumWindowInMinutes?: number };
  readonly target: ScheduleTarget;
}

/** Everything the service runs. */
export interface Topology {
  readonly buses: Map<string, BusDefinition>;
  readonly rules: RuleDefinition[];
  readonly archives: ArchiveDefinition[];
  readonly schedules: ScheduleDefinition[];
  /** Things that run but not as on AWS (unsupported targets...), for the log. */
  readonly warnings: string[];
}

type Config = Record<string, unknown>;

/** A nested block as cdktf writes it: an object, or a one-element list. */
function block(value: unknown): Config | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item && typeof item === 'object' ? (item as Config) : undefined;
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function numberOr(value: unknown, fallback: number): number {
  return value === undefined || value === null || value === '' ? fallback : Number(value);
}

function placeOf(model: PlatformModel): Place {
  return { region: model.region, accountId: model.accountId };
}

/** A resource's name: `name`, else `name_prefix` + generated digits, else a generated `terraform-` name. */
function nameOf(model: PlatformModel, resource: ResourceRef): string {
  const raw = resource.raw;
  if (raw.name !== undefined) return String(model.resolve(resource.stack, raw.name));
  const prefix = raw.name_prefix !== undefined ? String(model.resolve(resource.stack, raw.name_prefix)) : undefined;
  return generatedName(resource.id, prefix);
}

function ruleBus(model: PlatformModel, resource: ResourceRef): string {
  return busName(text(model.resolve(resource.stack, resource.raw.event_bus_name)));
}

function scheduleGroup(model: PlatformModel, resource: ResourceRef): string {
  return text(model.resolve(resource.stack, resource.raw.group_name)) ?? 'default';
}

/** The target's Id: `target_id`, or a generated one as the provider does. */
function targetIdOf(model: PlatformModel, resource: ResourceRef): string {
  return text(model.resolve(resource.stack, resource.raw.target_id)) ?? generatedName(resource.id);
}

/** After-apply attributes of the types the service runs or accepts, as the AWS provider reports them. */
export function eventBridgeAttributes(): Record<string, AttributeProvider> {
  return {
    aws_cloudwatch_event_bus: (resource, attribute, model) => {
      const name = nameOf(model, resource);
      if (attribute === 'arn') return busArn(placeOf(model), name);
      if (attribute === 'id' || attribute === 'name') return name;
      return undefined;
    },
    aws_cloudwatch_event_rule: (resource, attribute, model) => {
      const name = nameOf(model, resource);
      const bus = ruleBus(model, resource);
      if (attribute === 'arn') return ruleArn(placeOf(model), bus, name);
      if (attribute === 'id') return ruleId(bus, name);
      if (attribute === 'name') return name;
      return undefined;
    },
    aws_cloudwatch_event_target: (resource, attribute, model) => {
      if (attribute === 'id') {
        const rule = String(model.resolve(resource.stack, resource.raw.rule));
        return targetResourceId(ruleBus(model, resource), rule, targetIdOf(model, resource));
      }
      if (attribute === 'target_id') return targetIdOf(model, resource);
      return undefined;
    },
    aws_cloudwatch_event_archive: (resource, attribute, model) => {
      const name = nameOf(model, resource);
      if (attribute === 'arn') return archiveArn(placeOf(model), name);
      if (attribute === 'id' || attribute === 'name') return name;
      return undefined;
    },
    aws_cloudwatch_event_bus_policy: (resource, attribute, model) => {
      if (attribute === 'id') return ruleBus(model, resource);
      return undefined;
    },
    aws_scheduler_schedule: (resource, attribute, model) => {
      const name = nameOf(model, resource);
      const group = scheduleGroup(model, resource);
      if (attribute === 'arn') return scheduleArn(placeOf(model), group, name);
      if (attribute === 'id') return `${group}/${name}`;
      if (attribute === 'name') return name;
      return undefined;
    },
    aws_scheduler_schedule_group: (resource, attribute, model) => {
      const name = nameOf(model, resource);
      if (attribute === 'arn') return scheduleGroupArn(placeOf(model), name);
      if (attribute === 'id' || attribute === 'name') return name;
      return undefined;
    },
  };
}

function retryPolicy(config: Config | undefined, where: string, problems: string[]): RetryPolicy {
  const policy = {
    maximumEventAgeSeconds: numberOr(config?.maximum_event_age_in_seconds, DEFAULT_RETRY_POLICY.maximumEventAgeSeconds),
    maximumRetryAttempts: numberOr(config?.maximum_retry_attempts, DEFAULT_RETRY_POLICY.maximumRetryAttempts),
  };
  if (!Number.isInteger(policy.maximumEventAgeSeconds) || policy.maximumEventAgeSeconds < 60 || policy.maximumEventAgeSeconds > 86_400) {
    problems.push(`${where}: retry_policy.maximum_event_age_in_seconds must be 60 to 86400`);
  }
  if (!Number.isInteger(policy.maximumRetryAttempts) || policy.maximumRetryAttempts < 0 || policy.maximumRetryAttempts > 185) {
    problems.push(`${where}: retry_policy.maximum_retry_attempts must be 0 to 185`);
  }
  return policy;
}

function deadLetterArn(config: Config | undefined, where: string, problems: string[]): string | undefined {
  const arn = text(config?.arn);
  if (arn !== undefined && !arn.startsWith('arn:aws:sqs:')) problems.push(`${where}: dead_letter_config.arn ${arn} is not an SQS queue ARN`);
  return arn;
}

function patternOf(value: unknown, where: string, problems: string[]): CompiledPattern | undefined {
  if (value === undefined) return undefined;
  try {
    return compilePattern(value);
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
    return undefined;
  }
}

function timestamp(value: unknown, where: string, field: string, problems: string[]): number | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const parsed = Date.parse(raw);
  if (Number.isNaN(parsed)) problems.push(`${where}: ${field} ${raw} is not an RFC 3339 timestamp`);
  return parsed;
}

function readBuses(model: PlatformModel, problems: string[]): Map<string, BusDefinition> {
  const place = placeOf(model);
  const policies = new Set(model.resources('aws_cloudwatch_event_bus_policy').map((resource) => ruleBus(model, resource)));
  const buses = new Map<string, BusDefinition>([[DEFAULT_BUS, { name: DEFAULT_BUS, arn: busArn(place, DEFAULT_BUS), hasPolicy: policies.has(DEFAULT_BUS) }]]);
  for (const resource of model.resources('aws_cloudwatch_event_bus')) {
    const name = nameOf(model, resource);
    if (buses.has(name)) problems.push(`${resource.id}: an event bus named ${name} already exists`);
    else buses.set(name, { name, arn: busArn(place, name), address: resource.id, hasPolicy: policies.has(name) });
  }
  return buses;
}

function readRules(model: PlatformModel, buses: Map<string, BusDefinition>, problems: string[]): RuleDefinition[] {
  const place = placeOf(model);
  const rules: RuleDefinition[] = [];
  for (const resource of model.resources('aws_cloudwatch_event_rule')) {
    const config = model.config(resource);
    const name = nameOf(model, resource);
    const bus = busName(text(config.event_bus_name));
    const where = resource.id;
    if (!buses.has(bus)) problems.push(`${where}: event bus ${bus} does not exist`);
    const eventPattern = text(config.event_pattern);
    const scheduleText = text(config.schedule_expression);
    if (eventPattern === undefined && scheduleText === undefined) problems.push(`${where}: a rule needs event_pattern or schedule_expression`);
    let schedule: ScheduleExpression | undefined;
    if (scheduleText !== undefined) {
      if (bus !== DEFAULT_BUS) problems.push(`${where}: ScheduleExpression is supported only on the default event bus`);
      try {
        schedule = parseScheduleExpression(scheduleText, false);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
    const state = text(config.state) ?? (config.is_enabled === false || config.is_enabled === 'false' ? 'DISABLED' : 'ENABLED');
    rules.push({
      name,
      busName: bus,
      arn: ruleArn(place, bus, name),
      enabled: state !== 'DISABLED',
      ...(eventPattern !== undefined ? { eventPattern, pattern: patternOf(eventPattern, where, problems) } : {}),
      ...(schedule ? { schedule } : {}),
      targets: [],
      address: resource.id,
    });
  }
  return rules;
}

function readTarget(model: PlatformModel, resource: ResourceRef, problems: string[]): { bus: string; rule: string; target: TargetDefinition } {
  const config = model.config(resource);
  const where = resource.id;
  const id = targetIdOf(model, resource);
  const arn = String(config.arn ?? '');
  const transformer = block(config.input_transformer);
  const input: TargetInputOptions = {
    id,
    ...(text(config.input) !== undefined ? { input: String(config.input) } : {}),
    ...(text(config.input_path) !== undefined ? { inputPath: String(config.input_path) } : {}),
    ...(transformer
      ? { inputTransformer: { inputTemplate: String(transformer.input_template ?? ''), inputPathsMap: (transformer.input_paths ?? {}) as Record<string, string> } }
      : {}),
  };
  problems.push(...targetInputProblems(input).map((problem) => `${where}: ${problem}`));
  const kind = targetKind(arn);
  const graphqlOperation = text(block(config.appsync_target)?.graphql_operation);
  if (kind === 'appsync' && graphqlOperation === undefined) problems.push(`${where}: an AppSync target needs appsync_target.graphql_operation`);
  const roleArn = text(config.role_arn);
  const messageGroupId = text(block(config.sqs_target)?.message_group_id);
  const dlq = deadLetterArn(block(config.dead_letter_config), where, problems);
  return {
    bus: busName(text(config.event_bus_name)),
    rule: String(config.rule ?? ''),
    target: {
      id,
      arn,
      kind,
      input,
      retryPolicy: retryPolicy(block(config.retry_policy), where, problems),
      ...(dlq ? { deadLetterArn: dlq } : {}),
      ...(roleArn ? { roleArn } : {}),
      ...(graphqlOperation ? { graphqlOperation } : {}),
      ...(messageGroupId ? { messageGroupId } : {}),
      address: where,
    },
  };
}

function readArchives(model: PlatformModel, buses: Map<string, BusDefinition>, problems: string[]): ArchiveDefinition[] {
  const place = placeOf(model);
  return model.resources('aws_cloudwatch_event_archive').map((resource) => {
    const config = model.config(resource);
    const name = nameOf(model, resource);
    const source = String(config.event_source_arn ?? '');
    const bus = [...buses.values()].find((candidate) => candidate.arn === source);
    if (!bus) problems.push(`${resource.id}: event_source_arn ${source} names no event bus of the platform`);
    const eventPattern = text(config.event_pattern);
    return {
      name,
      arn: archiveArn(place, name),
      busName: bus?.name ?? busName(source),
      ...(eventPattern !== undefined ? { eventPattern, pattern: patternOf(eventPattern, resource.id, problems) } : {}),
      retentionDays: numberOr(config.retention_days, 0),
    };
  });
}

function readSchedules(model: PlatformModel, problems: string[]): ScheduleDefinition[] {
  const place = placeOf(model);
  return model.resources('aws_scheduler_schedule').flatMap((resource) => {
    const config = model.config(resource);
    const where = resource.id;
    const name = nameOf(model, resource);
    const group = scheduleGroup(model, resource);
    let expression: ScheduleExpression;
    try {
      expression = parseScheduleExpression(String(config.schedule_expression ?? ''), true);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return [];
    }
    const timeZone = text(config.schedule_expression_timezone) ?? 'UTC';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      problems.push(`${where}: schedule_expression_timezone ${timeZone} is not a time zone`);
      return [];
    }
    const target = block(config.target) ?? {};
    const arn = String(target.arn ?? '');
    const bridge = block(target.eventbridge_parameters);
    const kind = targetKind(arn);
    if (kind === 'eventbridge' && !bridge) problems.push(`${where}: a bus target needs target.eventbridge_parameters (detail_type, source)`);
    const window = block(config.flexible_time_window) ?? {};
    const dlq = deadLetterArn(block(target.dead_letter_config), where, problems);
    const startDate = timestamp(config.start_date, where, 'start_date', problems);
    const endDate = timestamp(config.end_date, where, 'end_date', problems);
    const roleArn = text(target.role_arn);
    const input = text(target.input);
    const messageGroupId = text(block(target.sqs_parameters)?.message_group_id);
    return [
      {
        name,
        group,
        arn: scheduleArn(place, group, name),
        expression,
        timeZone,
        enabled: (text(config.state) ?? 'ENABLED') !== 'DISABLED',
        ...(startDate !== undefined ? { startDate } : {}),
        ...(endDate !== undefined ? { endDate } : {}),
        flexibleWindow: {
          mode: text(window.mode) ?? 'OFF',
          ...(window.maximum_window_in_minutes !== undefined ? { maximumWindowInMinutes: Number(window.maximum_window_in_minutes) } : {}),
        },
        target: {
          arn,
          kind,
          ...(roleArn ? { roleArn } : {}),
          ...(input !== undefined ? { input } : {}),
          retryPolicy: retryPolicy(block(target.retry_policy), where, problems),
          ...(dlq ? { deadLetterArn: dlq } : {}),
          ...(bridge ? { eventBridge: { detailType: String(bridge.detail_type ?? ''), source: String(bridge.source ?? '') } } : {}),
          ...(messageGroupId ? { messageGroupId } : {}),
        },
      },
    ];
  });
}

/** The platform's buses, rules, targets, archives and schedules; throws listing every problem AWS would refuse. */
export function readTopology(model: PlatformModel): Topology {
  const problems: string[] = [];
  const warnings: string[] = [];
  const buses = readBuses(model, problems);
  const rules = readRules(model, buses, problems);
  for (const resource of model.resources('aws_cloudwatch_event_target')) {
    const { bus, rule, target } = readTarget(model, resource, problems);
    const owner = rules.find((candidate) => candidate.name === rule && candidate.busName === bus);
    if (!owner) {
      problems.push(`${resource.id}: rule ${rule} does not exist on event bus ${bus}`);
      continue;
    }
    if (owner.targets.some((existing) => existing.id === target.id)) problems.push(`${resource.id}: rule ${rule} already has a target ${target.id}`);
    if (target.kind === 'unsupported') warnings.push(`Target ${target.id} of rule ${rule} (${target.arn}): the sandbox does not deliver to this kind of target`);
    owner.targets.push(target);
  }
  const archives = readArchives(model, buses, problems);
  const schedules = readSchedules(model, problems);
  for (const schedule of schedules) {
    if (schedule.target.kind === 'unsupported' || schedule.target.kind === 'appsync') {
      warnings.push(`Schedule ${schedule.name} (${schedule.target.arn}): the sandbox delivers schedules to Lambda, SQS, SNS, Step Functions and event buses only`);
    }
  }
  if (problems.length > 0) throw new Error(`The platform's EventBridge resources cannot run:\n- ${problems.join('\n- ')}`);
  return { buses, rules, archives, schedules, warnings };
}
