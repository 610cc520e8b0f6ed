// Request validation as API Gateway does it: required method parameters, and the body against the method's
// model, a JSON Schema draft 4. API Gateway validates with the Java json-schema-validator, so failures are
// worded as it words them and joined like a Java list: `[object has missing required properties (["id"])]`.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { MethodDefinition, ModelDefinition, RestApiDefinition } from './definition';

/** The outcome of validating a body: nothing, or API Gateway's `validationErrorString`. */
export type BodyValidation = { readonly valid: true } | { readonly valid: false; readonly validationErrorString: string };

/** API Gateway's URI of a model, which other models `$ref`. */
export function modelUri(apiId: string, modelName: string): string {
  return `https://apigateway.amazonaws.com/restapis/${apiId}/models/${modelName}`;
}

/** The method request parameters a validator requires and the request lacks, as API Gateway names them. */
export function missingParameters(method: MethodDefinition, request: { headers: Readonly<Record<string, string>>; querystring: Readonly<Record<string, string>> }): string[] {
  const missing: string[] = [];
  for (const [parameter, required] of Object.entries(method.requestParameters)) {
    if (!required) continue;
    const match = /^method\.request\.(header|querystring|multivaluequerystring|path)\.(.+)$/.exec(parameter);
    if (!match) continue;
    const [, location, name] = match as unknown as [string, string, string];
    if (location === 'header' && request.headers[name.toLowerCase()] === undefined) missing.push(name);
    if ((location === 'querystring' || location === 'multivaluequerystring') && request.querystring[name] === undefined) missing.push(name);
  }
  return missing;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function pointer(document: unknown, path: string): unknown {
  let current = document;
  for (const part of path.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  email: 'email address',
  uri: 'URI',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  hostname: 'hostname',
};

/** One failure worded as json-schema-validator words it. */
function describe(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  const json = (item: unknown) => JSON.stringify(item);
  switch (error.keyword) {
    case 'type': {
      const allowed = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return `instance type (${jsonType(value)}) does not match any allowed primitive type (allowed: ${json(allowed)})`;
    }
    case 'enum':
      return `instance value (${json(value)}) not found in enum (possible values: ${json(params.allowedValues)})`;
    case 'minLength':
      return `string ${json(value)} is too short (length: ${String((value as string).length)}, required minimum: ${String(params.limit)})`;
    case 'maxLength':
      return `string ${json(value)} is too long (length: ${String((value as string).length)}, maximum allowed: ${String(params.limit)})`;
    case 'pattern':
      return `ECMA 262 regex ${json(params.pattern)} does not match input string ${json(value)}`;
    case 'minimum':
      return params.comparison === '>'
        ? `numeric instance is not strictly greater than the required minimum ${String(params.limit)}`
        : `numeric instance is lower than the required minimum (minimum: ${String(params.limit)}, found: ${String(value)})`;
    case 'maximum':
      return params.comparison === '<'
        ? `numeric instance is not strictly lower than the required maximum ${String(params.limit)}`
        : `numeric instance is greater than the required maximum (maximum: ${String(params.limit)}, found: ${String(value)})`;
    case 'multipleOf':
      return `remainder of division is not zero (${String(value)} / ${String(params.multipleOf)})`;
    case 'minItems':
      return `array is too short: must have at least ${String(params.limit)} elements but instance has ${String((value as unknown[]).length)} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${String(params.limit)} elements but instance has ${String((value as unknown[]).length)} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'minProperties':
      return `object has too few properties (found ${String(Object.keys(value as object).length)} but schema requires at least ${String(params.limit)})`;
    case 'maxProperties':
      return `object has too many properties (found ${String(Object.keys(value as object).length)} but schema requires at most ${String(params.limit)})`;
    case 'format':
      return FORMAT_NAMES[String(params.format)]
        ? `string ${json(value)} is not a valid ${FORMAT_NAMES[String(params.format)]}`
        : `string ${json(value)} is invalid against requested format ${json(params.format)}`;
    case 'anyOf':
      return 'instance failed to match at least one required schema among the alternatives';
    case 'oneOf':
      return params.passingSchemas ? 'instance failed to match exactly one schema (matched more than one)' : 'instance failed to match exactly one schema (matched 0)';
    case 'not':
      return 'instance matched a schema which it should not have';
    case 'dependencies':
      return `property ${json(params.property)} of object has missing property dependencies (requires ${json(String(params.deps).split(', '))})`;
    default:
      return error.message ?? `failed ${error.keyword}`;
  }
}

/** Joins ajv's failures into API Gateway's `validationErrorString`, grouping per object as json-schema-validator does. */
function validationErrorString(errors: readonly ErrorObject[], document: unknown): string {
  // Failures inside an anyOf/oneOf/not branch are reported by the combinator alone.
  const top = errors.filter((error) => !/\/(anyOf|oneOf|not)\//.test(error.schemaPath));
  const messages: string[] = [];
  const grouped = new Map<string, string[]>();
  for (const error of top) {
    if (error.keyword === 'required' || error.keyword === 'additionalProperties') {
      const key = `${error.keyword} ${error.instancePath}`;
      const property = String((error.params as Record<string, unknown>)[error.keyword === 'required' ? 'missingProperty' : 'additionalProperty']);
      if (!grouped.has(key)) {
        grouped.set(key, []);
        messages.push(key);
      }
      grouped.get(key)?.push(property);
    } else messages.push(describe(error, pointer(document, error.instancePath)));
  }
  const worded = messages.map((message) => {
    const properties = grouped.get(message);
    if (!properties) return message;
    const names = JSON.stringify([...properties].sort());
    return message.startsWith('required') ? `object has missing required properties (${names})` : `object instance has properties which are not allowed by the schema: ${names}`;
  });
  return `[${worded.join(', ')}]`;
}

/** Validates request bodies against one API's models, each compiled once. */
export class BodyValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly api: RestApiDefinition) {
    addFormats(this.ajv);
    for (const model of api.models.values()) {
      if (model.schema) this.ajv.addSchema(withoutMeta(model.schema), modelUri(api.id, model.name));
    }
    // Compile every model now, so a schema the sandbox cannot use fails at start, naming it.
    for (const model of api.models.values()) {
      if (!model.schema) continue;
      try {
        const validate = this.ajv.getSchema(modelUri(api.id, model.name));
        if (validate) this.compiled.set(model.name, validate);
      } catch (error) {
        throw new Error(`Model ${model.name} of REST API ${api.name} does not compile: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  /** The model a request of this content type is validated against, if any (`$default` applies to others). */
  modelFor(method: MethodDefinition, contentType: string): ModelDefinition | undefined {
    const name = method.requestModels[contentType] ?? method.requestModels.$default;
    return name === undefined ? undefined : this.api.models.get(name);
  }

  /** Validates a raw body; a body that is not JSON fails like API Gateway's parser does. */
  validate(model: ModelDefinition, body: string): BodyValidation {
    if (!model.schema) return { valid: true };
    let document: unknown;
    try {
      document = body.trim() === '' ? {} : JSON.parse(body);
    } catch (error) {
      return { valid: false, validationErrorString: `[Invalid JSON: ${(error as Error).message}]` };
    }
    const validate = this.compiled.get(model.name);
    if (!validate) throw new Error(`Model ${model.name} of REST API ${this.api.name} did not compile`);
    if (validate(document)) return { valid: true };
    return { valid: false, validationErrorString: validationErrorString(validate.errors ?? [], document) };
  }
}

function withoutMeta(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _meta, id: _id, $id: _dollarId, ...rest } = schema;
  return rest;
}
