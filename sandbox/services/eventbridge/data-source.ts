// The AppSync AMAZON_EVENTBRIDGE data source ("AWS AppSync JavaScript resolver function reference for
// EventBridge data source"): the request `{ operation: 'PutEvents', events: [{ source, detailType, detail,
// resources?, time? }] }` puts the events on the bus `event_bridge_config.event_bus_arn` names, and the
// result is PutEvents' answer `{ Entries, FailedEntryCount }`.
import type { DataSourceResponse } from '../../../runtime/appsync';
import type { DataSourceDefinition, DataSourceFactory } from '../appsync/data-source';
import type { PutEventsEntry, PutEventsResult } from '../capabilities';
import { PutEventsError } from './put-events';

/** The bus ARN of an AMAZON_EVENTBRIDGE data source (`event_bridge_config.event_bus_arn`). */
export function dataSourceBus(definition: DataSourceDefinition): string {
  const raw = definition.config.event_bridge_config;
  const config = (Array.isArray(raw) ? raw[0] : raw) as { event_bus_arn?: unknown } | undefined;
  if (typeof config?.event_bus_arn !== 'string' || config.event_bus_arn === '') {
    throw new Error(`AppSync data source ${definition.name} (AMAZON_EVENTBRIDGE) has no event_bridge_config.event_bus_arn`);
  }
  return config.event_bus_arn;
}

function requestError(message: string): DataSourceResponse {
  return { error: { message, type: 'MappingTemplate' } };
}

/** Turns the resolver's request into PutEvents entries, or says why AppSync would refuse it. */
function entries(request: unknown, bus: string): PutEventsEntry[] | string {
  if (!request || typeof request !== 'object') return 'The EventBridge request must be an object';
  const { operation, events } = request as { operation?: unknown; events?: unknown };
  if (operation !== 'PutEvents') return `Unsupported operation ${String(operation)}: the EventBridge data source supports PutEvents`;
  if (!Array.isArray(events)) return 'PutEvents needs an events list';
  return events.map((event: Record<string, unknown>) => ({
    EventBusName: bus,
    Source: event?.source as string,
    DetailType: event?.detailType as string,
    // AppSync serializes `detail`; EventBridge then requires the text to be a JSON object.
    Detail: event?.detail === undefined ? (undefined as unknown as string) : JSON.stringify(event.detail),
    ...(Array.isArray(event?.resources) ? { Resources: event.resources as string[] } : {}),
    ...(typeof event?.time === 'string' ? { Time: event.time } : {}),
  }));
}

/**
 * The AppSync data source factory for AMAZON_EVENTBRIDGE. `putEvents` is the service's external PutEvents
 * (injected failures apply); a failed call answers `ctx.error` with EventBridge's error code as its type.
 */
export function eventBridgeDataSource(putEvents: (entries: readonly PutEventsEntry[]) => PutEventsResult): DataSourceFactory {
  return (definition) => {
    const bus = dataSourceBus(definition);
    return async (request) => {
      const built = entries(request, bus);
      if (typeof built === 'string') return requestError(built);
      try {
        const result = putEvents(built);
        return { result: { Entries: result.Entries.map((entry) => ({ ...entry })), FailedEntryCount: result.FailedEntryCount } };
      } catch (error) {
        if (error instanceof PutEventsError) return { error: { message: error.message, type: error.name } };
        throw error;
      }
    };
  };
}
