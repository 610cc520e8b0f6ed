// The sandbox's EventBridge and EventBridge Scheduler service.
export { archiveArn, busArn, busName, DEFAULT_BUS, ruleArn, ruleId, scheduleArn, targetKind, targetResourceId } from './arns';
export type { Place, TargetKind } from './arns';
export { dataSourceBus, eventBridgeDataSource } from './data-source';
export { backoffMs } from './deliveries';
export type { DeliveryAttempt, DeliveryOutcome, DeliveryRecord } from './deliveries';
export type { InjectedFailure, ReplayDescription, ReplayOptions } from './engine';
export { buildEvent, checkRequest, entrySize, MAX_ENTRIES, MAX_REQUEST_BYTES, PutEventsError } from './put-events';
export type { BusEvent } from './put-events';
export { nextOccurrence, parseScheduleExpression } from './schedule/expression';
export type { ScheduleExpression } from './schedule/expression';
export { EVENTBRIDGE_INSPECT, eventBridgeService } from './service';
export type { EventBridgeInspector, EventBridgeService, EventBridgeServiceOptions } from './service';
export { assumedRoleCaller, DeliveryError } from './targets';
export { DEFAULT_RETRY_POLICY, eventBridgeAttributes, readTopology } from './topology';
export type { Topology } from './topology';
