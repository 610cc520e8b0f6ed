import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { lambdaFunctionAttributes, readFunction, resolveHandler } from '../../../sandbox/services/lambda/function-config';

const root = mkdtempSync(join(tmpdir(), 'lambda-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A hand-written cdktf.out with one stack of the given functions, and an asset zip where cdktf puts it. */
function platform(functions: Record<string, Record<string, unknown>>): PlatformModel {
  const outdir = mkdtempSync(join(root, 'out-'));
  const stackDir = join(outdir, 'stacks', 'compute');
  mkdirSync(join(stackDir, 'assets', 'code', 'ABC'), { recursive: true });
  writeFileSync(join(stackDir, 'assets', 'code', 'ABC', 'archive.zip'), '');
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({ stacks: { compute: { name: 'compute', dependencies: [], synthesizedStackPath: 'stacks/compute/cdk.tf.json', workingDirectory: 'stacks/compute' } } }),
  );
  writeFileSync(
    join(stackDir, 'cdk.tf.json'),
    JSON.stringify({ provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['000000000000'] }] }, resource: { aws_lambda_function: functions } }),
  );
  const model = new PlatformModel(outdir);
  model.registerAttributes('aws_lambda_function', lambdaFunctionAttributes);
  return model;
}

const ZIP = { function_name: 'minimal', role: 'arn:aws:iam::000000000000:role/r', handler: 'index.handler', runtime: 'nodejs20.x', filename: 'assets/code/ABC/archive.zip' };

describe('readFunction', () => {
  it("applies Lambda's defaults and finds the zip from the stack's folder", () => {
    const model = platform({ minimal: ZIP });
    expect(readFunction(model, model.find('compute', 'aws_lambda_function', 'minimal'))).toEqual({
      name: 'minimal',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:minimal',
      resourceId: 'compute:aws_lambda_function.minimal',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      zipFile: join(model.outdir, 'stacks', 'compute', 'assets', 'code', 'ABC', 'archive.zip'),
      timeoutSeconds: 3,
      memoryMb: 128,
      environment: {},
      reservedConcurrency: undefined,
      logGroupName: '/aws/lambda/minimal',
      logFormat: 'Text',
      logLevel: undefined,
      tracing: 'PassThrough',
    });
  });

  it('resolves references in the environment', () => {
    const model = platform({
      minimal: ZIP,
      caller: { ...ZIP, function_name: 'caller', environment: { variables: { TARGET: '${aws_lambda_function.minimal.arn}', RETRIES: 3 } } },
    });
    const caller = model.find('compute', 'aws_lambda_function', 'caller');
    expect(readFunction(model, caller).environment).toEqual({ TARGET: 'arn:aws:lambda:us-east-1:000000000000:function:minimal', RETRIES: '3' });
  });

  it('names the function and what the sandbox cannot run', () => {
    const model = platform({
      python: { ...ZIP, function_name: 'python', runtime: 'python3.12' },
      s3: { ...ZIP, function_name: 's3', filename: undefined, s3_bucket: 'code', s3_key: 'fn.zip' },
      missing: { ...ZIP, function_name: 'missing', filename: 'assets/none/archive.zip' },
    });
    const problem = (name: string) => () => readFunction(model, model.find('compute', 'aws_lambda_function', name));
    expect(problem('python')).toThrow('Lambda function python (compute:aws_lambda_function.python): runtime "python3.12" is not supported; the sandbox runs nodejs runtimes');
    expect(problem('s3')).toThrow('Lambda function s3 (compute:aws_lambda_function.s3): the sandbox runs zip packages from `filename`');
    expect(problem('missing')).toThrow(`deployment package ${join(model.outdir, 'stacks', 'compute', 'assets', 'none', 'archive.zip')} does not exist`);
  });
});

describe('resolveHandler', () => {
  const taskRoot = join(root, 'task');
  mkdirSync(join(taskRoot, 'lib'), { recursive: true });
  writeFileSync(join(taskRoot, 'lib', 'app.cjs'), '');
  writeFileSync(join(taskRoot, 'index.mjs'), '');

  it('finds the module by extension and splits the export path', () => {
    expect(resolveHandler(taskRoot, 'lib/app.main')).toEqual({ file: join(taskRoot, 'lib', 'app.cjs'), exportPath: ['main'] });
    expect(resolveHandler(taskRoot, 'index.handlers.order')).toEqual({ file: join(taskRoot, 'index.mjs'), exportPath: ['handlers', 'order'] });
  });
});
