// What a rule's target receives for a matched event (PutTargets' Input, InputPath and InputTransformer, at
// most one of them): the whole event as JSON by default, a constant JSON text, the part of the event one
// JSON path selects, or a transformer's rendered template.
import { InputTransformationError, TargetInputValidationException } from './errors';
import { applyInputTransformer, inputTransformerProblems, type InputTransformer, type TransformContext } from './input-transformer';
import { parseJsonPath, selectJsonPath } from './json-path';

/** The input settings of one target. */
export interface TargetInputOptions {
  /** The target's Id. */
  readonly id: string;
  /** Constant JSON text sent instead of the event. @default none */
  readonly input?: string;
  /** JSON path of the part of the event to send (`$.detail`). @default none */
  readonly inputPath?: string;
  /** Template filled from the event. @default none */
  readonly inputTransformer?: InputTransformer;
}

/** Problems PutTargets would refuse the target's input settings for. */
export function targetInputProblems(target: TargetInputOptions): string[] {
  const problems: string[] = [];
  const set = [target.input, target.inputPath, target.inputTransformer].filter((option) => option !== undefined);
  if (set.length > 1) {
    // AWS's words (recorded by LocalStack's AWS-validated snapshot).
    problems.push(`Only one of Input, InputPath, or InputTransformer must be provided for target ${target.id}.`);
  }
  if (target.input !== undefined) {
    if (target.input.length > 8192) problems.push(`Input for target ${target.id} is longer than 8192 characters.`);
    try {
      JSON.parse(target.input);
    } catch {
      problems.push(`Input for target ${target.id} is not valid JSON.`);
    }
  }
  if (target.inputPath !== undefined) {
    if (target.inputPath.length > 256) problems.push(`InputPath for target ${target.id} is longer than 256 characters.`);
    try {
      parseJsonPath(target.inputPath);
    } catch (error) {
      problems.push(`InputPath for target ${target.id} is invalid: ${(error as Error).message}.`);
    }
  }
  if (target.inputTransformer) problems.push(...inputTransformerProblems(target.inputTransformer, target.id));
  return problems;
}

/**
 * The text EventBridge sends `target` for a matched event. `context` is needed only by transformers that
 * use `<aws.events.rule-arn>`, `<aws.events.rule-name>` or `<aws.events.event.ingestion-time>`.
 * Throws TargetInputValidationException for settings PutTargets would refuse, and InputTransformationError
 * for an event that yields no deliverable input.
 */
export function targetInput(target: TargetInputOptions, event: Record<string, unknown>, context?: Omit<TransformContext, 'targetId'>): string {
  const problems = targetInputProblems(target);
  if (problems.length > 0) throw new TargetInputValidationException(problems);
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) {
    const selection = selectJsonPath(parseJsonPath(target.inputPath), event);
    // Undocumented: what AWS sends when InputPath selects nothing. Jayway raises PathNotFound for a definite
    // path, so this treats it as a failed delivery rather than inventing a value.
    if (!selection.found) throw new InputTransformationError(`InputPath ${target.inputPath} selects nothing in the event`);
    return JSON.stringify(selection.value);
  }
  if (target.inputTransformer) {
    return applyInputTransformer(target.inputTransformer, event, context && { ...context, targetId: target.id });
  }
  return JSON.stringify(event);
}
