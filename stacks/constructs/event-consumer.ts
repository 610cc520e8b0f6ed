import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget, type CloudwatchEventTargetConfig } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { patternJson, patternShapeProblems, type EventPattern } from '../lib/event-pattern';
import { graphqlField, keyEncryptViaService, queueSend } from '../lib/grants';
import { ServiceRole } from '../lib/iam';
import { attachRolePolicy } from '../lib/resource-policy';
import type { EventBusRef } from './event-bus';
import type { NodeFunction } from './node-function';
import type { SecureQueue } from './secure-queue';

/** A topic a rule (or a bucket) publishes to; a {@link FanOutTopic} is one and lets the publisher in itself. */
export interface PublishTarget {
  /** Topic ARN. */
  readonly arn: string;
  /** The topic's policy resource, for publishers that are checked when configured (S3 test-publishes). @default none */
  readonly policyResource?: TerraformResource;
  /** Adds the publisher to the topic's policy; without it, the topic's owner must allow the service. */
  allowPublishFrom?(servicePrincipal: string, sourceArn: string): void;
}

/** An AppSync GraphQL field a rule calls with IAM auth, e.g. `Mutation.publishOrderUpdate`. */
export interface GraphqlTarget {
  /** API id. */
  readonly apiId: string;
  /** Root type of the field. @default 'Mutation' */
  readonly typeName?: string;
  /** The field the operation calls; the rule's role may call only this field. */
  readonly fieldName: string;
  /** The operation, e.g. `mutation Publish($input: OrderUpdateInput!) { publishOrderUpdate(input: $input) { orderId status } }`. */
  readonly operation: string;
  /** Target ARN. @default `arn:aws:appsync:<region>:<account>:endpoints/graphql-api/<apiId>`, the form the AWS provider documents */
  readonly endpointArn?: string;
}

/** Reshapes the matched event before the target gets it. */
export interface InputTransformer {
  /** Placeholder name → JSON path into the event, e.g. `{ orderId: '$.detail.data.orderId' }`. @default {} */
  readonly paths?: Readonly<Record<string, string>>;
  /** The target's input with `<placeholder>`s, e.g. `{"input": {"orderId": <orderId>}}`. */
  readonly template: string;
}

/** Props of {@link EventConsumer}. */
export interface EventConsumerProps {
  /** Rule name, from the naming helper (1-64 letters, digits, . - _). */
  readonly name: string;
  /** The bus the rule listens on. */
  readonly bus: EventBusRef;
  /** What the rule is for. @default none */
  readonly description?: string;
  /** Content-based pattern; must filter on `source` or `detail-type` at least. */
  readonly eventPattern: EventPattern;
  /** Target: a function, invoked asynchronously. Give exactly one of function, topic, queue, graphql. @default none */
  readonly function?: NodeFunction;
  /** Target: an SNS topic. @default none */
  readonly topic?: PublishTarget;
  /** Target: an SQS queue. @default none */
  readonly queue?: SecureQueue;
  /** Message group of a FIFO queue target, required for one. @default none */
  readonly messageGroupId?: string;
  /** Target: an AppSync GraphQL field, called without a function in between. @default none */
  readonly graphql?: GraphqlTarget;
  /** Input transformer; required for a GraphQL target (it builds the variables). @default the whole event */
  readonly input?: InputTransformer;
  /** Seconds EventBridge keeps retrying an event, 60-86400. @default 3600 */
  readonly maxEventAgeSeconds?: number;
  /** Retries before the event goes to the dead-letter queue, 0-185. @default 8 */
  readonly maxRetryAttempts?: number;
  /** Where undeliverable events go; it must let this rule send. @default the bus's shared dead-letter queue */
  readonly deadLetterQueue?: SecureQueue;
  /** Whether the rule matches events. @default true */
  readonly enabled?: boolean;
  readonly accountId: string;
  readonly region: string;
}

/** EventBridge's own variables, usable in any input template. */
const PREDEFINED_PLACEHOLDERS = ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event', 'aws.events.event.json', 'aws.events.event.ingestion-time'];

