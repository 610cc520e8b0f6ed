import type { AttributeProvider } from '../../model/platform-model';
import { bucketArn, bucketName, queueArn, queueName, queueUrl, stableUuid, subscriptionArn, topicArn, topicName } from './resources';

/**
 * After-apply attributes of the resource types the messaging service runs, as Terraform reports them, except
 * that queue URLs name the local endpoint. `endpoint()` is the running endpoint, or before start the one the
 * service will try first.
 */
export function messagingAttributes(endpoint: () => string): Record<string, AttributeProvider> {
  return {
    aws_sqs_queue: (resource, attribute, model) => {
      const name = queueName(model, resource);
      switch (attribute) {
        case 'name':
          return name;
        case 'arn':
          return queueArn(model, name);
        case 'id':
        case 'url':
          return queueUrl(endpoint(), model, name);
        default:
          return undefined;
      }
    },
    aws_sns_topic: (resource, attribute, model) => {
      const name = topicName(model, resource);
      switch (attribute) {
        case 'name':
          return name;
        case 'arn':
        case 'id':
          return topicArn(model, name);
        case 'owner':
          return model.accountId;
        default:
          return undefined;
      }
    },
    aws_sns_topic_subscription: (resource, attribute, model) => {
      if (attribute === 'arn' || attribute === 'id') return subscriptionArn(model, resource);
      if (attribute === 'owner_id') return model.accountId;
      return undefined;
    },
    aws_s3_bucket: (resource, attribute, model) => {
      const name = bucketName(model, resource);
      switch (attribute) {
        case 'bucket':
        case 'id':
          return name;
        case 'arn':
          return bucketArn(name);
        case 'bucket_domain_name':
          return `${name}.s3.amazonaws.com`;
        case 'bucket_regional_domain_name':
          return `${name}.s3.${model.region}.amazonaws.com`;
        case 'region':
          return model.region;
        default:
          return undefined;
      }
    },
    aws_lambda_event_source_mapping: (resource, attribute, model) => {
      const uuid = stableUuid(resource);
      switch (attribute) {
        case 'id':
        case 'uuid':
          return uuid;
        case 'arn':
          return `arn:aws:lambda:${model.region}:${model.accountId}:event-source-mapping:${uuid}`;
        case 'function_arn': {
          const name = String(model.attribute(resource, 'function_name'));
          return name.startsWith('arn:') ? name : `arn:aws:lambda:${model.region}:${model.accountId}:function:${name}`;
        }
        case 'state':
          return model.resolve(resource.stack, resource.raw.enabled) === false ? 'Disabled' : 'Enabled';
        default:
          return undefined;
      }
    },
  };
}
