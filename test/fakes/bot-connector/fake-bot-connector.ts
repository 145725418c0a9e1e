/**
 * A loopback Bot Framework connector (the service behind an activity's `serviceUrl`): records every
 * send, reply and update the bot makes, and can answer 429 / 5xx to exercise retries.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorCallKind = 'send' | 'reply' | 'update';

/** Activities are open-ended JSON; tests pick fields by name. */
export type JsonObject = Record<string, unknown>;

export interface ConnectorCall {
  kind: ConnectorCallKind;
  conversationId: string;
  /** replyToId for replies, the updated activity id for updates. */
  activityId?: string;
  /** HTTP status the fake answered with. */
  status: number;
  authorization?: string;
  activity: JsonObject;
  /** Id given to a stored activity (sends and replies that succeeded). */
  id?: string;
}

interface Failure {
  status: number;
  headers: Record<string, string>;
}

export class FakeBotConnector {
  /** Every request, failed ones included, in arrival order. */
  readonly calls: ConnectorCall[] = [];
  private readonly events = new EventEmitter();
  private readonly failures: Failure[] = [];
  private server?: Server;
  private nextId = 1;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The next `count` requests get `status` (e.g. 429 with `{ 'retry-after': '0' }`). */
  failNext(status: number, count = 1, headers: Record<string, string> = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, headers });
  }

  /** Successful calls only: what Teams would show. */
  delivered(kind?: ConnectorCallKind): ConnectorCall[] {
    return this.calls.filter((c) => c.status < 300 && (!kind || c.kind === kind));
  }

  /** Resolves with the first successful call (past or future) that matches. */
  async waitFor(match: (c: ConnectorCall) => boolean): Promise<ConnectorCall> {
    for (;;) {
      const found = this.delivered().find(match);
      if (found) return found;
      await once(this.events, 'call');
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0];
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!m || (req.method !== 'POST' && req.method !== 'PUT')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}');
      return;
    }
    const call: ConnectorCall = {
      kind: req.method === 'PUT' ? 'update' : m[2] ? 'reply' : 'send',
      conversationId: decodeURIComponent(m[1]),
      activityId: m[2] ? decodeURIComponent(m[2]) : undefined,
      status: 200,
      authorization: req.headers.authorization,
      activity: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as JsonObject,
    };
    const failure = this.failures.shift();
    if (failure) {
      call.status = failure.status;
      this.record(call);
      res
        .writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers })
        .end(JSON.stringify({ error: { code: 'Throttled', message: `fake ${failure.status}` } }));
      return;
    }
    call.id = call.kind === 'update' ? call.activityId : `activity-${this.nextId++}`;
    this.record(call);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: call.id }));
  }

  private record(call: ConnectorCall): void {
    this.calls.push(call);
    this.events.emit('call', call);
  }
}
