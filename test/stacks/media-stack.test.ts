import { resourcesOf, synthPlatform, type SynthesizedStack, type TerraformDocument } from './synth';
import { idOf, ref, resource, statementsOf } from './constructs/harness';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

function mediaStack(environment: string): SynthesizedStack {
  return (synthPlatform(environment) as Record<string, SynthesizedStack>).media as SynthesizedStack;
}

/** The one remote-state reference to an output of `stack` for a resource of `type`, ending in `attribute`. */
function remote(doc: TerraformDocument, stack: string, type: string, attribute: string): string {
  const pattern = new RegExp(`\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${stack}\\.outputs\\.cross-stack-output-${type}[\\w-]*?${attribute}\\}`, 'g');
  const found = [...new Set(JSON.stringify(doc).match(pattern) ?? [])];
  if (found.length !== 1) throw new Error(`expected one reference to ${stack}'s ${type} ${attribute}, found ${found.join(', ') || 'none'}`);
  return found[0] as string;
}

/** Every inline policy of a role, by policy name, as its statements. */
function policiesOf(doc: TerraformDocument, rolePath: string): Record<string, Record<string, unknown>[]> {
  const role = ref(doc, 'aws_iam_role', rolePath, 'id');
  return Object.fromEntries(
    resourcesOf(doc, 'aws_iam_role_policy')
      .filter((policy) => policy.role === role)
      .map((policy) => [policy.name as string, statementsOf(doc, policy.policy)]),
  );
}

