import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../../core/logger';
import { authFlowProblem } from './auth-flows';
import { awsError, callOperation, errorType, type AwsJsonReply } from './aws-json';
import type { EmulatorStore } from './emulator-store';
import { SrpAuthenticator } from './srp-auth';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  readonly host: string;
  readonly port: number;
  /** cognito-local's URL. */
  readonly upstream: string;
  /** The gateway's own URL as clients reach it; pool issuers start with it. */
  readonly publicUrl: string;
  readonly store: EmulatorStore;
  readonly logger: Logger;
}

/** A listening gateway. */
export interface Gateway {
  stop(): Promise<void>;
}

/**
 * The Cognito endpoint clients talk to. It forwards every request to cognito-local except what
 * cognito-local lacks: USER_SRP_AUTH (the default flow of amazon-cognito-identity-js and Amplify),
 * enforcement of the client's `explicit_auth_flows`, Cognito's error for a wrong password, and an
 * OpenID discovery document that names this endpoint (cognito-local's always says localhost:9229).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const srp = new SrpAuthenticator(options.store, options.upstream);
  const upstream = new URL(options.upstream);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    const discovery = /^\/([\w-]+)\/\.well-known\/openid-configuration$/.exec(path);
    if (req.method === 'GET' && discovery) {
      const issuer = `${options.publicUrl}/${discovery[1]}`;
      return reply(res, 200, 'application/json', JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] }));
    }
    const target = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (req.method === 'POST' && (target === 'InitiateAuth' || target === 'AdminInitiateAuth' || target === 'RespondToAuthChallenge')) {
      const intercepted = await intercept(target, parseObject(body));
      if (intercepted) return reply(res, intercepted.status, 'application/x-amz-json-1.1', intercepted.body);
    }
    forward(req, body, res);
  };

  const intercept = async (target: string, request: Record<string, unknown> | undefined): Promise<AwsJsonReply | undefined> => {
    if (!request) return undefined;
    if (target === 'RespondToAuthChallenge') return request.ChallengeName === 'PASSWORD_VERIFIER' ? srp.respond(request) : undefined;
    const client = options.store.client(String(request.ClientId ?? ''));
    const problem = client && authFlowProblem(client.ExplicitAuthFlows, String(request.AuthFlow));
    if (problem) return awsError('InvalidParameterException', problem);
    if (target === 'InitiateAuth' && request.AuthFlow === 'USER_SRP_AUTH') return srp.initiate(request);
    if (request.AuthFlow === 'USER_PASSWORD_AUTH' || request.AuthFlow === 'ADMIN_USER_PASSWORD_AUTH') {
      // cognito-local answers a wrong password with InvalidPasswordException, which Cognito keeps for
      // passwords a policy refuses; apps check for NotAuthorizedException.
      const answer = await callOperation(options.upstream, target, request);
      return errorType(answer) === 'InvalidPasswordException' ? awsError('NotAuthorizedException', 'Incorrect username or password.') : answer;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const proxied = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', (error) => reply(res, 502, 'application/json', JSON.stringify({ message: `cognito-local is unreachable: ${error.message}` })));
    proxied.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      options.logger.error('gateway request failed', { error: error.message });
      if (!res.headersSent) reply(res, 500, 'application/json', JSON.stringify({ message: error.message }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  // Browser apps call Cognito cross-origin; cognito-local allows any origin, so the gateway's own answers do too.
  res.writeHead(status, { 'content-type': contentType, 'access-control-allow-origin': '*' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
