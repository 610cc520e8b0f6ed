// Sends one input to one target through whichever sandbox service provides that kind of target, looked up
// at delivery time. A failure is a DeliveryError with the code EventBridge puts in a DLQ message's
// ERROR_CODE and whether EventBridge would retry it.
import type { CapabilityRegistry } from '../../core/service';
import type { Logger } from '../../core/logger';
import type { Caller, GraphqlEngine } from '../appsync/contracts';
import { APPSYNC_ENGINE } from '../appsync/service';
import {
  SNS_PUBLISHER,
  SQS_SENDER,
  STEP_FUNCTIONS_STARTER,
  type ExecutionStarter,
  type PutEventsEntry,
  type QueueSender,
  type TopicPublisher,
} from '../capabilities';
import { LAMBDA_INVOKER, type LambdaInvoker } from '../lambda/contracts';
import { roleName, type Place, type TargetKind } from './arns';

/** A failed delivery attempt. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    /** The DLQ ERROR_CODE: NO_RESOURCE, NO_PERMISSIONS, THROTTLING, INVALID_JSON, ERROR_FROM_TARGET, SDK_CLIENT_ERROR... */
    readonly code: string,
    message: string,
    /** Whether EventBridge retries it; missing resources and permissions go straight to the DLQ. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const NOT_FOUND = /ResourceNotFound|NotFound|NonExistent|DoesNotExist/i;
const DENIED = /AccessDenied|NotAuthorized|Forbidden|AuthorizationError/i;
const THROTTLED = /Throttl|TooManyRequests|RequestLimitExceeded|Rate ?Exceeded/i;

/** Maps an error a capability threw to the DLQ code EventBridge would record. */
export function classify(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const said = `${name}: ${message}`;
  if (NOT_FOUND.test(name)) return new DeliveryError('NO_RESOURCE', said, false);
  if (DENIED.test(name)) return new DeliveryError('NO_PERMISSIONS', said, false);
  if (THROTTLED.test(name)) return new DeliveryError('THROTTLING', said, true);
  if (/Timeout|TimedOut/i.test(name)) return new DeliveryError('TIMEOUT', said, true);
  return new DeliveryError('SDK_CLIENT_ERROR', said, true);
}

/** What a delivery needs to know about its target. */
export interface DeliveryTarget {
  readonly arn: string;
  readonly kind: TargetKind;
  readonly roleArn?: string;
  readonly graphqlOperation?: string;
  readonly messageGroupId?: string;
}

/** What the sender reaches: the capabilities, the sandbox's own PutEvents, and where it runs. */
export interface TargetContext {
  readonly registry: CapabilityRegistry;
  readonly place: Place;
  readonly logger: Logger;
  /** Puts events on a bus of this service (cross-bus targets, Scheduler's bus targets). */
  putEvents(entries: readonly PutEventsEntry[]): { FailedEntryCount: number; Entries: readonly ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[] };
}

function capability<T>(context: TargetContext, key: string, what: string): T {
  const found = context.registry.find<T>(key);
  if (!found) throw new DeliveryError('NO_RESOURCE', `No sandbox service provides ${what} (${key})`, false);
  return found;
}

function parseInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/**
 * The identity AppSync sees when EventBridge calls it with the target's role: an assumed-role session of
 * that role, in the shape the sandbox's AppSync engine builds for AWS_IAM callers.
 */
export function assumedRoleCaller(place: Place, roleArn: string | undefined): Caller {
  const role = roleArn ? roleName(roleArn) : 'eventbridge-sandbox-role';
  const session = 'eventbridge-sandbox';
  return {
    mode: 'AWS_IAM',
    sourceIp: '127.0.0.1',
    identity: {
      accountId: place.accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: ['127.0.0.1'],
      username: `AROA${role.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17).padEnd(17, 'X')}:${session}`,
      userArn: `arn:aws:sts::${place.accountId}:assumed-role/${role}/${session}`,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    },
  };
}

