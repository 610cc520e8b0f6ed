import { checkStacks, RULES, type StackDocument } from '../../stacks/lib/rules';
import { resourcesOf, synthPlatform } from './synth';

describe('the synthesized platform has none of the serverless anti-patterns', () => {
  it.each(['local', 'prod'])('%s: every rule passes on every stack', (environment) => {
    const stacks = synthPlatform(environment);
    const docs = Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, stack.doc as unknown as StackDocument]));
    expect(checkStacks(docs)).toEqual([]);
  });

  it('checks every rule the issue names, on a platform that has functions, queues and rule targets to check', () => {
    expect(Object.keys(RULES).sort()).toEqual([
      'no-lambda-invokes-lambda',
      'no-wildcard-actions',
      'one-trigger-per-function',
      'queue-has-dead-letter-queue',
      'queue-visibility-covers-consumer',
      'rule-target-retries-and-dead-letters',
      'short-function-timeout',
      'sqs-mapping-reports-batch-failures',
    ]);
    const stacks = Object.values(synthPlatform('local'));
    const count = (type: string) => stacks.reduce((sum, stack) => sum + resourcesOf(stack.doc, type).length, 0);
    expect(count('aws_lambda_function')).toBeGreaterThanOrEqual(6);
    expect(count('aws_lambda_event_source_mapping')).toBeGreaterThanOrEqual(4);
    expect(count('aws_cloudwatch_event_target')).toBeGreaterThanOrEqual(3);
    expect(count('aws_sqs_queue')).toBeGreaterThanOrEqual(8);
  });
});
