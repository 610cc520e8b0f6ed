import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CapabilityRegistry } from '../../../../sandbox/core/service';
import { PlatformModel } from '../../../../sandbox/model/platform-model';
import { createGraphqlEngine, registerAppSyncAttributes } from '../../../../sandbox/services/appsync/engine';
import { ENDPOINT, cognitoCaller, createFixture, writeFixture, type ResourcePatch } from './fixture';

function engineFor(patch: ResourcePatch) {
  const outdir = writeFixture({ patch });
  try {
    const model = new PlatformModel(outdir);
    registerAppSyncAttributes(model, ENDPOINT);
    return createGraphqlEngine({ model, registry: new CapabilityRegistry() });
  } finally {
    rmSync(dirname(outdir), { recursive: true, force: true });
  }
}

describe('starting the engine', () => {
  it('fails at start, naming the resolver, when its code does not load', () => {
    expect(() =>
      engineFor((resource) => {
        (resource.aws_appsync_resolver as Record<string, Record<string, unknown>>).whoami!.code = 'export function request( {';
      }),
    ).toThrow(/^Resolver Query\.whoami \(api:aws_appsync_resolver\.whoami\) cannot be loaded: Query\.whoami: the code is not valid JavaScript/);
  });

  it('fails at start on a resolver for a field the schema lacks, or a data source the API lacks', () => {
    expect(() =>
      engineFor((resource) => {
        resource.aws_appsync_resolver!.whoami!.field = 'whoAreYou';
      }),
    ).toThrow('Resolver Query.whoAreYou (api:aws_appsync_resolver.whoami): the schema of API fixture-api has no field Query.whoAreYou');
    expect(() =>
      engineFor((resource) => {
        resource.aws_appsync_resolver!.whoami!.data_source = 'elsewhere';
      }),
    ).toThrow("Resolver Query.whoami (api:aws_appsync_resolver.whoami) uses data source 'elsewhere', which API fixture-api does not have");
  });

  it('reports VTL resolvers and unprovided data source types as unsupported, and answers their fields with errors', async () => {
    const fixture = createFixture({
      withStore: false,
      patch: (resource) => {
        resource.aws_appsync_resolver!.unresolved = {
          api_id: '${aws_appsync_graphql_api.api.id}',
          type: 'Query',
          field: 'unresolved',
          data_source: '${aws_appsync_datasource.none.name}',
          request_template: '{"version": "2018-05-29", "payload": {}}',
          response_template: '$util.toJson($ctx.result)',
        };
      },
    });
    try {
      expect(fixture.engine.unsupported).toEqual([
        'Data source things (FAKE_STORE): no sandbox service provides it; resolvers that call it get a data source error',
        'Resolver Query.unresolved uses VTL mapping templates; the sandbox runs APPSYNC_JS resolvers only: Query.unresolved answers an error',
      ]);
      const alice = await cognitoCaller(fixture.engine, 'alice-sub');
      const response = await fixture.engine.execute({ query: '{ unresolved getThing(id: "1") { id } }' }, alice, {});
      expect(response.data).toEqual({ unresolved: null, getThing: null });
      expect(response.errors?.map(({ errorType, message }) => ({ errorType, message }))).toEqual([
        { errorType: 'UnsupportedOperation', message: 'Resolver Query.unresolved uses VTL mapping templates; the sandbox runs APPSYNC_JS resolvers only' },
        { errorType: 'UnsupportedDataSource', message: 'Data source things is of type FAKE_STORE, which the sandbox does not emulate' },
      ]);
    } finally {
      fixture.cleanup();
    }
  });

  it('reports Cognito as unsupported when no service verifies tokens', () => {
    const fixture = createFixture({ withVerifier: false });
    try {
      expect(fixture.engine.unsupported).toEqual(['Auth mode AMAZON_COGNITO_USER_POOLS: no sandbox service provides cognito.verifier; tokens are refused']);
    } finally {
      fixture.cleanup();
    }
  });

  it('needs to be told which API to serve when the platform has several', () => {
    expect(() =>
      engineFor((resource) => {
        resource.aws_appsync_graphql_api!.second = { ...resource.aws_appsync_graphql_api!.api, name: 'second-api' };
      }),
    ).toThrow('The platform has 2 AppSync APIs (api:aws_appsync_graphql_api.api, api:aws_appsync_graphql_api.second); name the one to serve');
  });
});
