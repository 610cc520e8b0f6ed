import type { Step } from './expressions';

/** A Terraform value type, as `terraform providers schema -json` writes attribute types. */
export type TfType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | ['list' | 'set' | 'map', TfType]
  | ['object', Record<string, TfType>]
  | ['tuple', TfType[]];

/** The value type of every resource and data source of the providers in a schema. */
export interface ProviderTypes {
  readonly resources: Record<string, TfType>;
  readonly dataSources: Record<string, TfType>;
}

interface SchemaBlock {
  attributes?: Record<string, { type?: TfType; nested_type?: NestedType }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}
interface NestedType {
  attributes: Record<string, { type?: TfType; nested_type?: NestedType }>;
  nesting_mode: string;
}
/** The parts of `terraform providers schema -json` that types are read from. */
export interface ProvidersSchema {
  provider_schemas?: Record<
    string,
    { resource_schemas?: Record<string, { block: SchemaBlock }>; data_source_schemas?: Record<string, { block: SchemaBlock }> }
  >;
}

/** Reduces `terraform providers schema -json` to the value type of each resource and data source. */
export function providerTypesFromSchema(schema: ProvidersSchema): ProviderTypes {
  const resources: Record<string, TfType> = {};
  const dataSources: Record<string, TfType> = {};
  for (const provider of Object.values(schema.provider_schemas ?? {})) {
    for (const [name, s] of Object.entries(provider.resource_schemas ?? {})) resources[name] = blockType(s.block);
    for (const [name, s] of Object.entries(provider.data_source_schemas ?? {})) dataSources[name] = blockType(s.block);
  }
  return { resources, dataSources };
}

/** The type found by following `steps` into `type`, or undefined when a step does not fit. */
export function typeAt(type: TfType | undefined, steps: readonly Step[]): TfType | undefined {
  let current = type;
  for (const step of steps) {
    if (current === undefined || current === 'dynamic') return current;
    if (typeof current === 'string') return undefined;
    const [kind, inner] = current;
    if ('splat' in step) {
      if (kind !== 'list' && kind !== 'set' && kind !== 'tuple') return undefined;
      return ['list', typeAt(kind === 'tuple' ? (inner as TfType[])[0] : (inner as TfType), []) ?? 'dynamic'];
    }
    const key = 'attr' in step ? step.attr : step.index;
    if (kind === 'object') current = (inner as Record<string, TfType>)[String(key)];
    else if (kind === 'map') current = inner as TfType;
    else if (kind === 'list' || kind === 'set') current = typeof key === 'number' ? (inner as TfType) : undefined;
    else current = typeof key === 'number' ? (inner as TfType[])[key] : undefined;
  }
  return current;
}

function blockType(block: SchemaBlock): TfType {
  const attrs: Record<string, TfType> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    attrs[name] = attr.nested_type ? nestedType(attr.nested_type) : (attr.type ?? 'dynamic');
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    attrs[name] = wrap(nested.nesting_mode, blockType(nested.block));
  }
  return ['object', attrs];
}

function nestedType(nested: NestedType): TfType {
  return wrap(nested.nesting_mode, blockType({ attributes: nested.attributes }));
}

function wrap(nestingMode: string, element: TfType): TfType {
  if (nestingMode === 'list' || nestingMode === 'set' || nestingMode === 'map') return [nestingMode, element];
  return element;
}
