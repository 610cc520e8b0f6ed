import { FanOutTopic } from '../../../stacks/constructs/fan-out-topic';
import { SecureBucket, type SecureBucketProps } from '../../../stacks/constructs/secure-bucket';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, idOf, KEY_ARN, ref, REGION, resource, SECURITY, statementsOf, Workspace } from './harness';

describe('SecureBucket', () => {
  const workspace = new Workspace();
  const props = (overrides: Partial<SecureBucketProps> = {}): SecureBucketProps => ({ name: 'orders-test-media', security: SECURITY, ...overrides });
  let doc: TerraformDocument;

  beforeAll(() => {
    doc = workspace.synth((stack) => {
      const bucket = new SecureBucket(stack, 'media', props({ lifecycle: [{ id: 'uploads', prefix: 'uploads/', expireAfterDays: 30, noncurrentVersionsExpireAfterDays: 7 }] }));
      const uploads = new FanOutTopic(stack, 'uploads', { name: 'orders-test-media-uploads', security: SECURITY, accountId: ACCOUNT, region: REGION });
      bucket.notifyTopic(uploads, { prefix: 'uploads/', suffix: '.jpg' });
      bucket.notifyTopic({ arn: `arn:aws:sns:${REGION}:${ACCOUNT}:deletions` }, { events: ['s3:ObjectRemoved:*'] });
    });
  });
  afterAll(() => workspace.dispose());

  it('blocks every kind of public access and disables ACLs', () => {
    expect(resource(doc, 'aws_s3_bucket_public_access_block', 'media/public-access')).toMatchObject({
      bucket: ref(doc, 'aws_s3_bucket', 'media/bucket', 'id'),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(doc, 'aws_s3_bucket_ownership_controls', 'media/ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  it('encrypts with the key and bucket keys, versions, and can be destroyed when deletion protection is off', () => {
    expect(resource(doc, 'aws_s3_bucket', 'media/bucket')).toMatchObject({ bucket: 'orders-test-media', force_destroy: true });
    expect(resource(doc, 'aws_s3_bucket_server_side_encryption_configuration', 'media/encryption').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true },
    ]);
    expect(resource(doc, 'aws_s3_bucket_versioning', 'media/versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(resource(doc, 'aws_s3_bucket_lifecycle_configuration', 'media/lifecycle').rule).toEqual([
      {
        id: 'uploads',
        status: 'Enabled',
        filter: [{ prefix: 'uploads/' }],
        expiration: [{ days: 30 }],
        noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
  });

  it('denies any request without TLS', () => {
    const bucketArn = ref(doc, 'aws_s3_bucket', 'media/bucket', 'arn');
    const policy = resource(doc, 'aws_s3_bucket_policy', 'media/bucket-policy');
    expect(policy.depends_on).toEqual([`aws_s3_bucket_public_access_block.${idOf(doc, 'aws_s3_bucket_public_access_block', 'media/public-access')}`]);
    expect(statementsOf(doc, policy.policy)).toEqual([
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        actions: ['s3:*'],
        resources: [bucketArn, `${bucketArn}/*`],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ]);
  });

  it('collects every topic in one notification, after the topic policy that lets this bucket publish', () => {
    const notification = resource(doc, 'aws_s3_bucket_notification', 'media/notification');
    expect(notification).toMatchObject({
      bucket: ref(doc, 'aws_s3_bucket', 'media/bucket', 'id'),
      topic: [
        { id: 'topic-0', topic_arn: ref(doc, 'aws_sns_topic', 'uploads/topic', 'arn'), events: ['s3:ObjectCreated:*'], filter_prefix: 'uploads/', filter_suffix: '.jpg' },
        { id: 'topic-1', topic_arn: `arn:aws:sns:${REGION}:${ACCOUNT}:deletions`, events: ['s3:ObjectRemoved:*'] },
      ],
      depends_on: [`aws_sns_topic_policy.${idOf(doc, 'aws_sns_topic_policy', 'uploads/topic-policy')}`],
    });
    expect(notification).not.toHaveProperty('eventbridge');
    const statements = statementsOf(doc, resource(doc, 'aws_sns_topic_policy', 'uploads/topic-policy').policy);
    expect(statements[1]).toMatchObject({
      sid: 'PublishFromS31',
      principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }],
      actions: ['sns:Publish'],
      condition: [
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [ref(doc, 'aws_s3_bucket', 'media/bucket', 'arn')] },
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
      ],
    });
  });

  it('complies with the anti-pattern rules', () => {
    expect(checkStack(doc)).toEqual([]);
  });

  it('sends object events to EventBridge when asked, and keeps objects under deletion protection', () => {
    const events = workspace.synth((stack) => {
      new SecureBucket(stack, 'events', props({ eventBridge: true, versioning: false, security: { ...SECURITY, deletionProtection: true } }));
    });
    expect(resource(events, 'aws_s3_bucket_notification', 'events/notification')).toMatchObject({ eventbridge: true });
    expect(resource(events, 'aws_s3_bucket', 'events/bucket').force_destroy).toBe(false);
    expect(resource(events, 'aws_s3_bucket_versioning', 'events/versioning').versioning_configuration).toEqual({ status: 'Suspended' });
    expect(events.resource).not.toHaveProperty('aws_s3_bucket_lifecycle_configuration');
  });

  it('reports every invalid prop at once', () => {
    const stack = workspace.stack();
    expect(
      () =>
        new SecureBucket(
          stack,
          'bad',
          props({
            name: 'Bad_Bucket',
            versioning: false,
            lifecycle: [
              { id: 'old', expireAfterDays: 0, noncurrentVersionsExpireAfterDays: 3 },
              { id: 'old', abortIncompleteUploadsAfterDays: 1.5 },
            ],
          }),
        ),
    ).toThrow(
      [
        'SecureBucket bad:',
        '- name "Bad_Bucket" must be 3-63 lowercase letters, digits, - and ., starting and ending with a letter or digit',
        '- lifecycle: duplicate rule id old',
        '- lifecycle.old.expireAfterDays must be a whole number of days, 1 or more',
        '- lifecycle.old.noncurrentVersionsExpireAfterDays needs versioning',
        '- lifecycle.old.abortIncompleteUploadsAfterDays must be a whole number of days, 1 or more',
      ].join('\n'),
    );
    const bucket = new SecureBucket(stack, 'ok', props());
    expect(() => bucket.notifyTopic({ arn: 'arn:aws:sns:eu-west-1:111122223333:t' }, { events: ['ObjectCreated'] })).toThrow(
      'SecureBucket ok notifyTopic:\n- events: "ObjectCreated" is not an S3 event type',
    );
  });
});
