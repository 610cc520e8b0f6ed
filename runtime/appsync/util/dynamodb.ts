// util.dynamodb: JavaScript values to DynamoDB attribute values. Numbers stay JavaScript numbers
// (`{ N: 12345 }`), as the AppSync docs show and as AppSync's EvaluateCode returns them.

type Attribute = Record<string, unknown>;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `util.dynamodb.toDynamoDB`: lists become `L` and objects `M`, never sets. */
export function toDynamoDB(value: unknown): Attribute | null {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((item) => toDynamoDB(item)) };
  if (isMap(value)) return { M: toMapValues(value) };
  return null;
}

/** `util.dynamodb.toMapValues`: each value converted, the map itself not wrapped in `M`. */
export function toMapValues(value: unknown): Record<string, Attribute | null> {
  const out: Record<string, Attribute | null> = {};
  if (!isMap(value)) return out;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = toDynamoDB(item);
  }
  return out;
}

function nullable<T, R>(convert: (value: T) => R) {
  return (value: T | null | undefined): R | null => (value === null || value === undefined ? null : convert(value));
}

/** `util.dynamodb.toS3Object`: the S3 object reference stored as a JSON string attribute. */
export function toS3Object(key: string, bucket: string, region: string, version?: string): Attribute {
  const s3: Record<string, string> = { key, bucket, region };
  if (version !== undefined) s3.version = version;
  return { S: JSON.stringify({ s3 }) };
}

/** `util.dynamodb.fromS3ObjectJson`: the key, bucket, region and version of a stored S3 object reference. */
export function fromS3ObjectJson(s3ObjectString: string): Record<string, unknown> | null {
  const parsed: unknown = JSON.parse(s3ObjectString);
  return isMap(parsed) && isMap(parsed.s3) ? { ...parsed.s3 } : null;
}

/** The `util.dynamodb` object. */
export function createDynamoDBUtils() {
  return {
    toDynamoDB,
    toMapValues,
    toString: nullable((value: string) => ({ S: value })),
    toStringSet: nullable((list: string[]) => ({ SS: [...list] })),
    toNumber: nullable((num: number) => ({ N: num })),
    toNumberSet: nullable((numbers: number[]) => ({ NS: [...numbers] })),
    toBinary: nullable((value: string) => ({ B: value })),
    toBinarySet: nullable((values: string[]) => ({ BS: [...values] })),
    toBoolean: nullable((value: boolean) => ({ BOOL: value })),
    toNull: () => ({ NULL: null }),
    toList: nullable((list: unknown[]) => ({ L: list.map((item) => toDynamoDB(item)) })),
    toMap: nullable((map: Record<string, unknown>) => ({ M: toMapValues(map) })),
    toS3Object,
    fromS3ObjectJson,
  };
}
