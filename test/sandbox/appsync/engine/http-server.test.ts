import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Sandbox, freePort } from '../../../../sandbox/core/sandbox';
import type { SandboxService } from '../../../../sandbox/core/service';
import { PlatformModel } from '../../../../sandbox/model/platform-model';
import { ensureCertificate } from '../../../../sandbox/services/appsync/certificate';
import type { GraphqlEngine } from '../../../../sandbox/services/appsync/contracts';
import { dataSourceCapability } from '../../../../sandbox/services/appsync/data-source';
import { apiKeyValue } from '../../../../sandbox/services/appsync/engine';
import { AppSyncHttpServer } from '../../../../sandbox/services/appsync/http-server';
import { APPSYNC_ENGINE, APPSYNC_SERVERS, appSyncService, type AppSyncServers } from '../../../../sandbox/services/appsync/service';
import { FakeStore, REGION, fakeVerifier, token, writeFixture } from './fixture';
import { signedHeaders } from './sign';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => unknown;
}

/** One request over https (trusting only the sandbox CA) or http. */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: options.method ?? 'POST', headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers }, ...(options.ca ? { ca: options.ca } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json: () => JSON.parse(body) });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const fakes = (store: FakeStore): SandboxService => ({
  name: 'fakes',
  runs: [],
  start: async (context) => {
    context.registry.provide(dataSourceCapability('FAKE_STORE'), store.factory);
    context.registry.provide('cognito.verifier', fakeVerifier);
  },
  stop: async () => undefined,
});

