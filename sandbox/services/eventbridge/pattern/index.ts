// EventBridge event patterns: validation with AWS's messages, and matching as EventBridge does it.
// Written here rather than installed: EventBridge matches with event-ruler, a Java library, and npm has no
// maintained port (eb-patterns has left the registry; serverless-offline-aws-eventbridge is a Serverless
// Framework plugin, not a matching library), so this follows event-ruler's compiler and matcher and the
// User Guide, and is checked against outcomes AWS itself gave.
export { compilePattern, MAX_RULE_COMBINATIONS } from './compile';
export type { CompiledPattern } from './compile';
export { InvalidEventPatternException } from './errors';
export type { PatternProblem } from './errors';
