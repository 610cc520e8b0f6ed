import type { AttributeProvider } from '../../model/platform-model';

// Before DynamoDB Local runs, a stream ARN has AWS's shape with a fixed label, so values computed
// ahead of start-up stay stable.
const PLACEHOLDER_STREAM_LABEL = '1970-01-01T00:00:00.000';

/**
 * After-apply attributes of `aws_dynamodb_table`: `arn` and `id` as AWS computes them, `stream_arn` and
 * `stream_label` from DynamoDB Local once the table exists (empty when the table has no stream).
 * Arguments such as `hash_key` are read from the configuration by the model itself.
 */
export function tableAttributes(streamArns: ReadonlyMap<string, string>): AttributeProvider {
  return (resource, attribute, model) => {
    const name = String(model.attribute(resource, 'name'));
    const arn = `arn:aws:dynamodb:${model.region}:${model.accountId}:table/${name}`;
    const streamArn = () => {
      if (model.resolve(resource.stack, resource.raw.stream_enabled) !== true) return '';
      return streamArns.get(name) ?? `${arn}/stream/${PLACEHOLDER_STREAM_LABEL}`;
    };
    switch (attribute) {
      case 'arn':
        return arn;
      case 'id':
        return name;
      case 'stream_arn':
        return streamArn();
      case 'stream_label':
        return streamArn().split('/stream/')[1] ?? '';
      default:
        return undefined;
    }
  };
}
