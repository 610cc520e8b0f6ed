import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { NodeFunction, type NodeFunctionProps } from '../../../stacks/constructs/node-function';
import { extractZip } from '../../../sandbox/services/lambda/zip';
import { onlyResource, policyDocuments, type TerraformDocument } from '../synth';

const HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { greet } from './greet';

const client = new DynamoDBClient({});

export const handler = async (event: { name: string }) => ({ message: greet(event.name), region: await client.config.region() });
`;

const SECURITY = { kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k', logRetentionDays: 14, deletionProtection: false };

/** A throwaway project with `functions/greeter/handler.ts` and a helper it imports. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'node-function-'));
  mkdirSync(join(root, 'functions', 'greeter'), { recursive: true });
  writeFileSync(join(root, 'functions', 'greeter', 'handler.ts'), HANDLER);
  writeFileSync(join(root, 'functions', 'greeter', 'greet.ts'), 'export const greet = (name: string): string => `hello ${name}`;\n');
  return root;
}

function props(root: string, overrides: Partial<NodeFunctionProps> = {}): NodeFunctionProps {
  return {
    name: 'nf-test-greeter',
    entry: join(root, 'functions', 'greeter', 'handler.ts'),
    environment: { TABLE_NAME: 'orders' },
    security: SECURITY,
    accountId: '111122223333',
    region: 'eu-west-1',
    ...overrides,
  };
}

describe('NodeFunction', () => {
  const root = project();
  const outdir = join(root, 'cdktf.out');
  let doc: TerraformDocument;

  beforeAll(() => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'functions');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const fn = new NodeFunction(stack, 'greeter', props(root, { timeoutSeconds: 20, memoryMb: 512, reservedConcurrency: 2 }));
    fn.grant('read-orders', [{ sid: 'ReadOrders', actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'] }]);
    app.synth();
    doc = JSON.parse(readFileSync(join(outdir, 'stacks', 'functions', 'cdk.tf.json'), 'utf8')) as TerraformDocument;
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(join('.build', 'functions', 'nf-test-greeter'), { recursive: true, force: true });
  });

  /** The logical id of the only resource of a type, for references. */
  const idOf = (type: string) => Object.keys(doc.resource[type] ?? {}).find((id) => id.startsWith('greeter_')) as string;

  it('runs the bundle on nodejs22.x/arm64 with tracing, JSON logs and an encrypted environment', () => {
    const fn = onlyResource(doc, 'aws_lambda_function');
    const logGroup = idOf('aws_cloudwatch_log_group');
    expect(fn).toMatchObject({
      function_name: 'nf-test-greeter',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      timeout: 20,
      memory_size: 512,
      reserved_concurrent_executions: 2,
      kms_key_arn: SECURITY.kmsKeyArn,
      tracing_config: { mode: 'Active' },
      logging_config: { log_format: 'JSON', log_group: `\${aws_cloudwatch_log_group.${logGroup}.name}`, application_log_level: 'INFO' },
      environment: { variables: { TABLE_NAME: 'orders', POWERTOOLS_SERVICE_NAME: 'nf-test-greeter', NODE_OPTIONS: '--enable-source-maps' } },
      role: `\${aws_iam_role.${idOf('aws_iam_role')}.arn}`,
    });
    const tracesPolicy = Object.keys(doc.resource.aws_iam_role_policy ?? {}).find((id) => id.includes('traces'));
    expect(fn.depends_on).toEqual([`aws_cloudwatch_log_group.${logGroup}`, `aws_iam_role_policy.${tracesPolicy}`]);
  });

  it('points filename and source_code_hash at the asset zip, which holds the CommonJS bundle and its map', () => {
    const fn = onlyResource(doc, 'aws_lambda_function');
    const filename = fn.filename as string;
    expect(filename).toMatch(/^assets\/greeter_code_[0-9A-F]+\/([0-9A-F]+)\/archive\.zip$/);
    expect(filename).toContain(`/${fn.source_code_hash as string}/`);
    const zip = join(outdir, 'stacks', 'functions', filename);
    expect(existsSync(zip)).toBe(true);

    const extracted = join(root, 'extracted');
    extractZip(zip, extracted);
    expect(readdirSync(extracted).sort()).toEqual(['index.js', 'index.js.map']);
    const code = readFileSync(join(extracted, 'index.js'), 'utf8');
    expect(code).toContain('require("@aws-sdk/client-dynamodb")');
    expect(code).toContain('hello ${name}');
    expect(code).toContain('//# sourceMappingURL=index.js.map');
    expect(code).not.toMatch(/^import /m);
  });

  it('creates /aws/lambda/<name> with retention and the key', () => {
    expect(onlyResource(doc, 'aws_cloudwatch_log_group')).toEqual(
      expect.objectContaining({ name: '/aws/lambda/nf-test-greeter', retention_in_days: 14, kms_key_id: SECURITY.kmsKeyArn }),
    );
  });

  it('lets only Lambda of the account assume the role', () => {
    expect(onlyResource(doc, 'aws_iam_role')).toEqual(expect.objectContaining({ name: 'nf-test-greeter' }));
    const trust = Object.entries(policyDocuments(doc)).find(([id]) => id.includes('trust'))?.[1];
    expect(trust?.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] }],
      },
    ]);
  });

  it('grants log writes to its own group, key use through Lambda, X-Ray, and what grant() adds', () => {
    const logGroupArn = `\${aws_cloudwatch_log_group.${idOf('aws_cloudwatch_log_group')}.arn}`;
    const statements = Object.values(policyDocuments(doc))
      .flatMap((document) => document.statement)
      .filter((statement) => statement.sid);
    expect(statements).toEqual([
      {
        sid: 'WriteLogs',
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
      },
      {
        sid: 'DecryptEnvironment',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [SECURITY.kmsKeyArn],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['lambda.eu-west-1.amazonaws.com'] }],
      },
      { sid: 'ReadOrders', effect: 'Allow', actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders'] },
      { sid: 'WriteTraces', effect: 'Allow', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] },
    ]);
    const policies = Object.values(doc.resource.aws_iam_role_policy ?? {}).map((policy) => policy.name);
    expect(policies.sort()).toEqual(['decrypt-environment', 'read-orders', 'write-logs', 'write-traces']);
  });

  it('reports every invalid prop at once', () => {
    const stack = new TerraformStack(new App({ outdir: join(root, 'bad-out') }), 'bad');
    expect(
      () =>
        new NodeFunction(
          stack,
          'bad',
          props(root, {
            name: 'has spaces',
            entry: join(root, 'functions', 'missing', 'handler.ts'),
            handler: 'index.handler',
            timeoutSeconds: 120,
            memoryMb: 64,
            reservedConcurrency: -1,
            environment: { AWS_REGION: 'x', NODE_OPTIONS: '--inspect', '1BAD': 'x' },
          }),
        ),
    ).toThrow(
      [
        'NodeFunction bad:',
        '- name "has spaces" must be 1-64 letters, digits, - or _',
        `- entry ${join(root, 'functions', 'missing', 'handler.ts')} does not exist`,
        '- handler "index.handler" must be the name of an export',
        '- timeoutSeconds must be a whole number from 1 to 60 (allowLongTimeout raises the limit to 900)',
        '- memoryMb must be a whole number from 128 to 10240',
        '- reservedConcurrency must be a whole number, 0 or more',
        '- environment.AWS_REGION is reserved by Lambda',
        '- environment.NODE_OPTIONS is set by NodeFunction (--enable-source-maps)',
        '- environment.1BAD: a name starts with a letter and uses letters, digits and _',
      ].join('\n'),
    );
  });

  it('allows a long timeout only when asked, and never past 15 minutes', () => {
    const stack = new TerraformStack(new App({ outdir: join(root, 'long-out') }), 'long');
    expect(() => new NodeFunction(stack, 'long', props(root, { name: 'nf-test-long', timeoutSeconds: 300, allowLongTimeout: true }))).not.toThrow();
    expect(() => new NodeFunction(stack, 'longer', props(root, { name: 'nf-test-longer', timeoutSeconds: 901, allowLongTimeout: true }))).toThrow(
      'NodeFunction longer:\n- timeoutSeconds must be a whole number from 1 to 900',
    );
    rmSync(join('.build', 'functions', 'nf-test-long'), { recursive: true, force: true });
  });

  it('names the entry that does not bundle', () => {
    const broken = join(root, 'functions', 'greeter', 'broken.ts');
    writeFileSync(broken, "import { missing } from './nowhere';\nexport const handler = missing;\n");
    const stack = new TerraformStack(new App({ outdir: join(root, 'broken-out') }), 'broken');
    expect(() => new NodeFunction(stack, 'broken', props(root, { name: 'nf-test-broken', entry: broken }))).toThrow(`${broken} does not bundle:`);
    rmSync(join('.build', 'functions', 'nf-test-broken'), { recursive: true, force: true });
  });
});