/** Extra per-delivery values: the event's id (FIFO deduplication) and what a bus target re-puts. */
export interface SendOptions {
  readonly deduplicationId?: string;
  /** The entry a bus target puts; defaults to the input parsed as an event. */
  readonly busEntry?: PutEventsEntry;
}

/** One attempt to deliver `input` to `target`; throws a DeliveryError. */
export async function sendToTarget(target: DeliveryTarget, input: string, context: TargetContext, options: SendOptions = {}): Promise<void> {
  try {
    switch (target.kind) {
      case 'lambda': {
        // EventBridge invokes asynchronously: the invoke call is its concern, the function's outcome is Lambda's.
        const result = await capability<LambdaInvoker>(context, LAMBDA_INVOKER, 'Lambda').invoke(target.arn, parseInput(input), { invocationType: 'Event' });
        if (result.error) context.logger.warn(`Function ${target.arn} failed: ${result.error.errorType}: ${result.error.errorMessage} (Lambda's own retries and destinations apply, not EventBridge's)`);
        return;
      }
      case 'sqs':
        await capability<QueueSender>(context, SQS_SENDER, 'SQS').sendMessage(target.arn, input, {
          ...(target.messageGroupId ? { messageGroupId: target.messageGroupId, ...(options.deduplicationId ? { deduplicationId: options.deduplicationId } : {}) } : {}),
        });
        return;
      case 'sns':
        await capability<TopicPublisher>(context, SNS_PUBLISHER, 'SNS').publish(target.arn, input);
        return;
      case 'sfn':
        await capability<ExecutionStarter>(context, STEP_FUNCTIONS_STARTER, 'Step Functions').startExecution(target.arn, input);
        return;
      case 'appsync':
        return await sendToAppSync(target, input, context);
      case 'eventbridge':
        return sendToBus(target, input, context, options);
      case 'unsupported':
        throw new DeliveryError('NO_RESOURCE', `The sandbox does not deliver to ${target.arn}`, false);
    }
  } catch (error) {
    throw classify(error);
  }
}

async function sendToAppSync(target: DeliveryTarget, input: string, context: TargetContext): Promise<void> {
  const engine = capability<GraphqlEngine>(context, APPSYNC_ENGINE, 'AppSync');
  const variables = parseInput(input);
  if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
    throw new DeliveryError('INVALID_JSON', 'The input of an AppSync target must be a JSON object: it becomes the GraphQL variables', false);
  }
  const response = await engine.execute(
    { query: target.graphqlOperation ?? '', variables: variables as Record<string, unknown> },
    assumedRoleCaller(context.place, target.roleArn),
    { 'content-type': 'application/json' },
  );
  if (response.errors && response.errors.length > 0) {
    throw new DeliveryError('ERROR_FROM_TARGET', response.errors.map((error) => `${error.errorType}: ${error.message}`).join('; '), true);
  }
}

function sendToBus(target: DeliveryTarget, input: string, context: TargetContext, options: SendOptions): void {
  let entry = options.busEntry;
  if (!entry) {
    const event = parseInput(input) as Record<string, unknown> | undefined;
    if (!event || typeof event !== 'object' || typeof event.source !== 'string' || typeof event['detail-type'] !== 'string') {
      throw new DeliveryError('INVALID_JSON', 'A bus target needs an event with source, detail-type and detail', false);
    }
    entry = {
      Source: event.source,
      DetailType: event['detail-type'],
      Detail: JSON.stringify(event.detail ?? {}),
      ...(Array.isArray(event.resources) ? { Resources: event.resources as string[] } : {}),
      ...(typeof event.time === 'string' ? { Time: event.time } : {}),
    };
  }
  const result = context.putEvents([{ ...entry, EventBusName: target.arn }]);
  const [answer] = result.Entries;
  if (answer && 'ErrorCode' in answer) {
    throw new DeliveryError(answer.ErrorCode === 'ResourceNotFoundException' ? 'NO_RESOURCE' : 'ERROR_FROM_TARGET', `${answer.ErrorCode}: ${answer.ErrorMessage}`, answer.ErrorCode !== 'ResourceNotFoundException');
  }
}
