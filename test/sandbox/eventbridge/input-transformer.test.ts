// Input transformers: the "Input transform examples" table of "Amazon EventBridge input transformation"
// (its EC2 event, Input Path and every template with its documented output), its predefined variables, and
// what AWS delivered for other templates as recorded in LocalStack's AWS-validated snapshots
// (test_events_inputs.snapshot.json, "recorded" below).
import {
  applyInputTransformer,
  InputTransformationError,
  TargetInputValidationException,
  type InputTransformer,
  type TransformContext,
} from '../../../sandbox/services/eventbridge/transform';
import { awsEvent, transformerDocEvent, withDetail } from './events';

const context: TransformContext = {
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: '2015-11-11T21:29:55Z',
};

describe('the documented input transform examples', () => {
  const inputPathsMap = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state', resource: '$.resources[0]' };
  const transform = (inputTemplate: string) => applyInputTransformer({ inputPathsMap, inputTemplate }, transformerDocEvent(), context);

  it.each([
    { name: 'Simple string', template: '"instance <instance> is in <state>"', output: '"instance i-0123456789 is in RUNNING"' },
    {
      name: 'String with escaped quotes',
      template: '"instance \\"<instance>\\" is in <state>"',
      output: '"instance \\"i-0123456789\\" is in RUNNING"',
    },
    {
      name: 'Simple JSON',
      template: '{\n  "instance" : <instance>,\n  "state": <state>\n}',
      output: '{\n  "instance" : "i-0123456789",\n  "state": "RUNNING"\n}',
    },
    {
      name: 'JSON with strings and variables',
      template: '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
      output: '{\n "instance" : "i-0123456789",\n "state": "RUNNING",\n "instanceStatus": "instance \\"i-0123456789\\" is in RUNNING"\n}',
    },
    { name: 'Including reserved variables in a string', template: '"<aws.events.rule-name> triggered"', output: '"example triggered"' },
    { name: 'an array element by index', template: '{"resource": <resource>}', output: '{"resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}' },
    { name: 'a template that is plain text (API reference)', template: '<instance> is in state <state>', output: 'i-0123456789 is in state RUNNING' },
  ])('$name', ({ template, output }) => {
    expect(transform(template)).toBe(output);
  });

  it('JSON with a mix of variables and static information', () => {
    const output = transform('{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}');
    expect(JSON.parse(output)).toEqual({ instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' });
  });

  it('Including reserved variables in JSON', () => {
    const output = transform(
      '{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event.json>\n}',
    );
    expect(JSON.parse(output)).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
      ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
      ruleName: 'example',
      originalEvent: transformerDocEvent(),
    });
  });
});

describe('predefined variables', () => {
  it('gives the rule, the ingestion time and the event without its detail (recorded)', () => {
    const event = withDetail({ command: 'update-account' });
    const template = '{"originalEvent": <aws.events.event>, "received": <aws.events.event.ingestion-time>, "in": "<aws.events.rule-name> at <aws.events.rule-arn>"}';
    expect(JSON.parse(applyInputTransformer({ inputTemplate: template }, event, context))).toEqual({
      originalEvent: {
        id: event.id,
        account: event.account,
        detailType: event['detail-type'],
        time: event.time,
        source: event.source,
        region: event.region,
        resources: event.resources,
        version: '0',
      },
      received: '2015-11-11T21:29:55Z',
      in: 'example at arn:aws:events:us-east-2:123456789012:rule/example',
    });
  });

  it('needs the rule context for the rule variables', () => {
    expect(() => applyInputTransformer({ inputTemplate: '"<aws.events.rule-name>"' }, awsEvent())).toThrow(TypeError);
  });
});

