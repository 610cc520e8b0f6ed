import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ENVELOPE_SCHEMA, EVENT_CATALOG } from './catalog';
import type { DetailType, EventDataByType, EventDetail } from './types';

/** An event whose detail breaks its contract; the message names each field and rule. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    readonly detailType: string,
    /** Each problem as `<path> <rule>`, e.g. `/data/total must be integer`. */
    readonly problems: readonly string[],
  ) {
    super(`${detailType} event is invalid: ${problems.join('; ')}`);
  }
}

let validators: Map<string, ValidateFunction> | undefined;

function compiled(): Map<string, ValidateFunction> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ['date-time']);
    ajv.addSchema(ENVELOPE_SCHEMA);
    validators = new Map(Object.values(EVENT_CATALOG).map((contract) => [contract.detailType, ajv.compile(contract.schema)]));
  }
  return validators;
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') return `${path} must not have property ${String(error.params.additionalProperty)}`;
  if (error.keyword === 'required') return `${path === '/' ? '' : path}/${String(error.params.missingProperty)} is required`;
  return `${path} ${error.message ?? 'is invalid'}`;
}

/** Checks an event's detail against its contract; throws {@link EventValidationError} naming every problem. */
export function validateEventDetail<T extends DetailType>(detailType: T | string, detail: unknown): EventDetail<EventDataByType[T]> {
  const validate = compiled().get(detailType);
  if (!validate) throw new EventValidationError(detailType, [`detail-type ${detailType} is not in the event catalog`]);
  if (!validate(detail)) throw new EventValidationError(detailType, (validate.errors ?? []).map(describe));
  return detail as EventDetail<EventDataByType[T]>;
}
