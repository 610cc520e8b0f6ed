import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContext } from '../../../runtime/appsync';
import { httpDataSource } from '../../../sandbox/services/http/http-data-source';

let server: Server;
let endpoint: string;
const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      response.writeHead(request.url?.startsWith('/missing') ? 404 : 201, { 'content-type': 'application/json', 'x-trace': 'abc' });
      response.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ctx = createContext();

describe('HTTP data source', () => {
  it('sends the method, path, query, headers and JSON body, and answers statusCode, headers and body text', async () => {
    const handler = httpDataSource({ name: 'partner', type: 'HTTP', config: { http_config: { endpoint } } });
    const answer = await handler({ method: 'POST', resourcePath: '/v1/quotes', params: { query: { currency: 'EUR' }, headers: { 'content-type': 'application/json' }, body: { sku: 'MUG-01' } } }, ctx);
    expect(answer).toEqual({ result: { statusCode: 201, headers: expect.objectContaining({ 'x-trace': 'abc' }), body: '{"ok":true}' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/quotes?currency=EUR', body: '{"sku":"MUG-01"}' });
  });

  it('passes a 404 on as a result, as AppSync does, for the response handler to judge', async () => {
    const handler = httpDataSource({ name: 'partner', type: 'HTTP', config: { http_config: { endpoint } } });
    expect(await handler({ method: 'GET', resourcePath: '/missing' }, ctx)).toMatchObject({ result: { statusCode: 404 } });
  });

  it('reports a refused connection and a malformed request as data source errors', async () => {
    const closed = httpDataSource({ name: 'gone', type: 'HTTP', config: { http_config: { endpoint: 'http://127.0.0.1:9' } } });
    expect(await closed({ method: 'GET', resourcePath: '/' }, ctx)).toMatchObject({ error: { type: 'HTTP:ConnectionError' } });
    const handler = httpDataSource({ name: 'partner', type: 'HTTP', config: { http_config: { endpoint } } });
    expect(await handler({ method: 'FETCH', resourcePath: '/' }, ctx)).toMatchObject({ error: { type: 'MappingTemplate', message: expect.stringContaining('method must be one of') } });
    expect(await handler({ method: 'GET', resourcePath: 'relative' }, ctx)).toEqual({ error: { message: 'resourcePath must start with /', type: 'MappingTemplate' } });
  });
});
