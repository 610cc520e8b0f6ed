// The EventBridge API over HTTP in the AWS JSON 1.1 protocol (`POST /`, `x-amz-target: AWSEvents.<Operation>`),
// for AWS SDK clients pointed at it with AWS_ENDPOINT_URL_EVENTBRIDGE. Requests are not signature-checked.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/logger';
import type { PutEventsEntry } from '../capabilities';
import { busName, DEFAULT_BUS } from './arns';
import type { EventBridgeEngine, ReplayDescription } from './engine';
import { PutEventsError } from './put-events';
import type { RuleDefinition, TargetDefinition } from './topology';

/** An answer: status and JSON body. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
}

type Request = Record<string, unknown>;

function error(type: string, message: string, status = 400): Reply {
  return { status, body: { __type: type, message } };
}

/** Seconds since the epoch, as the JSON protocol writes timestamps. */
function seconds(date: Date): number {
  return date.getTime() / 1000;
}

/** A JSON-protocol timestamp (epoch seconds, or an ISO string) as a Date. */
function timestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') return Number.isNaN(Date.parse(value)) ? undefined : new Date(value);
  return undefined;
}

function describeRule(rule: RuleDefinition): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventBusName: rule.busName,
    State: rule.enabled ? 'ENABLED' : 'DISABLED',
    ...(rule.eventPattern !== undefined ? { EventPattern: rule.eventPattern } : {}),
    ...(rule.schedule ? { ScheduleExpression: rule.schedule.text } : {}),
  };
}

function describeTarget(target: TargetDefinition): Record<string, unknown> {
  const { input } = target;
  return {
    Id: target.id,
    Arn: target.arn,
    ...(target.roleArn ? { RoleArn: target.roleArn } : {}),
    ...(input.input !== undefined ? { Input: input.input } : {}),
    ...(input.inputPath !== undefined ? { InputPath: input.inputPath } : {}),
    ...(input.inputTransformer ? { InputTransformer: { InputPathsMap: input.inputTransformer.inputPathsMap ?? {}, InputTemplate: input.inputTransformer.inputTemplate } } : {}),
    RetryPolicy: { MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeSeconds, MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts },
    ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
    ...(target.graphqlOperation ? { AppSyncParameters: { GraphQLOperation: target.graphqlOperation } } : {}),
    ...(target.messageGroupId ? { SqsParameters: { MessageGroupId: target.messageGroupId } } : {}),
  };
}

function describeReplay(replay: ReplayDescription): Record<string, unknown> {
  return {
    ReplayName: replay.replayName,
    ReplayArn: replay.replayArn,
    EventSourceArn: replay.archiveArn,
    Destination: { Arn: replay.destinationArn, ...(replay.filterArns.length > 0 ? { FilterArns: replay.filterArns } : {}) },
    State: replay.state,
    EventStartTime: seconds(replay.eventStartTime),
    EventEndTime: seconds(replay.eventEndTime),
    EventLastReplayedTime: seconds(replay.replayEndTime),
    ReplayStartTime: seconds(replay.replayStartTime),
    ReplayEndTime: seconds(replay.replayEndTime),
  };
}