describe('MediaStack', () => {
  const { doc } = mediaStack('local');
  const keyArn = remote(doc, 'data', 'aws_kms_key', 'arn');
  const tableArn = remote(doc, 'data', 'aws_dynamodb_table', 'arn');
  const alarmsArn = remote(doc, 'data', 'aws_sns_topic', 'arn');
  const bucketArn = ref(doc, 'aws_s3_bucket', 'media/bucket', 'arn');
  const bucketId = ref(doc, 'aws_s3_bucket', 'media/bucket', 'id');
  const topicArn = ref(doc, 'aws_sns_topic', 'media-uploads/topic', 'arn');
  const thumbnailsQueueArn = ref(doc, 'aws_sqs_queue', 'media-uploads/thumbnails/queue/queue', 'arn');
  const metadataQueueArn = ref(doc, 'aws_sqs_queue', 'media-uploads/image-metadata/queue/queue', 'arn');
  const failuresArn = ref(doc, 'aws_sqs_queue', 'media-uploads/notify-image-uploaded-failures/queue', 'arn');
  const viaService = (service: string) => [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${REGION}.amazonaws.com`] }];
  const functionBasics = (path: string) => {
    const logGroupArn = ref(doc, 'aws_cloudwatch_log_group', `${path}/logs`, 'arn');
    return {
      'write-logs': [{ sid: 'WriteLogs', effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroupArn, `${logGroupArn}:log-stream:*`] }],
      'decrypt-environment': [{ sid: 'DecryptEnvironment', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn], condition: viaService('lambda') }],
      'write-traces': [{ sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }],
    };
  };
  const consumeQueue = (queueArn: string) => [
    { sid: 'ConsumeQueue', effect: 'Allow', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], resources: [queueArn] },
    { sid: 'DecryptQueue', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn], condition: viaService('sqs') },
  ];
  const keyUse = (sid: string, service: string) => ({
    sid,
    effect: 'Allow',
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: [keyArn],
    condition: viaService(service),
  });
  const readOriginals = { sid: 'ReadOriginals', effect: 'Allow', actions: ['s3:GetObject'], resources: [`${bucketArn}/products/*/original.*`] };

  it('keeps media in a private, TLS-only, KMS-encrypted, versioned bucket', () => {
    expect(resource(doc, 'aws_s3_bucket', 'media/bucket')).toMatchObject({ bucket: 'orders-local-media', force_destroy: true });
    expect(resource(doc, 'aws_s3_bucket_public_access_block', 'media/public-access')).toMatchObject({
      bucket: bucketId,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(statementsOf(doc, resource(doc, 'aws_s3_bucket_policy', 'media/bucket-policy').policy)).toEqual([
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['s3:*'],
        resources: [bucketArn, `${bucketArn}/*`],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ]);
    expect(resource(doc, 'aws_s3_bucket_server_side_encryption_configuration', 'media/encryption').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyArn }, bucket_key_enabled: true },
    ]);
    expect(resource(doc, 'aws_s3_bucket_versioning', 'media/versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(resource(doc, 'aws_s3_bucket_ownership_controls', 'media/ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(resource(doc, 'aws_s3_bucket_lifecycle_configuration', 'media/lifecycle').rule).toEqual([
      {
        id: 'old-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    expect(mediaStack('prod').doc.resource.aws_s3_bucket?.[idOf(doc, 'aws_s3_bucket', 'media/bucket')]).toMatchObject({ bucket: 'orders-prod-media', force_destroy: false });
  });

  it('notifies the topic of every object created under products/, once the topic lets S3 in', () => {
    const notification = resource(doc, 'aws_s3_bucket_notification', 'media/notification');
    expect(notification).toMatchObject({
      bucket: bucketId,
      topic: [{ id: 'topic-0', topic_arn: topicArn, events: ['s3:ObjectCreated:*'], filter_prefix: 'products/' }],
      depends_on: [`aws_sns_topic_policy.${idOf(doc, 'aws_sns_topic_policy', 'media-uploads/topic-policy')}`],
    });
    expect((notification.topic as Record<string, unknown>[])[0]).not.toHaveProperty('filter_suffix');
    expect(notification).not.toHaveProperty('lambda_function');
    expect(notification).not.toHaveProperty('queue');
  });

  it('encrypts the topic and lets S3 publish for exactly this bucket and account, over TLS only', () => {
    expect(resource(doc, 'aws_sns_topic', 'media-uploads/topic')).toMatchObject({ name: 'orders-local-media-uploads', kms_master_key_id: keyArn, tracing_config: 'Active' });
    const policy = resource(doc, 'aws_sns_topic_policy', 'media-uploads/topic-policy');
    expect(policy.arn).toBe(topicArn);
    expect(statementsOf(doc, policy.policy)).toEqual([
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['sns:Publish'],
        resources: [topicArn],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
      {
        sid: 'PublishFromS31',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
        actions: ['sns:Publish'],
        resources: [topicArn],
        condition: [
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [bucketArn] },
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        ],
      },
    ]);
  });

  it('fans out to the thumbnails and image-metadata queues with raw delivery and no filter', () => {
    for (const [id, queueArn] of [
      ['thumbnails', thumbnailsQueueArn],
      ['image-metadata', metadataQueueArn],
    ] as const) {
      const subscription = resource(doc, 'aws_sns_topic_subscription', `media-uploads/${id}-subscription`);
      expect(subscription).toEqual(expect.objectContaining({ topic_arn: topicArn, protocol: 'sqs', endpoint: queueArn, raw_message_delivery: true }));
      expect(subscription).not.toHaveProperty('filter_policy');
      const sendFromTopic = statementsOf(doc, resource(doc, 'aws_sqs_queue_policy', `media-uploads/${id}/queue/queue-policy`).policy).find(
        (statement) => statement.effect === 'Allow',
      );
      expect(sendFromTopic).toMatchObject({
        principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
        actions: ['sqs:SendMessage'],
        resources: [queueArn],
        condition: [
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [topicArn] },
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        ],
      });
    }
    expect(resourcesOf(doc, 'aws_sns_topic_subscription').map((subscription) => subscription.protocol).sort()).toEqual(['lambda', 'sqs', 'sqs']);
  });

  it('dead-letters each queue after maxReceiveCount from config, with an alarm to the alarm topic', () => {
    const cases = [
      ['thumbnails', 'orders-local-thumbnails', 180],
      ['image-metadata', 'orders-local-image-metadata', 60],
    ] as const;
    for (const [id, name, visibility] of cases) {
      const dlqArn = ref(doc, 'aws_sqs_queue', `media-uploads/${id}/queue/dlq`, 'arn');
      expect(resource(doc, 'aws_sqs_queue', `media-uploads/${id}/queue/queue`)).toMatchObject({
        name,
        kms_master_key_id: keyArn,
        visibility_timeout_seconds: visibility,
        redrive_policy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
      });
      expect(resource(doc, 'aws_sqs_queue', `media-uploads/${id}/queue/dlq`)).toMatchObject({ name: `${name}-dlq`, message_retention_seconds: 1_209_600 });
      expect(resource(doc, 'aws_cloudwatch_metric_alarm', `media-uploads/${id}/queue/dlq-alarm`)).toMatchObject({
        alarm_name: `${name}-dlq-not-empty`,
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: ref(doc, 'aws_sqs_queue', `media-uploads/${id}/queue/dlq`, 'name') },
        threshold: 0,
        alarm_actions: [alarmsArn],
      });
    }
    const prod = mediaStack('prod').doc;
    const prodRedrive = JSON.parse(resource(prod, 'aws_sqs_queue', 'media-uploads/thumbnails/queue/queue').redrive_policy as string) as { maxReceiveCount: number };
    expect(prodRedrive.maxReceiveCount).toBe(5);
  });

  it('drains each queue with its consumer, reporting partial batch failures', () => {
    expect(resource(doc, 'aws_lambda_event_source_mapping', 'media-uploads/thumbnails/event-source')).toMatchObject({
      event_source_arn: thumbnailsQueueArn,
      function_name: ref(doc, 'aws_lambda_function', 'media-uploads/thumbnails/function/function', 'function_name'),
      function_response_types: ['ReportBatchItemFailures'],
      batch_size: 1,
      maximum_batching_window_in_seconds: 1,
    });
    expect(resource(doc, 'aws_lambda_event_source_mapping', 'media-uploads/image-metadata/event-source')).toMatchObject({
      event_source_arn: metadataQueueArn,
      function_name: ref(doc, 'aws_lambda_function', 'media-uploads/image-metadata/function/function', 'function_name'),
      function_response_types: ['ReportBatchItemFailures'],
      batch_size: 10,
      maximum_batching_window_in_seconds: 1,
    });
  });

  it('subscribes notify-image-uploaded directly, invoked by this topic only, its failures kept in a queue', () => {
    const notifyArn = ref(doc, 'aws_lambda_function', 'notify-image-uploaded/function', 'arn');
    const notifyName = ref(doc, 'aws_lambda_function', 'notify-image-uploaded/function', 'function_name');
    expect(resource(doc, 'aws_sns_topic_subscription', 'media-uploads/notify-image-uploaded-subscription')).toEqual(
      expect.objectContaining({ topic_arn: topicArn, protocol: 'lambda', endpoint: notifyArn }),
    );
    expect(resource(doc, 'aws_lambda_permission', 'media-uploads/notify-image-uploaded-permission')).toEqual(
      expect.objectContaining({ statement_id: 'AllowSnsTopic', action: 'lambda:InvokeFunction', function_name: notifyName, principal: 'sns.amazonaws.com', source_arn: topicArn }),
    );
    expect(resource(doc, 'aws_lambda_function_event_invoke_config', 'media-uploads/notify-image-uploaded-async-failures')).toMatchObject({
      function_name: notifyName,
      maximum_retry_attempts: 2,
      destination_config: { on_failure: { destination: failuresArn } },
    });
    expect(resource(doc, 'aws_sqs_queue', 'media-uploads/notify-image-uploaded-failures/queue')).toMatchObject({ name: 'orders-local-notify-image-uploaded-failed' });
  });

  it('runs the three functions on nodejs22.x/arm64 with their memory, timeout and environment', () => {
    const fn = (path: string) => resource(doc, 'aws_lambda_function', path);
    const env = (variables: Record<string, string>, name: string) => ({ variables: { ...variables, POWERTOOLS_SERVICE_NAME: name, NODE_OPTIONS: '--enable-source-maps' } });
    expect(fn('media-uploads/thumbnails/function/function')).toMatchObject({
      function_name: 'orders-local-generate-thumbnail',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      memory_size: 1024,
      timeout: 30,
      environment: env({}, 'orders-local-generate-thumbnail'),
    });
    expect(fn('media-uploads/image-metadata/function/function')).toMatchObject({
      function_name: 'orders-local-extract-image-metadata',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      memory_size: 512,
      timeout: 10,
      environment: env({ TABLE_NAME: remote(doc, 'data', 'aws_dynamodb_table', 'name') }, 'orders-local-extract-image-metadata'),
    });
    expect(fn('notify-image-uploaded/function')).toMatchObject({
      function_name: 'orders-local-notify-image-uploaded',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      memory_size: 256,
      timeout: 10,
      environment: env({ EVENT_BUS_NAME: remote(doc, 'events', 'aws_cloudwatch_event_bus', 'name') }, 'orders-local-notify-image-uploaded'),
    });
    for (const path of ['media-uploads/thumbnails/function/function', 'media-uploads/image-metadata/function/function']) {
      expect(fn(path).filename).toMatch(/^assets\/[\w-]+\/[0-9A-F]+\/archive\.zip$/);
    }
  });

  it('lets generate-thumbnail read originals and write thumbnails, through S3 for the key', () => {
    expect(policiesOf(doc, 'media-uploads/thumbnails/function/role/role')).toEqual({
      ...functionBasics('media-uploads/thumbnails/function'),
      'consume-queue': consumeQueue(thumbnailsQueueArn),
      thumbnails: [
        readOriginals,
        { sid: 'WriteThumbnails', effect: 'Allow', actions: ['s3:PutObject'], resources: [`${bucketArn}/products/*/thumbnail.webp`] },
        keyUse('MediaBucketKey', 's3'),
      ],
    });
  });

  it('lets extract-image-metadata read originals and update product items only', () => {
    expect(policiesOf(doc, 'media-uploads/image-metadata/function/role/role')).toEqual({
      ...functionBasics('media-uploads/image-metadata/function'),
      'consume-queue': consumeQueue(metadataQueueArn),
      'image-metadata': [
        readOriginals,
        { sid: 'MediaBucketKey', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn], condition: viaService('s3') },
        {
          sid: 'RecordProductImage',
          effect: 'Allow',
          actions: ['dynamodb:UpdateItem'],
          resources: [tableArn],
          condition: [{ test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['PRODUCT#*'] }],
        },
        keyUse('OrdersTableKey', 'dynamodb'),
      ],
    });
  });

  it('lets notify-image-uploaded read original versions, put events on the bus and keep its failures', () => {
    expect(policiesOf(doc, 'notify-image-uploaded/role/role')).toEqual({
      ...functionBasics('notify-image-uploaded'),
      'send-failed-notifications': [
        { sid: 'SendFailedNotifications', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [failuresArn] },
        { sid: 'EncryptFailedNotifications', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [keyArn], condition: viaService('sqs') },
      ],
      'announce-uploads': [
        { sid: 'HeadOriginals', effect: 'Allow', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${bucketArn}/products/*/original.*`] },
        { sid: 'PutEventsOnBus', effect: 'Allow', actions: ['events:PutEvents'], resources: [remote(doc, 'events', 'aws_cloudwatch_event_bus', 'arn')] },
        { sid: 'BusKey', effect: 'Allow', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [keyArn], condition: viaService('events') },
      ],
    });
  });
});
