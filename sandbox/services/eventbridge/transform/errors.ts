/**
 * A target whose input settings EventBridge refuses at PutTargets (AWS error code `ValidationException`).
 * The message joins every problem; where AWS's text is known it is used word for word.
 */
export class TargetInputValidationException extends Error {
  override readonly name = 'TargetInputValidationException';
  /** The error code AWS answers with. */
  readonly code = 'ValidationException';

  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
  }
}

/**
 * An event that could not be turned into a target's input: a template that renders to invalid JSON, or an
 * InputPath that selects nothing. EventBridge does not deliver such an event to the target.
 */
export class InputTransformationError extends Error {
  override readonly name = 'InputTransformationError';
}
