import { CloudwatchEventArchive } from '@cdktf/provider-aws/lib/cloudwatch-event-archive';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Construct } from 'constructs';
import { patternJson, patternShapeProblems, type EventPattern } from '../lib/event-pattern';
import { secureEventBus, type SecurityContext } from './secure-defaults';
import { SecureQueue } from './secure-queue';

/** Props of {@link EventBus}. */
export interface EventBusProps {
  /** Bus name, from the naming helper; the archive is `<name>-archive`, the shared DLQ `<name>-undelivered`. */
  readonly name: string;
  /** Key that encrypts the bus and its dead-letter queue. */
  readonly security: SecurityContext;
  readonly accountId: string;
  readonly region: string;
  /** Days the archive keeps events for replay; 0 keeps them forever. @default 30 */
  readonly archiveRetentionDays?: number;
  /** Events the archive keeps. @default every event on the bus */
  readonly archiveEventPattern?: EventPattern;
  /** SNS topic that hears when the shared dead-letter queue holds messages. @default the alarm fires without notifying */
  readonly alarmTopicArn?: string;
}

/** The bus's side of what rules and targets need: {@link EventConsumer} takes this (an {@link EventBus} is one). */
export interface EventBusRef {
  /** Bus name, as a plain string (rule ARNs are built from it). */
  readonly name: string;
  /** Bus name as a reference to the bus, for rules and targets, so they are created after it. */
  readonly eventBusName: string;
  /** Where rule targets send what they could not deliver. */
  readonly deadLetterQueue: SecureQueue;
}

/**
 * A custom EventBridge bus encrypted with the customer-managed key, an archive for replay, a bus policy that
 * lets only principals of this account put events, and one shared dead-letter queue for every rule target on
 * the bus (EventBridge may send to it from any rule of this bus). Events the bus itself cannot encrypt or
 * decrypt go to that queue too.
 *
 * The key policy must let `events.amazonaws.com` use the key for this bus (see `stacks/constructs/README.md`).
 */
export class EventBus extends Construct implements EventBusRef {
  /** The bus. */
  readonly bus: CloudwatchEventBus;
  /** Bus name, as a plain string. */
  readonly name: string;
  /** Bus name as a reference to the bus. */
  readonly eventBusName: string;
  /** Bus ARN. */
  readonly arn: string;
  /** The replay archive. */
  readonly archive: CloudwatchEventArchive;
  /** The shared dead-letter queue for rule targets. */
  readonly deadLetterQueue: SecureQueue;
  /** ARN pattern of every rule on this bus. */
  readonly ruleArnPattern: string;

  constructor(scope: Construct, id: string, props: EventBusProps) {
    super(scope, id);
    validate(id, props);
    this.name = props.name;
    const busArn = `arn:aws:events:${props.region}:${props.accountId}:event-bus/${props.name}`;
    this.ruleArnPattern = `arn:aws:events:${props.region}:${props.accountId}:rule/${props.name}/*`;

    this.deadLetterQueue = new SecureQueue(this, 'dead-letters', {
      name: `${props.name}-undelivered`,
      deadLetterStore: true,
      security: props.security,
      accountId: props.accountId,
      alarmTopicArn: props.alarmTopicArn,
    });
    this.deadLetterQueue.allowSendFrom('events.amazonaws.com', [this.ruleArnPattern, busArn]);

    this.bus = new CloudwatchEventBus(this, 'bus', secureEventBus({ name: props.name, deadLetterConfig: { arn: this.deadLetterQueue.arn } }, props.security));
    this.arn = this.bus.arn;
    this.eventBusName = this.bus.name;

    this.archive = new CloudwatchEventArchive(this, 'archive', {
      name: `${props.name}-archive`,
      description: `Events of ${props.name}, kept for replay`,
      eventSourceArn: this.arn,
      retentionDays: props.archiveRetentionDays ?? 30,
      eventPattern: props.archiveEventPattern ? patternJson(props.archiveEventPattern) : undefined,
    });

    const policy = new DataAwsIamPolicyDocument(this, 'policy-document', {
      statement: [
        {
          sid: 'PutEventsFromThisAccount',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          actions: ['events:PutEvents'],
          resources: [this.arn],
          condition: [{ test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [props.accountId] }],
        },
      ],
    });
    new CloudwatchEventBusPolicy(this, 'policy', { eventBusName: this.eventBusName, policy: policy.json });
  }
}

function validate(id: string, props: EventBusProps): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(props.name) || props.name === 'default') {
    problems.push(`name "${props.name}" must be 1-256 letters, digits, . - _ and not "default"`);
  } else if (`${props.name}-archive`.length > 48) {
    problems.push(`name "${props.name}" is too long for its archive: "${props.name}-archive" must fit in 48 characters`);
  }
  const retention = props.archiveRetentionDays ?? 30;
  if (!Number.isInteger(retention) || retention < 0) problems.push('archiveRetentionDays must be a whole number, 0 (forever) or more');
  if (props.archiveEventPattern !== undefined) problems.push(...patternShapeProblems(props.archiveEventPattern, 'archiveEventPattern'));
  if (problems.length > 0) throw new Error(`EventBus ${id}:\n- ${problems.join('\n- ')}`);
}