/**
 * An EventBridge rule with a content-based pattern and exactly one target: a function, an SNS topic, an SQS
 * queue or an AppSync GraphQL field. Every target retries (`maxEventAgeSeconds`, `maxRetryAttempts`) and then
 * dead-letters, and whatever the target needs to accept events is set up here: the function's invoke
 * permission for this rule only, the queue's or topic's policy, or a role that may call only the one field.
 * A function target also sends its own failed invocations (after Lambda's two async retries) to the same
 * dead-letter queue, so no event is lost silently whether delivery or processing failed.
 */
export class EventConsumer extends Construct {
  /** The rule. */
  readonly rule: CloudwatchEventRule;
  /** The rule's target. */
  readonly target: CloudwatchEventTarget;
  /** Rule ARN, built from the names so policies in other stacks can name it without a reference. */
  readonly ruleArn: string;
  /** Where undeliverable events go. */
  readonly deadLetterQueue: SecureQueue;
  /** Role EventBridge assumes to call a GraphQL target. */
  readonly role?: IamRole;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    validate(id, props);
    const busPath = props.bus.name === 'default' ? '' : `${props.bus.name}/`;
    this.ruleArn = `arn:aws:events:${props.region}:${props.accountId}:rule/${busPath}${props.name}`;
    this.deadLetterQueue = props.deadLetterQueue ?? props.bus.deadLetterQueue;
    // The bus's shared queue already lets every rule of the bus in; a queue of the caller's own needs this rule.
    if (props.deadLetterQueue) props.deadLetterQueue.allowSendFrom('events.amazonaws.com', this.ruleArn);

    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.name,
      eventBusName: props.bus.eventBusName,
      description: props.description,
      eventPattern: patternJson(props.eventPattern),
      state: props.enabled === false ? 'DISABLED' : 'ENABLED',
    });

    const common: CloudwatchEventTargetConfig = {
      rule: this.rule.name,
      eventBusName: props.bus.eventBusName,
      targetId: props.name,
      arn: '',
      retryPolicy: { maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? 3600, maximumRetryAttempts: props.maxRetryAttempts ?? 8 },
      deadLetterConfig: { arn: this.deadLetterQueue.arn },
      inputTransformer: props.input
        ? { inputPaths: props.input.paths ? { ...props.input.paths } : undefined, inputTemplate: escapeTemplate(props.input.template) }
        : undefined,
    };

    if (props.function) {
      this.target = new CloudwatchEventTarget(this, 'target', { ...common, arn: props.function.arn });
      this.wireFunction(props.function, props.name, props.region);
    } else if (props.topic) {
      props.topic.allowPublishFrom?.('events.amazonaws.com', this.ruleArn);
      this.target = new CloudwatchEventTarget(this, 'target', { ...common, arn: props.topic.arn });
    } else if (props.queue) {
      props.queue.allowSendFrom('events.amazonaws.com', this.ruleArn);
      const sqsTarget = props.messageGroupId ? { messageGroupId: props.messageGroupId } : undefined;
      this.target = new CloudwatchEventTarget(this, 'target', { ...common, arn: props.queue.arn, sqsTarget });
    } else {
      const graphql = props.graphql as GraphqlTarget;
      const role = new ServiceRole(this, 'role', {
        name: `${props.name}-appsync`,
        service: 'events.amazonaws.com',
        sourceAccount: props.accountId,
        sourceArn: this.ruleArn,
      });
      role.grant('call-graphql-field', graphqlField('CallGraphqlField', { region: props.region, accountId: props.accountId, apiId: graphql.apiId }, graphql.typeName ?? 'Mutation', graphql.fieldName));
      this.role = role.role;
      this.target = new CloudwatchEventTarget(this, 'target', {
        ...common,
        arn: graphql.endpointArn ?? `arn:aws:appsync:${props.region}:${props.accountId}:endpoints/graphql-api/${graphql.apiId}`,
        roleArn: role.role.arn,
        appsyncTarget: { graphqlOperation: escapeTemplate(graphql.operation) },
      });
    }
  }

  private wireFunction(fn: NodeFunction, ruleName: string, region: string): void {
    new LambdaPermission(this, 'invoke-permission', {
      statementId: `AllowEventBridge-${ruleName}`,
      action: 'lambda:InvokeFunction',
      functionName: fn.function.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: this.rule.arn,
    });
    // Lambda checks the destination against the role when the config is created, so the config waits for the grant.
    const grant = attachRolePolicy(this, 'failure-destination-policy', fn.role, 'send-failed-events', [
      ...queueSend('SendFailedEvents', this.deadLetterQueue.arn),
      ...keyEncryptViaService('EncryptFailedEvents', this.deadLetterQueue.kmsKeyArn, 'sqs', region),
    ]);
    new LambdaFunctionEventInvokeConfig(this, 'async-failures', {
      functionName: fn.function.functionName,
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: this.deadLetterQueue.arn } },
      dependsOn: [grant],
    });
  }
}