describe('the AppSync service over HTTPS and HTTP', () => {
  let outdir: string;
  let certDir: string;
  let sandbox: Sandbox;
  let servers: AppSyncServers;
  let ca: string;
  let httpsPort: number;
  let httpPort: number;
  let apiKey: string;
  const logs: string[] = [];

  beforeAll(async () => {
    outdir = writeFixture();
    certDir = mkdtempSync(join(tmpdir(), 'appsync-certs-'));
    httpsPort = await freePort('127.0.0.1');
    httpPort = await freePort('127.0.0.1');
    const model = new PlatformModel(outdir);
    sandbox = new Sandbox({
      model,
      services: [fakes(new FakeStore()), appSyncService({ httpsPort, httpPort, after: ['fakes'], certDir })],
      sink: (line) => logs.push(`${line.level} ${line.message}`),
    });
    await sandbox.start();
    servers = sandbox.registry.require<AppSyncServers>(APPSYNC_SERVERS);
    ca = readFileSync(servers.caCertPath, 'utf8');
    apiKey = apiKeyValue(model.resources('aws_appsync_api_key')[0]!);
  });

  afterAll(async () => {
    await sandbox.stop();
    rmSync(dirname(outdir), { recursive: true, force: true });
    rmSync(certDir, { recursive: true, force: true });
  });

  it('publishes the engine and servers, resolves the API uris to them and describes them', () => {
    expect(sandbox.registry.require<GraphqlEngine>(APPSYNC_ENGINE)).toBeDefined();
    expect(servers).toMatchObject({
      graphqlUrl: `https://127.0.0.1:${httpsPort}/graphql`,
      httpUrl: `http://127.0.0.1:${httpPort}/graphql`,
      realtimeUrl: `wss://127.0.0.1:${httpsPort}/graphql/realtime`,
      caCertPath: join(certDir, 'ca.pem'),
    });
    const lines = sandbox.describe();
    expect(lines[0]).toMatch(/^AppSync API fixture-api \([a-z2-7]{26}\)$/);
    expect(lines).toContain(`  GraphQL:   https://127.0.0.1:${httpsPort}/graphql  (plain HTTP: http://127.0.0.1:${httpPort}/graphql)`);
    expect(lines).toContain(`  TLS:       trust the local CA with NODE_EXTRA_CA_CERTS=${join(certDir, 'ca.pem')}`);
    expect(sandbox.coverage().filter((line) => line.type.startsWith('aws_appsync'))).toEqual([
      { type: 'aws_appsync_api_key', count: 2, status: 'runs', detail: 'appsync' },
      { type: 'aws_appsync_datasource', count: 2, status: 'runs', detail: 'appsync' },
      { type: 'aws_appsync_function', count: 2, status: 'runs', detail: 'appsync' },
      { type: 'aws_appsync_graphql_api', count: 1, status: 'runs', detail: 'appsync' },
      { type: 'aws_appsync_resolver', count: 10, status: 'runs', detail: 'appsync' },
    ]);
  });

  it('answers a Cognito caller over HTTPS, trusting only the generated CA', async () => {
    const answer = await call(servers.graphqlUrl, { headers: { authorization: token({ sub: 'alice-sub' }) }, body: JSON.stringify({ query: '{ whoami }' }), ca });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ data: { whoami: 'User Pool Authorization:alice-sub' } });
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    await expect(call(servers.graphqlUrl, { body: '{"query":"{ whoami }"}' })).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });

  it('answers 401 UnauthorizedException without credentials', async () => {
    const answer = await call(servers.graphqlUrl, { body: JSON.stringify({ query: '{ whoami }' }), ca });
    expect(answer.status).toBe(401);
    expect(answer.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    expect(answer.json()).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
  });

  it('accepts a SigV4-signed mutation and refuses a tampered one with 403', async () => {
    const body = JSON.stringify({ query: 'mutation { renameThing(id: "none", name: "x") { id } } ' });
    const host = `127.0.0.1:${httpsPort}`;
    const signed = await call(servers.graphqlUrl, { headers: await signedHeaders({ body, region: REGION, host }), body, ca });
    expect([signed.status, signed.json()]).toEqual([200, { data: { renameThing: null } }]);
    const who = JSON.stringify({ query: '{ whoami }' });
    const iam = await call(servers.graphqlUrl, { headers: await signedHeaders({ body: who, region: REGION, host }), body: who, ca });
    expect(iam.json()).toEqual({ data: { whoami: 'IAM Authorization:AIDASANDBOXLOCALUSER' } });
    const tampered = await call(servers.graphqlUrl, { headers: await signedHeaders({ body, region: REGION, host }), body: body.replace('none', 'nine'), ca });
    expect(tampered.status).toBe(403);
    expect(tampered.json()).toEqual({
      errors: [
        {
          errorType: 'InvalidSignatureException',
          message:
            'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        },
      ],
    });
  });

  it('serves plain HTTP for curl, with an API key and application/graphql bodies', async () => {
    const answer = await call(servers.httpUrl, { headers: { 'x-api-key': apiKey, 'content-type': 'application/graphql' }, body: '{ "query": "{ whoami }" }' });
    expect(answer.json()).toEqual({ data: { whoami: 'API Key Authorization:anonymous' } });
  });

  it('takes GET queries from the query string', async () => {
    const url = `${servers.httpUrl}?query=${encodeURIComponent('query Q($e: AWSEmail) { echo(email: $e) }')}&variables=${encodeURIComponent('{"e":"a@b.example"}')}`;
    const answer = await call(url, { method: 'GET', headers: { 'x-api-key': apiKey } });
    expect([answer.status, answer.json()]).toEqual([200, { data: { echo: '{"email":"a@b.example"}' } }]);
  });

  it('answers CORS preflights for the browser console', async () => {
    const answer = await call(servers.graphqlUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }, ca });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(String(answer.headers['access-control-allow-headers']).split(', ')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-user-agent', 'x-api-key']),
    );
  });

  it("answers unreadable bodies with AppSync's 400s and other methods with 405", async () => {
    const empty = await call(servers.httpUrl, { headers: { 'x-api-key': apiKey }, body: '' });
    expect([empty.status, empty.json()]).toEqual([400, { errors: [{ message: 'Request body is empty.', errorType: 'MalformedHttpRequestException' }] }]);
    for (const body of ['meow', '{}', '[]']) {
      const answer = await call(servers.httpUrl, { headers: { 'x-api-key': apiKey }, body });
      expect([answer.status, answer.json()]).toEqual([400, { errors: [{ message: 'Unable to parse GraphQL query.', errorType: 'MalformedHttpRequestException' }] }]);
    }
    expect((await call(servers.httpUrl, { method: 'PUT', body: '{}' })).status).toBe(405);
    expect((await call(`http://127.0.0.1:${httpPort}/nothing`, { method: 'GET' })).status).toBe(404);
  });

  it('serves static files under a prefix, and nothing outside the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<h1>console</h1>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    try {
      servers.server.addStaticRoute('/console', dir);
      const index = await call(`https://127.0.0.1:${httpsPort}/console/`, { method: 'GET', ca });
      expect([index.status, index.headers['content-type'], index.body]).toEqual([200, 'text/html; charset=utf-8', '<h1>console</h1>']);
      expect((await call(`http://127.0.0.1:${httpPort}/console/assets/app.js`, { method: 'GET' })).headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect((await call(`http://127.0.0.1:${httpPort}/console/%2e%2e/%2e%2e/etc/passwd`, { method: 'GET' })).status).toBe(404);
      expect(() => servers.server.addStaticRoute('/graphql', dir)).toThrow('Static route /graphql would shadow the GraphQL endpoint');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AppSyncHttpServer', () => {
  const engine: GraphqlEngine = {
    authenticate: async () => ({ mode: 'API_KEY', identity: null, sourceIp: '127.0.0.1' }),
    execute: async () => ({ data: { ok: true } }),
    subscribe: async () => ({ errors: [] }),
    onMutation: () => () => undefined,
  };

  it('refuses bodies over the limit with 413', async () => {
    const certificateDir = mkdtempSync(join(tmpdir(), 'appsync-certs-'));
    const tls = await ensureCertificate({ dir: certificateDir });
    const server = await AppSyncHttpServer.start({ engine, host: '127.0.0.1', httpsPort: 0, httpPort: 0, tls, bodyLimitBytes: 64 });
    try {
      const answer = await call(`http://127.0.0.1:${server.httpPort}/graphql`, { body: JSON.stringify({ query: `{ ${'a '.repeat(100)}}` }) });
      expect([answer.status, answer.json()]).toEqual([413, { errors: [{ message: 'Request body is larger than 64 bytes.', errorType: 'PayloadTooLargeException' }] }]);
      expect((await call(`http://127.0.0.1:${server.httpPort}/graphql`, { body: '{"query":"{ ok }"}' })).json()).toEqual({ data: { ok: true } });
    } finally {
      await server.close();
      await server.close();
      rmSync(certificateDir, { recursive: true, force: true });
    }
  });

  it('fails clearly when a port is taken', async () => {
    const certificateDir = mkdtempSync(join(tmpdir(), 'appsync-certs-'));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const tls = await ensureCertificate({ dir: certificateDir });
      await expect(AppSyncHttpServer.start({ engine, host: '127.0.0.1', httpsPort: taken, httpPort: 0, tls })).rejects.toThrow(
        `Port ${taken} on 127.0.0.1 is in use; give the AppSync service another httpsPort (appSyncService({ httpsPort: ... }))`,
      );
    } finally {
      blocker.close();
      rmSync(certificateDir, { recursive: true, force: true });
    }
  });
});

describe('ensureCertificate', () => {
  it('generates a CA and a server certificate once, and reuses them while they cover the hosts and are not expiring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appsync-certs-'));
    try {
      const first = await ensureCertificate({ dir });
      expect(first).toMatchObject({ generated: true, caCertPath: join(dir, 'ca.pem'), hosts: ['localhost', '127.0.0.1', '::1'] });
      const again = await ensureCertificate({ dir });
      expect([again.generated, again.cert]).toEqual([false, first.cert]);
      expect((await ensureCertificate({ dir, hosts: ['localhost', 'sandbox.test'] })).generated).toBe(true);
      const nearExpiry = () => new Date(Date.now() + 360 * 24 * 60 * 60 * 1000);
      expect((await ensureCertificate({ dir, hosts: ['localhost', 'sandbox.test'], now: nearExpiry })).generated).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
