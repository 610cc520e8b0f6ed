import { awsMapKeys, awsNumber, awsString, looksNumeric, type AwsLocation } from './aws-shapes';
import { parseExpression, parseStringValue, rootKind, type Expr, type Step } from './expressions';
import { typeAt, type ProviderTypes, type TfType } from './schema';

// Placeholder values for a stack's outputs, made from the expressions that define them, so a
// stack that reads them through `terraform_remote_state` can be planned before they exist.

/** What the placeholders of one producer stack are made from. */
export interface ProducerScope {
  /** Partition, region and account of the stack's default AWS provider. */
  readonly location: AwsLocation;
  /** Arguments of a resource or data source of the stack, used for literal names. */
  readonly config?: (mode: 'managed' | 'data', type: string, name: string) => Record<string, unknown> | undefined;
  /** Value types of resources and data sources, from the provider schema. */
  readonly types?: ProviderTypes;
  /** Placeholder for an output of another stack that this stack reads through a remote state. */
  readonly remoteOutput?: (dataSource: string, output: string) => unknown;
}

const PLACEHOLDER = 'placeholder';
const MAX_DEPTH = 4;

/** The placeholder for one output `value` as synthesized (a string, number, list or object). */
export function placeholderFor(value: unknown, scope: ProducerScope): unknown {
  if (typeof value === 'string') return evaluate(parseStringValue(value), scope);
  if (Array.isArray(value)) return value.map((v) => placeholderFor(v, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, placeholderFor(v, scope)]),
    );
  }
  return value;
}

/** The placeholder for an output that only its name is known of (a remote state of another app). */
export function placeholderForName(outputName: string, location: AwsLocation): unknown {
  // cdktf glues the attribute to the resource name (`...tablearn`): split a trailing arn/url off.
  const leaf = outputName
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()
    .replace(/([a-z0-9])(arn|url)$/, '$1_$2');
  return generate(heuristicType(leaf), { type: 'aws_placeholder', name: outputName, path: [leaf] }, location, 0);
}

function evaluate(expr: Expr, scope: ProducerScope): unknown {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return expr.value;
    case 'null':
      return null;
    case 'tuple':
      return expr.items.map((item) => evaluate(item, scope));
    case 'template':
      return expr.parts.map((p) => ('text' in p ? p.text : asText(evaluate(parseExpression(p.expr), scope)))).join('');
    case 'call':
      return call(expr.name, expr.args, scope);
    case 'ref':
      return reference(expr.root, expr.steps, scope);
    default:
      return PLACEHOLDER;
  }
}

function reference(root: string[], steps: Step[], scope: ProducerScope): unknown {
  const kind = rootKind(root);
  if (kind === 'other') return PLACEHOLDER;
  const [type, name] = kind === 'data' ? root.slice(1) : root;
  if (kind === 'data' && type === 'terraform_remote_state') {
    const [outputs, output, ...rest] = steps;
    if (outputs && 'attr' in outputs && outputs.attr === 'outputs' && output && !('splat' in output)) {
      const key = 'attr' in output ? output.attr : String(output.index);
      return follow(scope.remoteOutput?.(name, key) ?? PLACEHOLDER, rest);
    }
    return PLACEHOLDER;
  }
  if (kind === 'data' && type in LOCAL_DATA) {
    const attr = steps.find((s): s is { attr: string } => 'attr' in s)?.attr ?? '';
    return LOCAL_DATA[type](scope.location)[attr] ?? PLACEHOLDER;
  }
  // `[0]`, `["key"]` or `[*]` right after the root picks count/for_each instances.
  let path = steps;
  let splat = false;
  if (path.length > 0 && !('attr' in path[0])) {
    splat = 'splat' in path[0];
    path = path.slice(1);
  }
  const value = attributeValue(kind, type, name, path, scope);
  return splat ? [value] : value;
}

function attributeValue(mode: 'managed' | 'data', type: string, name: string, steps: Step[], scope: ProducerScope): unknown {
  const config = scope.config?.(mode, type, name);
  const literal = literalAt(config, steps);
  if (literal !== undefined) return literal;
  const types = mode === 'managed' ? scope.types?.resources : scope.types?.dataSources;
  const names = steps.flatMap((s) => ('attr' in s ? [s.attr] : 'index' in s && typeof s.index === 'string' ? [s.index] : []));
  const leaf = names[names.length - 1] ?? 'id';
  const schemaType = types?.[type] ? typeAt(types[type], steps) : undefined;
  return generate(schemaType ?? heuristicType(leaf), { type, name, config, path: names }, scope.location, 0);
}

interface Target {
  type: string;
  name: string;
  config?: Record<string, unknown>;
  path: string[];
}

