import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { GraphqlApi } from '../../../stacks/constructs/graphql-api';

const RESOLVER = `import { util } from '@aws-appsync/utils';
export function request(ctx) { return { payload: { table: '__ENV_TABLE__', at: \`\${util.time.nowISO8601()}\` } }; }
export function response(ctx) { return ctx.result; }
`;

/** A throwaway project: a schema and a resolvers folder made by the test. */
function project(schema: string, files: Record<string, string>): { schemaFile: string; resolversDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'graphql-api-'));
  const resolversDir = join(root, 'resolvers');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(resolversDir, name, '..'), { recursive: true });
    writeFileSync(join(resolversDir, name), content);
  }
  writeFileSync(join(root, 'schema.graphql'), schema);
  return { schemaFile: join(root, 'schema.graphql'), resolversDir };
}

function api(paths: { schemaFile: string; resolversDir: string }, environment: Record<string, string> = { TABLE: 'orders' }) {
  const stack = new TerraformStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'out-')) }), 'test');
  const graphql = new GraphqlApi(stack, 'graphql', {
    name: 'test-api',
    ...paths,
    userPoolId: 'pool',
    region: 'us-east-1',
    accountId: '000000000000',
    security: { kmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/k', logRetentionDays: 7, deletionProtection: false },
    resolverEnvironment: environment,
  });
  return { stack, graphql };
}

const SCHEMA = 'type Query { hello: String, other: String }';

describe('GraphqlApi', () => {
  it('refuses a resolver for a field the schema lacks', () => {
    const { graphql } = api(project(SCHEMA, { 'Query.missing.ts': RESOLVER }));
    expect(() => graphql.addUnitResolver({ field: 'Query.missing', dataSource: graphql.addNoneDataSource('none') })).toThrow(
      'Resolver for Query.missing: the schema has no field Query.missing',
    );
  });

  it('fails validation while a root field has no resolver', () => {
    const { graphql } = api(project(SCHEMA, { 'Query.hello.ts': RESOLVER }));
    graphql.addUnitResolver({ field: 'Query.hello', dataSource: graphql.addNoneDataSource('none') });
    expect(graphql.node.validate()).toEqual(['Query.other has no resolver; AppSync would answer it with null']);
  });

  it('names the missing resolver file and a missing environment value', () => {
    const paths = project(SCHEMA, { 'Query.hello.ts': RESOLVER });
    const { graphql } = api(paths);
    expect(() => graphql.addUnitResolver({ field: 'Query.other', dataSource: graphql.addNoneDataSource('none') })).toThrow(
      `Resolver for Query.other: ${join(paths.resolversDir, 'Query.other.ts')} does not exist`,
    );
    const bare = api(paths, {}).graphql;
    expect(() => bare.addUnitResolver({ field: 'Query.hello', dataSource: bare.addNoneDataSource('none') })).toThrow(
      'no value for resolver environment TABLE; pass it in the API\'s resolverEnvironment',
    );
  });

  it('bundles a unit resolver, fills in the environment and escapes template literals for Terraform', () => {
    const { graphql } = api(project(SCHEMA, { 'Query.hello.ts': RESOLVER }));
    const resolver = graphql.addUnitResolver({ field: 'Query.hello', dataSource: graphql.addNoneDataSource('none') });
    const code = resolver.codeInput as string;
    expect(code).toContain('table: "orders"');
    expect(code).toContain('`$${util.time.nowISO8601()}`');
  });

  it('orders pipeline functions by their number and checks their file names', () => {
    const paths = project(SCHEMA, {
      'Query.hello/index.ts': RESOLVER,
      'Query.hello/2-second.ts': RESOLVER,
      'Query.hello/1-first.ts': RESOLVER,
      'Query.other/index.ts': RESOLVER,
      'Query.other/first.ts': RESOLVER,
    });
    const { graphql } = api(paths);
    const none = graphql.addNoneDataSource('none');
    const pipeline = graphql.addPipelineResolver({ field: 'Query.hello', dataSource: none });
    expect(pipeline.kindInput).toBe('PIPELINE');
    const names = graphql.node.children.filter((child) => child.node.id.startsWith('function-')).map((child) => child.node.id);
    expect(names).toEqual(['function-Query.hello-first', 'function-Query.hello-second']);
    expect(() => graphql.addPipelineResolver({ field: 'Query.other', dataSource: none })).toThrow(
      'Pipeline Query.other: function files must be named <number>-<name>.ts, not first.ts',
    );
  });

  it('rejects a schema graphql-js cannot parse, with the line in schema.graphql', () => {
    expect(() => api(project('type Query { hello: Strin }', {}))).toThrow('schema.graphql is not a valid AppSync schema: Unknown type "Strin".');
  });
});