/** Terraform reads `${` in a string as interpolation; an operation or template never means that. */
function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function validate(id: string, props: EventConsumerProps): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(props.name)) problems.push(`name "${props.name}" must be 1-64 letters, digits, . - _`);
  const shape = patternShapeProblems(props.eventPattern, 'eventPattern');
  problems.push(...shape);
  if (shape.length === 0 && !('source' in props.eventPattern) && !('detail-type' in props.eventPattern)) {
    problems.push('eventPattern must filter on "source" or "detail-type" (a rule matching every event of the bus is a fan-out nobody owns)');
  }
  const targets = (['function', 'topic', 'queue', 'graphql'] as const).filter((kind) => props[kind] !== undefined);
  if (targets.length !== 1) problems.push(`give exactly one target (function, topic, queue or graphql), not ${targets.length === 0 ? 'none' : targets.join(' and ')}`);
  if (props.queue?.fifo && !props.messageGroupId) problems.push('messageGroupId is required for a FIFO queue target');
  if (props.messageGroupId && !props.queue?.fifo) problems.push('messageGroupId applies to a FIFO queue target only');
  if (props.graphql) {
    if (!props.input) problems.push('input is required for a GraphQL target: it builds the operation\'s variables');
    if (!/^\s*mutation\b/.test(props.graphql.operation)) problems.push('graphql.operation must be a mutation (EventBridge calls mutations only)');
    else if (!new RegExp(`\\b${props.graphql.fieldName}\\s*\\(`).test(props.graphql.operation)) {
      problems.push(`graphql.operation does not call ${props.graphql.fieldName}, the field the role may call`);
    }
    if (`${props.name}-appsync`.length > 64) problems.push(`name "${props.name}" is too long for the target's role "${props.name}-appsync" (64 characters)`);
  }
  if (props.input) problems.push(...inputProblems(props.input));
  const age = props.maxEventAgeSeconds ?? 3600;
  if (!Number.isInteger(age) || age < 60 || age > 86_400) problems.push('maxEventAgeSeconds must be a whole number from 60 to 86400');
  const retries = props.maxRetryAttempts ?? 8;
  if (!Number.isInteger(retries) || retries < 0 || retries > 185) problems.push('maxRetryAttempts must be a whole number from 0 to 185');
  if (problems.length > 0) throw new Error(`EventConsumer ${id}:\n- ${problems.join('\n- ')}`);
}

function inputProblems(input: InputTransformer): string[] {
  const problems: string[] = [];
  const paths = input.paths ?? {};
  if (Object.keys(paths).length > 100) problems.push('input.paths may hold at most 100 placeholders');
  for (const [name, path] of Object.entries(paths)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) problems.push(`input.paths.${name}: a placeholder name uses letters, digits, _ and -`);
    if (!path.startsWith('$')) problems.push(`input.paths.${name}: "${path}" is not a JSON path (it starts with $)`);
    if (name.startsWith('aws.events.')) problems.push(`input.paths.${name}: names starting with aws.events. are reserved`);
  }
  const used = [...input.template.matchAll(/<([A-Za-z0-9_.-]+)>/g)].map((match) => match[1] as string);
  for (const name of new Set(used)) {
    if (!(name in paths) && !PREDEFINED_PLACEHOLDERS.includes(name)) problems.push(`input.template uses <${name}>, which input.paths does not define`);
  }
  return problems;
}