/** Runs one operation. */
function operate(engine: EventBridgeEngine, operation: string, request: Request): Reply {
  const { topology } = engine;
  const ruleOf = () => {
    const bus = busName(typeof request.EventBusName === 'string' ? request.EventBusName : undefined);
    const name = String(request.Name ?? request.Rule ?? '');
    return topology.rules.find((rule) => rule.name === name && rule.busName === bus);
  };
  switch (operation) {
    case 'PutEvents': {
      const entries = (Array.isArray(request.Entries) ? request.Entries : []) as Record<string, unknown>[];
      const parsed: PutEventsEntry[] = entries.map((entry) => {
        const time = entry.Time === undefined ? undefined : (timestamp(entry.Time) ?? String(entry.Time));
        return { ...(entry as unknown as PutEventsEntry), ...(time !== undefined ? { Time: time } : {}) };
      });
      return { status: 200, body: engine.putEvents(parsed, { external: true }) };
    }
    case 'ListEventBuses': {
      const prefix = String(request.NamePrefix ?? '');
      const buses = [...topology.buses.values()].filter((bus) => bus.name.startsWith(prefix));
      return { status: 200, body: { EventBuses: buses.map((bus) => ({ Name: bus.name, Arn: bus.arn })) } };
    }
    case 'DescribeEventBus': {
      const name = busName(typeof request.Name === 'string' ? request.Name : DEFAULT_BUS);
      const bus = topology.buses.get(name);
      return bus ? { status: 200, body: { Name: bus.name, Arn: bus.arn } } : error('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    }
    case 'ListRules': {
      const bus = busName(typeof request.EventBusName === 'string' ? request.EventBusName : undefined);
      const prefix = String(request.NamePrefix ?? '');
      const rules = topology.rules.filter((rule) => rule.busName === bus && rule.name.startsWith(prefix));
      return { status: 200, body: { Rules: rules.map(describeRule) } };
    }
    case 'DescribeRule': {
      const rule = ruleOf();
      return rule ? { status: 200, body: describeRule(rule) } : error('ResourceNotFoundException', `Rule ${String(request.Name)} does not exist.`);
    }
    case 'ListTargetsByRule': {
      const rule = ruleOf();
      return rule ? { status: 200, body: { Targets: rule.targets.map(describeTarget) } } : error('ResourceNotFoundException', `Rule ${String(request.Rule)} does not exist.`);
    }
    case 'ListArchives':
      return {
        status: 200,
        body: {
          Archives: [...engine.archives.values()].map((archive) => ({
            ArchiveName: archive.definition.name,
            EventSourceArn: topology.buses.get(archive.definition.busName)?.arn,
            State: 'ENABLED',
            RetentionDays: archive.definition.retentionDays,
            EventCount: archive.count,
            SizeBytes: archive.sizeBytes,
          })),
        },
      };
    case 'DescribeArchive': {
      const archive = engine.archives.get(String(request.ArchiveName ?? ''));
      if (!archive) return error('ResourceNotFoundException', `Archive ${String(request.ArchiveName)} does not exist.`);
      return {
        status: 200,
        body: {
          ArchiveArn: archive.definition.arn,
          ArchiveName: archive.definition.name,
          EventSourceArn: topology.buses.get(archive.definition.busName)?.arn,
          ...(archive.definition.eventPattern !== undefined ? { EventPattern: archive.definition.eventPattern } : {}),
          State: 'ENABLED',
          RetentionDays: archive.definition.retentionDays,
          EventCount: archive.count,
          SizeBytes: archive.sizeBytes,
        },
      };
    }
    case 'StartReplay': {
      const source = String(request.EventSourceArn ?? '');
      const archive = [...engine.archives.values()].find((candidate) => candidate.definition.arn === source);
      if (!archive) return error('ResourceNotFoundException', `Archive ${source} does not exist.`);
      const from = timestamp(request.EventStartTime);
      const to = timestamp(request.EventEndTime);
      if (!from || !to) return error('ValidationException', 'EventStartTime and EventEndTime are required.');
      const destination = (request.Destination ?? {}) as { Arn?: string; FilterArns?: string[] };
      const destinationBus = topology.buses.get(archive.definition.busName);
      if (destination.Arn !== undefined && destination.Arn !== destinationBus?.arn) {
        return error('ValidationException', 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
      }
      const replay = engine.replay(archive.definition.name, {
        from,
        to,
        ...(typeof request.ReplayName === 'string' ? { replayName: request.ReplayName } : {}),
        ...(destination.FilterArns ? { rules: destination.FilterArns } : {}),
      });
      return { status: 200, body: { ReplayArn: replay.replayArn, State: 'STARTING', ReplayStartTime: seconds(replay.replayStartTime) } };
    }
    case 'DescribeReplay': {
      const replay = engine.describeReplay(String(request.ReplayName ?? ''));
      return replay ? { status: 200, body: describeReplay(replay) } : error('ResourceNotFoundException', `Replay ${String(request.ReplayName)} does not exist.`);
    }
    case 'ListReplays':
      return { status: 200, body: { Replays: engine.listReplays().map(describeReplay) } };
    default:
      return error('UnknownOperationException', `The sandbox's EventBridge does not implement ${operation}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A listening endpoint. */
export interface EventBridgeEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the EventBridge API of `engine` on host:port. */
export async function startEndpoint(engine: EventBridgeEngine, options: { host: string; port: number; logger: Logger }): Promise<EventBridgeEndpoint> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    let reply: Reply;
    if (req.method !== 'POST' || !target.startsWith('AWSEvents.')) {
      reply = error('UnknownOperationException', 'Send POST / with x-amz-target: AWSEvents.<Operation>');
    } else {
      let request: Request | undefined;
      try {
        const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) request = parsed as Request;
      } catch {
        request = undefined;
      }
      try {
        reply = request ? operate(engine, target.slice('AWSEvents.'.length), request) : error('SerializationException', 'The request body is not a JSON object');
      } catch (failure) {
        if (failure instanceof PutEventsError) reply = error(failure.name, failure.message, failure.status);
        else {
          options.logger.error(`${target} failed: ${(failure as Error).message}`);
          reply = error('InternalException', (failure as Error).message, 500);
        }
      }
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
    res.end(text);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((failure: Error) => {
      options.logger.error(`Request failed: ${failure.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InternalException', message: failure.message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
