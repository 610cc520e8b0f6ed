import WebSocket from 'ws';

/** A message the server sent, parsed. */
export interface Received {
  type: string;
  id?: string;
  payload?: Record<string, unknown> & { errors?: Record<string, unknown>[] };
}

/** A raw WebSocket client that queues what the server sends, so tests read messages in order. */
export class RawClient {
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly queue: Received[] = [];
  private readonly waiters: ((message: Received) => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Received;
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a connection; rejects with the server's HTTP status when the upgrade is refused. */
  static open(url: string, protocols: string[], options: WebSocket.ClientOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, options);
      socket.once('open', () => resolve(new RawClient(socket)));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The next message, failing after `timeoutMs`. */
  next(timeoutMs = 2000): Promise<Received> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`No message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (message: Received): void => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiters.push(waiter);
    });
  }

  /** The next message that is not a keep-alive. */
  async nextNotKa(timeoutMs = 2000): Promise<Received> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message.type !== 'ka') return message;
    }
  }

  close(): Promise<unknown> {
    this.socket.close();
    return this.closed;
  }
}

/** `header-<base64url(JSON)>`, the subprotocol current Amplify clients authorize with. */
export function headerProtocol(headers: Record<string, string>): string {
  return `header-${Buffer.from(JSON.stringify(headers)).toString('base64url')}`;
}

/** `?header=<base64(JSON)>&payload=e30=`, the query form older clients use. */
export function headerQuery(headers: Record<string, string>, payload: string | null = 'e30='): string {
  const header = encodeURIComponent(Buffer.from(JSON.stringify(headers)).toString('base64'));
  return payload === null ? `?header=${header}` : `?header=${header}&payload=${encodeURIComponent(payload)}`;
}
