// API Gateway mapping templates: Velocity (VTL) rendered by velocityjs, with API Gateway's variables
// (`$input`, `$util`, `$context`, `$stageVariables`) plugged in as context objects. Three adjustments make
// velocityjs behave like API Gateway's Java Velocity:
// - a reference whose value is null or missing renders as nothing (API Gateway prints "" for
//   `"$context.identity.user"`), where plain velocityjs prints `null` or the reference text;
// - the Java String, List and Map methods templates call (`$s.length()`, `$s.contains('x')`,
//   `$s.replaceAll(regex, ...)`, `$map.containsKey(k)`...) are provided, since JavaScript values lack them;
// - `$input.path/json` use the JSONPath subset of ./json-path.
import { Compile, parse } from 'velocityjs';
import { evaluateJsonPath } from './json-path';

/** `$input.params()`: the method request's parameters by location. */
export interface RequestParams {
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  readonly header: Readonly<Record<string, string>>;
}

/** What a mapping template sees. */
export interface MappingVariables {
  /** The payload: the method request body for request templates, the integration response body for response templates. */
  readonly body: string;
  readonly params: RequestParams;
  /** `$context`: requestId, identity, stage, resourcePath, error... */
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/** `$input.json`/`$input.path` on a payload that is not JSON; API Gateway answers 400 with this message. */
export class InvalidJsonPayloadError extends Error {
  override readonly name = 'InvalidJsonPayloadError';
}

/** A template that cannot be parsed or evaluated; API Gateway answers 500 (a configuration error). */
export class MappingTemplateError extends Error {
  override readonly name = 'MappingTemplateError';
}

type MethodHandler = NonNullable<ConstructorParameters<typeof Compile>[1]>['customMethodHandlers'];

/** Java's `String.matches`: the whole string must match. */
function javaRegex(pattern: unknown, flags = ''): RegExp {
  return new RegExp(String(pattern), flags);
}

/** Java's replacement syntax (`$1`, `\$`) as JavaScript's. */
function javaReplacement(replacement: unknown): string {
  return String(replacement).replace(/\\\$/g, '$$$$');
}

const STRING_METHODS: Readonly<Record<string, (value: string, params: unknown[]) => unknown>> = {
  length: (value) => value.length,
  isEmpty: (value) => value.length === 0,
  contains: (value, [part]) => value.includes(String(part)),
  equals: (value, [other]) => value === other,
  equalsIgnoreCase: (value, [other]) => typeof other === 'string' && value.toLowerCase() === other.toLowerCase(),
  matches: (value, [pattern]) => javaRegex(`^(?:${String(pattern)})$`).test(value),
  replaceAll: (value, [pattern, replacement]) => value.replace(javaRegex(pattern, 'g'), javaReplacement(replacement)),
  replaceFirst: (value, [pattern, replacement]) => value.replace(javaRegex(pattern), javaReplacement(replacement)),
  replace: (value, [target, replacement]) => value.split(String(target)).join(String(replacement)),
  // Java drops trailing empty strings of a split.
  split: (value, [pattern]) => {
    const parts = value.split(javaRegex(pattern));
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  },
  toString: (value: string) => value,
};

const LIST_METHODS: Readonly<Record<string, (value: unknown[], params: unknown[]) => unknown>> = {
  isEmpty: (value) => value.length === 0,
  contains: (value, [item]) => value.includes(item),
};

const MAP_METHODS: Readonly<Record<string, (value: Record<string, unknown>, params: unknown[]) => unknown>> = {
  isEmpty: (value) => Object.keys(value).length === 0,
  containsKey: (value, [key]) => Object.hasOwn(value, String(key)),
  containsValue: (value, [item]) => Object.values(value).includes(item),
  values: (value) => Object.values(value),
};

const JAVA_METHODS: MethodHandler = [
  {
    uid: 'api-gateway: java.lang.String',
    match: ({ property, context }) => typeof context === 'string' && Object.hasOwn(STRING_METHODS, property),
    resolve: ({ property, context, params }) => (STRING_METHODS[property] as (value: string, params: unknown[]) => unknown)(context as string, params),
  },
  {
    uid: 'api-gateway: java.util.List',
    match: ({ property, context }) => Array.isArray(context) && Object.hasOwn(LIST_METHODS, property),
    resolve: ({ property, context, params }) => (LIST_METHODS[property] as (value: unknown[], params: unknown[]) => unknown)(context as unknown[], params),
  },
  {
    uid: 'api-gateway: java.util.Map',
    match: ({ property, context }) => isMap(context) && !Object.hasOwn(context, property) && Object.hasOwn(MAP_METHODS, property),
    resolve: ({ property, context, params }) =>
      (MAP_METHODS[property] as (value: Record<string, unknown>, params: unknown[]) => unknown)(context as Record<string, unknown>, params),
  },
];

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** velocityjs with API Gateway's rendering of null: nothing. */
class ApiGatewayVelocity extends Compile {
  protected override getReferences(ast: ReturnType<typeof parse>[number], isVal?: boolean): string {
    const value = super.getReferences(ast, isVal);
    return isVal && (value === null || value === undefined) ? '' : value;
  }
}

const compiled = new Map<string, ReturnType<typeof parse>>();

function parseTemplate(template: string): ReturnType<typeof parse> {
  let asts = compiled.get(template);
  if (!asts) {
    try {
      asts = parse(template);
    } catch (error) {
      throw new MappingTemplateError(`Mapping template does not parse: ${(error as Error).message}`, { cause: error });
    }
    compiled.set(template, asts);
  }
  return asts;
}

/** Commons Lang's `escapeJavaScript`, which API Gateway's `$util.escapeJavaScript` is: `'` becomes `\'` too. */
export function escapeJavaScript(value: string): string {
  let escaped = '';
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    const char = value[index] as string;
    if (code > 0x7f) escaped += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (code < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      escaped += named[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (char === "'" || char === '"' || char === '\\' || char === '/') escaped += `\\${char}`;
    else escaped += char;
  }
  return escaped;
}

/** Java's `URLEncoder.encode(value, "UTF-8")`: spaces become `+`, only `A-Za-z0-9.-*_` stay as they are. */
export function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (char) => `%${(char.codePointAt(0) as number).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Java's `URLDecoder.decode(value, "UTF-8")`. */
export function urlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** `$util` of API Gateway mapping templates. */
export const UTIL = Object.freeze({
  escapeJavaScript: (value: unknown) => escapeJavaScript(String(value ?? '')),
  parseJson: (value: unknown) => {
    try {
      return JSON.parse(String(value)) as unknown;
    } catch (error) {
      throw new MappingTemplateError(`$util.parseJson: ${(error as Error).message}`, { cause: error });
    }
  },
  urlEncode: (value: unknown) => urlEncode(String(value ?? '')),
  urlDecode: (value: unknown) => urlDecode(String(value ?? '')),
  base64Encode: (value: unknown) => Buffer.from(String(value ?? ''), 'utf8').toString('base64'),
  base64Decode: (value: unknown) => Buffer.from(String(value ?? ''), 'base64').toString('utf8'),
});

/** `$input`: the payload and the request parameters. */
function inputVariable(body: string, params: RequestParams): Record<string, unknown> {
  let document: { value: unknown } | undefined;
  const json = () => {
    if (!document) {
      if (body.trim() === '') document = { value: {} };
      else {
        try {
          document = { value: JSON.parse(body) as unknown };
        } catch (error) {
          throw new InvalidJsonPayloadError(`Could not parse request body into json: ${(error as Error).message}`, { cause: error });
        }
      }
    }
    return document.value;
  };
  const headerNamed = (name: string) => {
    const lower = name.toLowerCase();
    return Object.entries(params.header).find(([header]) => header.toLowerCase() === lower)?.[1];
  };
  return {
    body,
    json: (path: string) => {
      const value = evaluateJsonPath(json(), String(path));
      return value === undefined ? '' : JSON.stringify(value);
    },
    path: (path: string) => {
      const value = evaluateJsonPath(json(), String(path));
      // A copy, so `#set`/`.put` in one template never changes what the next one reads.
      return value === null || value === undefined ? undefined : structuredClone(value);
    },
    params: (name?: string) => {
      if (name === undefined) return { path: { ...params.path }, querystring: { ...params.querystring }, header: { ...params.header } };
      return params.path[name] ?? params.querystring[name] ?? headerNamed(String(name)) ?? '';
    },
  };
}

/** Renders one API Gateway mapping template. */
export function renderMappingTemplate(template: string, variables: MappingVariables): string {
  const asts = parseTemplate(template);
  const context = {
    input: inputVariable(variables.body, variables.params),
    util: { ...UTIL },
    context: structuredClone(variables.context),
    stageVariables: { ...(variables.stageVariables ?? {}) },
  };
  try {
    return new ApiGatewayVelocity(asts, { escape: false, customMethodHandlers: JAVA_METHODS }).render(context, {}, true);
  } catch (error) {
    if (error instanceof InvalidJsonPayloadError || error instanceof MappingTemplateError) throw error;
    throw new MappingTemplateError(`Mapping template failed: ${(error as Error).message}`, { cause: error });
  }
}
