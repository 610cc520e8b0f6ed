// A target's InputTransformer: InputPathsMap names values of the event, InputTemplate places them
// ("Amazon EventBridge input transformation"; the limits are the API model's: at most 100 variables, keys
// [A-Za-z0-9_-]+ of up to 256 characters, paths of up to 256, a template of 1 to 8192 characters).
import { InputTransformationError, TargetInputValidationException } from './errors';
import { parseJsonPath, selectJsonPath, type JsonPath } from './json-path';
import { fillTemplate, scanTemplate, type Rendered } from './template';

/** InputTransformer as PutTargets takes it. */
export interface InputTransformer {
  /** Variable name -> JSON path into the event. @default {} */
  readonly inputPathsMap?: Readonly<Record<string, string>>;
  /** The template, with `<variable>` placeholders. */
  readonly inputTemplate: string;
}

/** What the predefined variables read: the rule that matched and when EventBridge received the event. */
export interface TransformContext {
  /** `<aws.events.rule-arn>`. */
  readonly ruleArn: string;
  /** `<aws.events.rule-name>`. */
  readonly ruleName: string;
  /** `<aws.events.event.ingestion-time>`, an ISO 8601 timestamp. */
  readonly ingestionTime: string;
  /** The target's Id, for error messages. @default '(no id)' */
  readonly targetId?: string;
}

/** The variables every template may use without defining them; no InputPathsMap key may take these names. */
export const PREDEFINED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event.ingestion-time',
  'aws.events.event',
  'aws.events.event.json',
] as const;

const PREDEFINED = new Set<string>(PREDEFINED_VARIABLES);
const MAX_VARIABLES = 100;
const KEY = /^[A-Za-z0-9_-]+$/;

/** Problems with a transformer, as PutTargets would refuse it, worded for target `targetId`. */
export function inputTransformerProblems(transformer: InputTransformer, targetId: string): string[] {
  const problems: string[] = [];
  const paths = transformer.inputPathsMap ?? {};
  const template = transformer.inputTemplate;
  if (template.length < 1 || template.length > 8192) {
    problems.push(`InputTemplate for target ${targetId} must be 1 to 8192 characters long.`);
  }
  const keys = Object.keys(paths);
  if (keys.length > MAX_VARIABLES) {
    problems.push(`InputPathsMap for target ${targetId} has ${keys.length} variables; at most ${MAX_VARIABLES} are allowed.`);
  }
  for (const key of keys) {
    if (!KEY.test(key) || key.length > 256) {
      problems.push(`InputPathsMap key ${key} for target ${targetId} must be 1 to 256 letters, digits, _ or -.`);
    }
    if ((paths[key] as string).length > 256) {
      problems.push(`InputPathsMap path for ${key} in target ${targetId} is longer than 256 characters.`);
    }
  }
  for (const placeholder of scanTemplate(template).placeholders) {
    if (!Object.hasOwn(paths, placeholder.name) && !PREDEFINED.has(placeholder.name)) {
      // AWS's words (recorded by LocalStack's AWS-validated snapshot).
      problems.push(`InputTemplate for target ${targetId} contains invalid placeholder ${placeholder.name}.`);
    } else if (placeholder.asKey) {
      problems.push(`InputTemplate for target ${targetId} uses placeholder ${placeholder.name} as an object key, which a JSON template may not.`);
    }
  }
  return problems;
}

/** The event without `detail`, with `detail-type` as `detailType`, in the key order AWS delivers it. */
function eventWithoutDetail(event: Record<string, unknown>): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key !== 'detail') renamed[key === 'detail-type' ? 'detailType' : key] = value;
  }
  const order = ['id', 'account', 'detailType', 'time', 'source', 'region', 'resources', 'version'];
  const ordered: Record<string, unknown> = {};
  for (const key of order) if (Object.hasOwn(renamed, key)) ordered[key] = renamed[key];
  return { ...ordered, ...renamed };
}

function predefined(name: string, event: Record<string, unknown>, context: TransformContext | undefined): unknown {
  switch (name) {
    case 'aws.events.event':
      return eventWithoutDetail(event);
    case 'aws.events.event.json':
      return event;
  }
  if (!context) throw new TypeError(`<${name}> needs the rule and ingestion time: pass a TransformContext`);
  if (name === 'aws.events.rule-arn') return context.ruleArn;
  if (name === 'aws.events.rule-name') return context.ruleName;
  return context.ingestionTime;
}

/**
 * Renders a transformer's template for one event; the result is the text EventBridge sends the target.
 * Throws TargetInputValidationException for a transformer PutTargets would refuse, and
 * InputTransformationError when a path is outside the supported syntax or a JSON template renders to
 * invalid JSON (AWS then does not deliver the event to the target).
 */
export function applyInputTransformer(transformer: InputTransformer, event: Record<string, unknown>, context?: TransformContext): string {
  const problems = inputTransformerProblems(transformer, context?.targetId ?? '(no id)');
  if (problems.length > 0) throw new TargetInputValidationException(problems);
  const paths = new Map<string, JsonPath>();
  for (const [name, path] of Object.entries(transformer.inputPathsMap ?? {})) {
    try {
      paths.set(name, parseJsonPath(path));
    } catch (error) {
      throw new InputTransformationError(`InputPathsMap.${name}: ${(error as Error).message}`);
    }
  }
  const template = transformer.inputTemplate;
  const scanned = scanTemplate(template);
  const lookup = (name: string): Rendered => {
    const path = paths.get(name);
    return path ? selectJsonPath(path, event) : { found: true, value: predefined(name, event, context) };
  };
  const rendered = fillTemplate(template, scanned, lookup);
  if (scanned.kind === 'json') {
    try {
      JSON.parse(rendered);
    } catch (error) {
      throw new InputTransformationError(`The InputTemplate rendered to invalid JSON (${(error as Error).message}): ${rendered}`);
    }
  }
  return rendered;
}
