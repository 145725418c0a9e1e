/**
 * Loopback fake of the Slack Web API and of `response_url` endpoints. It records every call, answers
 * like Slack (ok/error JSON, 429 with Retry-After) and lets a test await a call instead of sleeping.
 * It also plays Slack's side of Socket Mode: `apps.connections.open` hands out a `ws://` URL on the same
 * server, a new connection gets `{"type":"hello"}`, and `deliver` sends an envelope and resolves with
 * the client's acknowledgement (`{"envelope_id", "payload"}`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { type WebSocket, WebSocketServer } from 'ws';

export interface RecordedCall {
  /** Web API method (`chat.postMessage`) or `response_url`. */
  method: string;
  body: Record<string, unknown>;
  /** Bearer token sent, for asserting the right token is used. */
  token?: string;
  /** For `response_url` calls: the id in `/response/<id>`; for `upload` calls the file id. */
  responseId?: string;
  /** For `upload` calls (the upload URL of files.getUploadURLExternal): the file's bytes. */
  bytes?: Buffer;
  /** For `chat.postMessage`: the ts the fake gave the new message (what later updates name). */
  ts?: string;
}

/** A scripted answer for the next call of a method. */
export interface ScriptedAnswer {
  status?: number;
  retryAfterSec?: number;
  /** Slack error code, answered as `{ ok: false, error }` with HTTP 200. */
  error?: string;
}

type Waiter = { match: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void };

/** A Socket Mode acknowledgement as the client sends it. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

const SOCKET_PATH = '/link';

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** usergroup id → member user ids, for `usergroups.users.list`. */
  groups: Record<string, string[]> = {};
  private readonly scripted = new Map<string, ScriptedAnswer[]>();
  private readonly waiters: Waiter[] = [];
  private server?: Server;
  private base = '';
  private seq = 100;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket?: WebSocket;
  private socketWaiters: Array<(ws: WebSocket) => void> = [];
  private readonly acks = new Map<string, (ack: SocketAck) => void>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => res.writeHead(status, headers).end(body));
    });
    this.server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').split('?')[0] !== SOCKET_PATH) return socket.destroy();
      this.sockets.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const ws of this.sockets.clients) ws.terminate();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Sends a Socket Mode envelope (`slash_commands`, `interactive`, `events_api`); resolves with its ack. */
  async deliver(type: string, payload: Record<string, unknown>): Promise<SocketAck> {
    const ws = this.socket ?? (await new Promise<WebSocket>((r) => this.socketWaiters.push(r)));
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve) => this.acks.set(envelopeId, resolve));
    ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: false }));
    return acked;
  }

  /** Resolves once the client has closed its Socket Mode connection (the close handshake is done). */
  async socketClosed(): Promise<void> {
    const ws = this.socket;
    if (ws && ws.readyState !== ws.CLOSED) await new Promise((r) => ws.once('close', r));
  }

  private connected(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(data.toString()) as SocketAck;
      this.acks.get(ack.envelope_id)?.(ack);
      this.acks.delete(ack.envelope_id);
    });
    ws.on('close', () => {
      if (this.socket === ws) this.socket = undefined;
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
    for (const w of this.socketWaiters.splice(0)) w(ws);
  }

  /** Web API base for `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  answerNext(method: string, answer: ScriptedAnswer): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), answer]);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first recorded (or future) call that matches. */
  waitFor(method: string, match: (c: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
    const m = (c: RecordedCall) => c.method === method && match(c);
    const seen = this.calls.find(m);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match: m, resolve }));
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.match(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const rawBytes = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    const upload = /^\/upload\/([^/]+)$/.exec(path);
    if (upload) return this.received(upload[1], rawBytes, req.headers['content-type']);
    const raw = rawBytes.toString('utf8');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const response = /^\/response\/([^/]+)$/.exec(path);
    const method = response ? 'response_url' : path.replace(/^\/api\//, '');
    const body = parseBody(raw, req.headers['content-type']);
    if (typeof body.token === 'string') delete body.token;
    const scripted = this.scripted.get(method)?.shift();
    if (scripted?.status && scripted.status !== 200) {
      // Rejected calls are recorded too, so tests can count attempts.
      this.record({ method, body, token, responseId: response?.[1] });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (scripted.retryAfterSec !== undefined) headers['retry-after'] = String(scripted.retryAfterSec);
      return { status: scripted.status, headers, body: JSON.stringify({ ok: false, error: 'ratelimited' }) };
    }
    const json = (o: object) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(o),
    });
    const call: RecordedCall = { method, body, token, responseId: response?.[1] };
    if (scripted?.error || response) {
      this.record(call);
      return json(scripted?.error ? { ok: false, error: scripted.error } : { ok: true });
    }
    const answer = this.answer(method, body);
    if (method === 'chat.postMessage') call.ts = (answer as { ts?: string }).ts;
    this.record(call);
    return json(answer);
  }

  /** The upload URL: WebClient posts the file as multipart field `body` (Slack also takes raw bytes). */
  private async received(fileId: string, raw: Buffer, contentType = '') {
    let bytes = raw;
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': contentType },
      }).formData();
      const part = form.get('body') ?? form.get('file');
      bytes = part instanceof Blob ? Buffer.from(await part.arrayBuffer()) : Buffer.from(String(part ?? ''));
    }
    this.record({ method: 'upload', body: {}, responseId: fileId, bytes });
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: `OK - ${bytes.length}` };
  }

  private answer(method: string, body: Record<string, unknown>): object {
    switch (method) {
      case 'files.getUploadURLExternal': {
        const id = `F${String(this.seq++).padStart(8, '0')}`;
        if (!body.filename || !Number(body.length)) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (body.files ?? []) as { id: string; title?: string }[];
        const missing = files.find((f) => !this.callsOf('upload').some((c) => c.responseId === f.id));
        if (missing) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          files: files.map((f) => ({ id: f.id, title: f.title ?? '', mimetype: 'image/png' })),
        };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${this.base.replace(/^http/, 'ws')}${SOCKET_PATH}` };
      case 'auth.test':
        return { ok: true, team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT', team: 'test', user: 'dpbot' };
      case 'chat.postMessage':
        return { ok: true, channel: body.channel, ts: `1700000000.${String(this.seq++).padStart(6, '0')}` };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(this.seq++).padStart(6, '0')}` };
      case 'usergroups.users.list': {
        const users = this.groups[String(body.usergroup)];
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** WebClient sends form-encoded bodies with nested values as JSON strings; response_url gets JSON. */
function parseBody(raw: string, contentType = ''): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) {
    const s = Array.isArray(v) ? v[0] : (v ?? '');
    out[k] = /^[[{]/.test(s) ? JSON.parse(s) : s;
  }
  return out;
}
