// What a target receives: the event, Input, InputPath or InputTransformer (PutTargets' Target fields), with
// the InputPath deliveries and the "only one of" error AWS gave in LocalStack's AWS-validated snapshots.
import {
  InputTransformationError,
  targetInput,
  targetInputProblems,
  TargetInputValidationException,
} from '../../../sandbox/services/eventbridge/transform';
import { withDetail } from './events';

const event = withDetail({ command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } });

describe('targetInput', () => {
  it('sends the whole event by default', () => {
    expect(JSON.parse(targetInput({ id: 't' }, event))).toEqual(event);
  });

  it('sends Input as it is, and nothing of the event', () => {
    expect(targetInput({ id: 't', input: '{"fixed": true}' }, event)).toBe('{"fixed": true}');
  });

  it.each([
    { path: '$.detail', sent: { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } } },
    { path: '$.detail.payload', sent: { acc_id: '0a787ecb-4015', sf_id: 'baz' } },
    { path: '$.detail.payload.sf_id', sent: 'baz' },
  ])('sends what InputPath $path selects, as JSON (recorded)', ({ path, sent }) => {
    expect(JSON.parse(targetInput({ id: 't', inputPath: path }, event))).toEqual(sent);
  });

  it('fails the delivery when InputPath selects nothing', () => {
    expect(() => targetInput({ id: 't', inputPath: '$.detail.missing' }, event)).toThrow(
      new InputTransformationError('InputPath $.detail.missing selects nothing in the event'),
    );
  });

  it('renders an InputTransformer with the rule context', () => {
    const target = { id: 't', inputTransformer: { inputPathsMap: { command: '$.detail.command' }, inputTemplate: '"<command> by <aws.events.rule-name>"' } };
    expect(targetInput(target, event, { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r', ingestionTime: event.time })).toBe(
      '"update-account by r"',
    );
  });
});

describe('targetInputProblems', () => {
  it('allows only one of Input, InputPath and InputTransformer, in AWS words (recorded)', () => {
    expect(targetInputProblems({ id: 'target-1', inputPath: '$.detail', inputTransformer: { inputTemplate: '"x"' } })).toEqual([
      'Only one of Input, InputPath, or InputTransformer must be provided for target target-1.',
    ]);
  });

  it('needs Input to be JSON and InputPath to be a supported path', () => {
    expect(targetInputProblems({ id: 'a', input: 'not json' })).toEqual(['Input for target a is not valid JSON.']);
    expect(targetInputProblems({ id: 'b', inputPath: 'detail' })).toEqual(['InputPath for target b is invalid: detail is not a JSON path: it must start with $.']);
  });

  it('is what targetInput throws, in one typed error', () => {
    expect(() => targetInput({ id: 'a', input: '{', inputPath: '$' }, event)).toThrow(TargetInputValidationException);
  });
});