function generate(type: TfType, target: Target, location: AwsLocation, depth: number): unknown {
  const attribute = target.path.join('.');
  if (type === 'string' || type === 'dynamic') return awsString(target, attribute, location);
  if (type === 'number') return awsNumber(attribute);
  if (type === 'bool') return true;
  if (depth >= MAX_DEPTH) return type[0] === 'list' || type[0] === 'set' || type[0] === 'tuple' ? [] : {};
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    const leaf = target.path[target.path.length - 1] ?? '';
    const singular = leaf.replace(/_(arn|id|name|url)s$/, '_$1');
    return [generate(inner, { ...target, path: [...target.path.slice(0, -1), singular] }, location, depth + 1)];
  }
  if (kind === 'map') {
    const leaf = target.path[target.path.length - 1] ?? '';
    if (leaf === 'tags' || leaf === 'tags_all') return {};
    const keys = awsMapKeys(target.type, attribute);
    return Object.fromEntries(
      (keys.length ? keys : ['example']).map((k) => [k, generate(inner, { ...target, path: [...target.path, k] }, location, depth + 1)]),
    );
  }
  if (kind === 'object') {
    return Object.fromEntries(
      Object.entries(inner).map(([k, t]) => [k, generate(t, { ...target, path: [...target.path, k] }, location, depth + 1)]),
    );
  }
  return (inner as TfType[]).map((t) => generate(t, target, location, depth + 1));
}

// The type an attribute most likely has, from its name alone (no provider schema at hand).
function heuristicType(leaf: string): TfType {
  if (leaf === 'tags' || leaf === 'tags_all' || leaf === 'uris' || leaf.endsWith('_map')) return ['map', 'string'];
  if (/_(arns|ids|names|urls)$/.test(leaf)) return ['list', 'string'];
  if (/_enabled$/.test(leaf)) return 'bool';
  if (looksNumeric(leaf)) return 'number';
  return 'string';
}

// A literal argument of the producer's resource (its name, say), when the path leads to one.
function literalAt(config: Record<string, unknown> | undefined, steps: Step[]): unknown {
  let value: unknown = config;
  for (const step of steps) {
    if (value === undefined || value === null || 'splat' in step) return undefined;
    const key = 'attr' in step ? step.attr : step.index;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value !== undefined && value !== config && isLiteral(value) ? value : undefined;
}

function isLiteral(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('${');
  if (Array.isArray(value)) return value.every(isLiteral);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isLiteral);
  return true;
}

function follow(value: unknown, steps: Step[]): unknown {
  let current = value;
  for (const step of steps) {
    if ('splat' in step) return current;
    const key = 'attr' in step ? step.attr : step.index;
    const next = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[key] : undefined;
    if (next === undefined) return PLACEHOLDER;
    current = next;
  }
  return current;
}

// Data sources that the AWS provider answers without calling AWS.
const LOCAL_DATA: Record<string, (l: AwsLocation) => Record<string, unknown>> = {
  aws_region: (l) => ({ name: l.region, region: l.region, id: l.region, endpoint: `ec2.${l.region}.amazonaws.com` }),
  aws_partition: (l) => ({ partition: l.partition, id: l.partition, dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws' }),
  aws_caller_identity: (l) => ({ account_id: l.accountId, id: l.accountId, arn: `arn:${l.partition}:iam::${l.accountId}:root` }),
};

function call(name: string, argExprs: Expr[], scope: ProducerScope): unknown {
  const args = argExprs.map((a) => evaluate(a, scope));
  const [first, second, third] = args;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  switch (name) {
    case 'tolist':
    case 'toset':
    case 'tomap':
    case 'nonsensitive':
    case 'sensitive':
    case 'try':
    case 'coalesce':
      return first ?? PLACEHOLDER;
    case 'one':
    case 'element':
      return list(first)[0] ?? PLACEHOLDER;
    case 'tostring':
      return asText(first);
    case 'tonumber':
      return Number.isFinite(Number(first)) ? Number(first) : 1;
    case 'lookup': {
      const found = first !== null && typeof first === 'object' ? (first as Record<string, unknown>)[String(second)] : undefined;
      return found ?? third ?? PLACEHOLDER;
    }
    case 'join':
      return list(second).map(asText).join(String(first));
    case 'concat':
    case 'flatten':
      return args.flatMap(list).flat();
    case 'split':
      return asText(second).split(String(first));
    case 'jsonencode':
      return JSON.stringify(first);
    case 'length':
      return first !== null && typeof first === 'object' ? Object.keys(first).length : asText(first).length;
    case 'lower':
      return asText(first).toLowerCase();
    case 'upper':
      return asText(first).toUpperCase();
    case 'format': {
      let i = 1;
      return asText(first).replace(/%[sdv]/g, () => asText(args[i++]));
    }
    case 'keys':
      return first !== null && typeof first === 'object' ? Object.keys(first) : [];
    case 'values':
      return first !== null && typeof first === 'object' ? Object.values(first) : [];
    case 'merge':
      return Object.assign({}, ...args.filter((a) => a !== null && typeof a === 'object'));
    default:
      return PLACEHOLDER;
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
