import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

describe('NodeFunction with nodeModules', () => {
  const root = project();
  const outdir = join(root, 'cdktf.out');
  // Extracted inside the repository, as the sandbox extracts under .sandbox/data/lambda/: Node's lookup can fall back to ./node_modules.
  const extracted = resolve('.build', 'test', 'node-function-sharp');
  let doc: TerraformDocument;
  let files: string[];

  const SHARP_HANDLER = `import sharp from 'sharp';

export const handler = async () => {
  const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } }).png().toBuffer();
  const { info } = await sharp(png).resize({ width: 16 }).webp().toBuffer({ resolveWithObject: true });
  return { format: info.format, width: info.width, height: info.height };
};
`;

  const synth = (name: string, out: string): TerraformDocument => {
    const app = new App({ outdir: out });
    const stack = new TerraformStack(app, 'functions');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new NodeFunction(stack, 'thumbnailer', props(root, { name, entry: join(root, 'functions', 'thumbnailer', 'handler.ts'), nodeModules: ['sharp'] }));
    app.synth();
    return JSON.parse(readFileSync(join(out, 'stacks', 'functions', 'cdk.tf.json'), 'utf8')) as TerraformDocument;
  };

  beforeAll(() => {
    mkdirSync(join(root, 'functions', 'thumbnailer'), { recursive: true });
    writeFileSync(join(root, 'functions', 'thumbnailer', 'handler.ts'), SHARP_HANDLER);
    doc = synth('nf-test-sharp', outdir);
    rmSync(extracted, { recursive: true, force: true });
    files = extractZip(join(outdir, 'stacks', 'functions', onlyResource(doc, 'aws_lambda_function').filename as string), extracted);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(extracted, { recursive: true, force: true });
    for (const folder of ['functions', 'packages']) rmSync(join('.build', folder, 'nf-test-sharp'), { recursive: true, force: true });
  });

  it('ships the bundle with sharp installed for linux/arm64 beside it, and still runs on arm64', () => {
    const fn = onlyResource(doc, 'aws_lambda_function');
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'] });
    expect(fn.filename).toMatch(/^assets\/thumbnailer_code_[0-9A-F]+\/([0-9A-F]+)\/archive\.zip$/);
    expect(fn.filename).toContain(`/${fn.source_code_hash as string}/`);

    const packages = [...new Set(files.filter((file) => file.startsWith('node_modules/')).map((file) => file.split('/').slice(1, file.startsWith('node_modules/@') ? 3 : 2).join('/')))];
    expect(packages.sort()).toEqual(['@img/colour', '@img/sharp-libvips-linux-arm64', '@img/sharp-linux-arm64', 'detect-libc', 'semver', 'sharp']);
    expect(files.filter((file) => !file.startsWith('node_modules/')).sort()).toEqual(['index.js', 'index.js.map']);
    expect(files).toContain('node_modules/sharp/package.json');
    expect(files.some((file) => /^node_modules\/@img\/sharp-linux-arm64\/lib\/sharp-linux-arm64-[\d.]+\.node$/.test(file))).toBe(true);
    const installed = JSON.parse(readFileSync(join(extracted, 'node_modules', 'sharp', 'package.json'), 'utf8')) as { version: string };
    const locked = (JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version: string }> }).packages['node_modules/sharp'];
    expect(installed.version).toBe(locked?.version);
    const code = readFileSync(join(extracted, 'index.js'), 'utf8');
    expect(code).toContain('require("sharp")');
    expect(code).not.toContain('sharp-linux');
  });

  it('runs from a folder inside the repository on this x64 machine: the asset\'s sharp, the repository\'s x64 binary', () => {
    // On a linux/arm64 machine the asset's own binary is found first; anywhere else the lookup falls back to the repository's.
    const host = `sharp-${process.platform}-${process.arch}`;
    const binaries = host === 'sharp-linux-arm64' ? join(extracted, 'node_modules', '@img', host) : resolve('node_modules', '@img', host);
    const script = [
      "const { createRequire } = require('node:module');",
      "const { handler } = require('./index.js');",
      "const sharp = createRequire(require.resolve('./index.js')).resolve('sharp');",
      // The native addon Node really loaded, wherever it came from.
      "const addons = () => Object.keys(require.cache).filter((file) => file.endsWith('.node'));",
      'handler().then((result) => console.log(JSON.stringify({ result, sharp, addons: addons() })));',
    ].join('\n');
    const output = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: extracted, encoding: 'utf8' })) as { result: unknown; sharp: string; addons: string[] };
    expect(output.result).toEqual({ format: 'webp', width: 16, height: 8 });
    expect(output.sharp).toBe(join(extracted, 'node_modules', 'sharp', 'dist', 'index.cjs'));
    expect(output.addons).toHaveLength(1);
    expect(output.addons[0]).toMatch(new RegExp(`^${binaries}/lib/${host}-[\\d.]+\\.node$`));
  });

  it('makes the same zip, and the same source hash, from the same code', () => {
    const again = synth('nf-test-sharp', join(root, 'again-out'));
    expect(onlyResource(again, 'aws_lambda_function').source_code_hash).toBe(onlyResource(doc, 'aws_lambda_function').source_code_hash);
  });

  it('names every package that is not a dependency in package.json (a devDependency is not shipped either)', () => {
    const stack = new TerraformStack(new App({ outdir: join(root, 'bad-out') }), 'bad');
    expect(() => new NodeFunction(stack, 'bad', props(root, { name: 'nf-test-unknown', nodeModules: ['sharp', 'left-pad', 'esbuild'] }))).toThrow(
      [
        'NodeFunction bad:',
        '- nodeModules: "left-pad" is not a dependency in package.json',
        '- nodeModules: "esbuild" is not a dependency in package.json',
      ].join('\n'),
    );
  });
});
