// What EventBridge sends a rule's target: Input, InputPath and InputTransformer.
export { applyInputTransformer, inputTransformerProblems, PREDEFINED_VARIABLES } from './input-transformer';
export type { InputTransformer, TransformContext } from './input-transformer';
export { InputTransformationError, TargetInputValidationException } from './errors';
export { parseJsonPath, selectJsonPath } from './json-path';
export type { JsonPath, Selection } from './json-path';
export { targetInput, targetInputProblems } from './target-input';
export type { TargetInputOptions } from './target-input';