describe('how values are placed (recorded)', () => {
  const detail = { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' }, listsingle: ['HIGH'], listmulti: ['ACTIVE', 'INACTIVE'], valid: true };
  const inputPathsMap = {
    userId: '$.detail.payload.acc_id',
    payload: '$.detail.payload',
    systemstring: '$.detail.awsAccountId',
    listsingle: '$.detail.listsingle',
    listmulti: '$.detail.listmulti',
    valid: '$.detail.valid',
  };
  const transform = (inputTemplate: string) => applyInputTransformer({ inputPathsMap, inputTemplate }, withDetail(detail));

  it.each([
    { name: 'an object as a JSON value', template: '{"bod": <payload>}', output: '{"bod": {"acc_id":"0a787ecb-4015","sf_id":"baz"}}' },
    { name: 'a string inside a JSON string', template: '{"path": "users-service/users/<userId>"}', output: '{"path": "users-service/users/0a787ecb-4015"}' },
    { name: 'a string quoted or not gives the same JSON', template: '{"a": <userId>, "b": "<userId>"}', output: '{"a": "0a787ecb-4015", "b": "0a787ecb-4015"}' },
    { name: 'a string as a list element', template: '{"bod": [<userId>, "hardcoded"]}', output: '{"bod": ["0a787ecb-4015", "hardcoded"]}' },
    { name: 'a list as a JSON value', template: '{"singlelistitem": <listsingle>}', output: '{"singlelistitem": ["HIGH"]}' },
    { name: 'one variable twice', template: '{"multi_replacement": "users/<userId>/second/<userId>"}', output: '{"multi_replacement": "users/0a787ecb-4015/second/0a787ecb-4015"}' },
    {
      name: 'objects and lists in text lose their quotes, a missing value is empty',
      template: '"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"',
      output: '"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id"',
    },
    { name: 'a boolean in text', template: '"Command is <valid>!"', output: '"Command is true!"' },
    { name: 'text that starts like JSON inside its quotes', template: '"{[/Check for <userId>"', output: '"{[/Check for 0a787ecb-4015"' },
    { name: 'a missing value as a JSON value is ""', template: '{"command": <systemstring>}', output: '{"command": ""}' },
  ])('$name', ({ template, output }) => {
    expect(transform(template)).toBe(output);
  });

  it.each([
    { name: 'an object inside a JSON string', template: '{"payload": "<payload>"}' },
    { name: 'a list inside a JSON string', template: '{"singlelistitem": "<listsingle>"}' },
    { name: 'an object spliced into a path', template: '{"not_valid": "users-service/users/<payload>", "bod": <payload>}' },
  ])('is not delivered: $name renders to invalid JSON', ({ template }) => {
    expect(() => transform(template)).toThrow(InputTransformationError);
  });

  it('does not escape a string placed inside a JSON string ("Common issues")', () => {
    const transformer = { inputPathsMap: { quote: '$.detail.quote' }, inputTemplate: '{"said": "<quote>"}' };
    expect(() => applyInputTransformer(transformer, withDetail({ quote: 'say "hi"' }))).toThrow(InputTransformationError);
    expect(applyInputTransformer({ ...transformer, inputTemplate: '{"said": <quote>}' }, withDetail({ quote: 'say "hi"' }))).toBe('{"said": "say \\"hi\\""}');
  });
});

describe('JSON paths', () => {
  const event = withDetail({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }], 'with/slash': 'slashed', nothing: null });
  const pick = (path: string) => applyInputTransformer({ inputPathsMap: { v: path }, inputTemplate: '{"v": <v>}' }, event);

  it.each([
    { path: '$.detail.items[1].sku', value: 'b' },
    { path: '$.detail.items[*].sku', value: ['a', 'b'] },
    { path: '$.detail.items[0].*', value: ['a', 1] },
    { path: "$['detail']['with/slash']", value: 'slashed' },
    { path: '$.detail.with/slash', value: 'slashed' },
    { path: '$.detail.nothing', value: null },
    { path: '$.detail.items[5]', value: '' },
  ])('$path', ({ path, value }) => {
    expect(JSON.parse(pick(path))).toEqual({ v: value });
  });

  it('refuses syntax outside the supported subset', () => {
    expect(() => pick('$..sku')).toThrow(new InputTransformationError('InputPathsMap.v: $..sku is not a JSON path EventBridge supports (at "..sku")'));
  });
});

describe('validation, as PutTargets does it', () => {
  const problems = (transformer: InputTransformer) => {
    try {
      applyInputTransformer(transformer, awsEvent(), { ...context, targetId: 'target-1' });
    } catch (error) {
      if (error instanceof TargetInputValidationException) return error.problems;
      throw error;
    }
    return [];
  };

  it('refuses a placeholder with no variable, in AWS words (recorded)', () => {
    const transformer = { inputPathsMap: { 'detail-type': '$.detail-type' }, inputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"' };
    expect(problems(transformer)).toEqual(['InputTemplate for target target-1 contains invalid placeholder notdefinedkey.']);
  });

  it('refuses a placeholder as an object key', () => {
    expect(problems({ inputPathsMap: { k: '$.id' }, inputTemplate: '{<k>: 1, "<k>": 2, "ok": "<k>"}' })).toEqual([
      'InputTemplate for target target-1 uses placeholder k as an object key, which a JSON template may not.',
      'InputTemplate for target target-1 uses placeholder k as an object key, which a JSON template may not.',
    ]);
  });

  it('applies the API limits', () => {
    const tooMany = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`v${index}`, '$.id']));
    expect(problems({ inputPathsMap: tooMany, inputTemplate: '"x"' })).toEqual(['InputPathsMap for target target-1 has 101 variables; at most 100 are allowed.']);
    expect(problems({ inputPathsMap: { 'aws.x': '$.id' }, inputTemplate: '"x"' })).toEqual([
      'InputPathsMap key aws.x for target target-1 must be 1 to 256 letters, digits, _ or -.',
    ]);
    expect(problems({ inputTemplate: '' })).toEqual(['InputTemplate for target target-1 must be 1 to 8192 characters long.']);
  });
});
