// SES's HTTP endpoints as AWS SDK clients call them: SES v2 `POST /v2/email/outbound-emails` (restJson1,
// what `@aws-sdk/client-sesv2` SendEmailCommand sends) and SES v1 `POST /` with `Action=SendEmail` or
// `Action=SendRawEmail` (query protocol, XML answers). `GET /_aws/ses` lists what was captured, as
// LocalStack's endpoint of that name does. Signatures are not checked.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/logger';
import type { CapturedEmail, Outbox } from './outbox';
import { fromSesV1, fromSesV2, SesRequestError, type EmailDraft, type EmailTemplate } from './requests';

const BODY_LIMIT_BYTES = 40 * 1024 * 1024;

/** What the server does with a request it understood. */
export interface SesHandlers {
  readonly outbox: Outbox;
  /** A stored template by name. */
  readonly template: (name: string) => EmailTemplate | undefined;
  /** Called for every captured email (logging, identity checks). */
  readonly captured: (email: CapturedEmail) => void;
  readonly logger: Logger;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) reject(new SesRequestError('MessageRejected', 'Message length is more than 40 MB.'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function xml(value: string): string {
  return value.replace(/[<>&'"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char] as string);
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function handle(handlers: SesHandlers, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(request.url ?? '/', 'http://sandbox');
  const method = request.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/_aws/ses') {
    send(response, 200, { 'content-type': 'application/json' }, JSON.stringify({ messages: handlers.outbox.list() }));
    return;
  }
  const v2 = url.pathname.startsWith('/v2/');
  try {
    const body = await readBody(request);
    let draft: EmailDraft;
    if (v2) {
      if (method !== 'POST' || url.pathname !== '/v2/email/outbound-emails') {
        throw new SesRequestError('NotFoundException', `The sandbox emulates SES v2 SendEmail only, not ${method} ${url.pathname}.`, 404);
      }
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        throw new SesRequestError('BadRequestException', 'The request body is not JSON.');
      }
      draft = fromSesV2(input, handlers.template);
    } else if (method === 'POST' && url.pathname === '/') {
      draft = fromSesV1(new URLSearchParams(body));
    } else throw new SesRequestError('NotFoundException', `Nothing at ${method} ${url.pathname}.`, 404);
    const email = handlers.outbox.capture(draft);
    handlers.captured(email);
    if (v2) send(response, 200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, JSON.stringify({ MessageId: email.messageId }));
    else {
      const action = draft.action;
      send(
        response,
        200,
        { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        `<${action}Response xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><${action}Result><MessageId>${xml(email.messageId)}</MessageId></${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    }
  } catch (error) {
    if (!(error instanceof SesRequestError)) throw error;
    handlers.logger.warn(`SES refused a request: ${error.code}: ${error.message}`);
    if (v2) send(response, error.status, { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': requestId }, JSON.stringify({ message: error.message }));
    else {
      send(
        response,
        error.status,
        { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${xml(error.code)}</Code><Message>${xml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  }
}

/** The SES endpoint's HTTP server. */
export class SesHttpServer {
  private constructor(
    private readonly server: Server,
    /** `http://host:port`. */
    readonly endpoint: string,
  ) {}

  /** Listens on host:port (0 picks a free port). */
  static async start(options: { handlers: SesHandlers; host: string; port: number }): Promise<SesHttpServer> {
    const server = createServer((request, response) => {
      void handle(options.handlers, request, response).catch((error: Error) => {
        options.handlers.logger.error(`SES request ${request.method ?? ''} ${request.url ?? ''} failed: ${error.message}`);
        if (!response.headersSent) send(response, 500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' }, JSON.stringify({ message: error.message }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return new SesHttpServer(server, `http://${host}:${port}`);
  }

  /** Stops accepting requests and closes idle connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
