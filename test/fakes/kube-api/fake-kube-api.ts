/**
 * A fake Kubernetes API over HTTPS on 127.0.0.1 serving many clusters by path prefix
 * (`/clusters/<name>/...`, like Arc/Rancher proxies), with bearer-token auth, faults, latency and a
 * request log. Custom objects are validated against the real CRDs. Like kube-apiserver (Go's net/http),
 * it offers HTTP/2 by ALPN and HTTP/1.1 to clients that do not ask for h2 (`http1Only` turns h2 off,
 * as some proxies in front of an API server do).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import { stringify as toYaml } from 'yaml';
import { CrdCatalog } from './crd-catalog.js';
import { FakeCluster } from './fake-cluster.js';
import { handleResourceRequest } from './resource-handler.js';
import { ResourceRegistry } from './resource-types.js';
import { StatusError, statusBody } from './status-body.js';
import { fakeTls } from './tls.js';

export interface FakeKubeApiOptions {
  /** Delay before every response. @defaultValue 0 */
  latencyMs?: number;
  /** Keep a log of every request. @defaultValue true */
  logRequests?: boolean;
  /**
   * Serialize each stored object once and build list bodies from those strings (the bench: one
   * process stands in for thousands of API servers, and the fleet's clusters share template objects,
   * so its CPU should be TLS and HTTP, not JSON). Only for stores whose objects are replaced, never
   * changed in place, after they are stored. @defaultValue false
   */
  shareObjectJson?: boolean;
  /** Serve HTTP/1.1 only (no h2 in ALPN). @defaultValue false */
  http1Only?: boolean;
}

export interface Fault {
  cluster?: string;
  method?: string;
  /** Matches the path inside the cluster, e.g. `/apis/velero.io/v1/namespaces/velero/backups`. */
  pathPrefix?: string;
  pathRegex?: RegExp;
  status: 403 | 404 | 409 | 500 | 503;
  /** How many requests it affects. @defaultValue forever */
  times?: number;
  message?: string;
}

export interface RequestLogEntry {
  cluster: string;
  method: string;
  /** Path inside the cluster, without the query. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** A create carried a `status` field. */
  statusSent?: boolean;
  /** `metadata.name` of a POST body (a cluster-scoped create's path does not name the object). */
  bodyName?: string;
}

export interface KubeconfigOptions {
  /** Contexts that point at a closed port. */
  unreachable?: string[];
  /** Token in the kubeconfig. @defaultValue the server's token */
  token?: string;
}

const PREFIX = /^\/clusters\/([a-z0-9-]+)(\/.*)?$/;

export class FakeKubeApi {
  readonly requests: RequestLogEntry[] = [];
  /**
   * Requests so far by `METHOD path` (namespaces folded to `namespaces/*`, ` rv=0` appended to lists
   * asking for the watch cache); counted even with `logRequests: false`.
   */
  readonly requestCounts = new Map<string, number>();
  /** TLS connections open now. */
  get openConnections(): number {
    return this.sockets.size;
  }
  /** TLS connections accepted so far (shows whether clients reuse connections). */
  tlsConnections = 0;
  /** Most requests answered at once so far (reset by `clearRequests`): shows requests in parallel. */
  maxInFlight = 0;
  private inFlight = 0;
  /** Requests so far by protocol version (`2.0`, `1.1`). */
  readonly httpVersions = new Map<string, number>();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly sockets = new Set<TLSSocket>();
  /** JSON of each stored object, with `shareObjectJson`: shared by every cluster that adopted it. */
  private readonly objectJson = new WeakMap<object, string>();
  private readonly clusters = new Map<string, FakeCluster>();
  private faults: Fault[] = [];
  private readonly catalog = CrdCatalog.load();
  private readonly registry = new ResourceRegistry(this.catalog);

  private constructor(
    private readonly server: Server | Http2SecureServer,
    readonly port: number,
    readonly caCert: string,
    readonly token: string,
    private readonly closedPort: number,
    private readonly options: FakeKubeApiOptions,
  ) {
    server.on('secureConnection', (socket: TLSSocket) => {
      this.tlsConnections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    // The same handler for both protocols (http2's compatibility API has https's request and response).
    server.on(
      'request',
      (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
        this.httpVersions.set(req.httpVersion, (this.httpVersions.get(req.httpVersion) ?? 0) + 1);
        this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
        void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, req).then((r) => {
          this.inFlight--;
          if (('stream' in res ? res.stream.destroyed : res.destroyed) || res.writableEnded) return;
          res.writeHead(r.status, { 'content-type': r.contentType });
          res.end(r.body);
        });
      },
    );
  }

  static async start(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    const tls = await fakeTls();
    const server = options.http1Only
      ? createServer({ key: tls.key, cert: tls.cert })
      : createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const closedPort = await findClosedPort();
    const token = randomBytes(16).toString('hex');
    return new FakeKubeApi(
      server,
      (server.address() as AddressInfo).port,
      tls.caCert,
      token,
      closedPort,
      options,
    );
  }

  /** Base URL of `/clusters/<name>`. */
  clusterUrl(name: string): string {
    return `https://127.0.0.1:${this.port}/clusters/${name}`;
  }

  /** The cluster's store and controls; created (with every CRD installed) on first use. */
  cluster(name: string): FakeCluster {
    let c = this.clusters.get(name);
    if (!c) {
      c = new FakeCluster(name, this.registry, this.catalog);
      this.clusters.set(name, c);
    }
    return c;
  }

  setFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Sends GOAWAY on every open HTTP/2 connection, as an API server does when it sheds connections. */
  goAway(): void {
    for (const s of this.sessions) s.goaway();
  }

  clearRequests(): void {
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  /** One context per cluster (context = cluster name) with the CA data and token. */
  writeKubeconfig(path: string, clusterNames: string[], opts: KubeconfigOptions = {}): void {
    const ca = Buffer.from(this.caCert).toString('base64');
    for (const n of clusterNames) if (!opts.unreachable?.includes(n)) this.cluster(n);
    const doc = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: clusterNames.map((name) => ({
        name,
        cluster: {
          server: opts.unreachable?.includes(name)
            ? `https://127.0.0.1:${this.closedPort}/clusters/${name}`
            : this.clusterUrl(name),
          'certificate-authority-data': ca,
        },
      })),
      users: [{ name: 'dpbot', user: { token: opts.token ?? this.token } }],
      contexts: clusterNames.map((name) => ({ name, context: { cluster: name, user: 'dpbot' } })),
      'current-context': clusterNames[0] ?? '',
    };
    writeFileSync(path, toYaml(doc), { mode: 0o600 });
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private async handle(
    method: string,
    url: string,
    auth: string | undefined,
    body: AsyncIterable<Buffer>,
  ): Promise<{ status: number; contentType: string; body: string }> {
    const u = new URL(url, 'https://fake');
    const m = PREFIX.exec(u.pathname);
    const clusterName = m?.[1] ?? '';
    const path = m?.[2] ?? '/';
    const entry: RequestLogEntry = {
      cluster: clusterName,
      method,
      path,
      query: Object.fromEntries(u.searchParams),
      status: 0,
    };
    if (this.options.logRequests !== false) this.requests.push(entry);
    const key = `${method} ${path.replace(/\/namespaces\/[^/]+\//, '/namespaces/*/')}${u.searchParams.get('resourceVersion') === '0' ? ' rv=0' : ''}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
    const latency = this.clusters.get(clusterName)?.latencyMs ?? this.options.latencyMs ?? 0;
    if (latency > 0) await delay(latency);
    try {
      if (auth !== `Bearer ${this.token}`) throw new StatusError(statusBody(401, 'Unauthorized'));
      const cluster = this.clusters.get(clusterName);
      if (!cluster)
        throw new StatusError(statusBody(404, `cluster "${clusterName}" is not served by this proxy`));
      this.injectFault(clusterName, method, path);
      let parsed: unknown;
      if (method === 'POST' || method === 'PUT') {
        const chunks: Buffer[] = [];
        for await (const c of body) chunks.push(c);
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new StatusError(statusBody(400, 'the request body is not valid JSON'));
        }
        const name = (parsed as { metadata?: { name?: unknown } } | null)?.metadata?.name;
        if (typeof name === 'string') entry.bodyName = name;
      }
      const r = handleResourceRequest(cluster, this.registry, {
        method,
        path,
        query: u.searchParams,
        body: parsed,
      });
      entry.status = r.status;
      if (r.statusSent) entry.statusSent = true;
      if (r.text !== undefined)
        return { status: r.status, contentType: 'text/plain; charset=utf-8', body: r.text };
      return { status: r.status, contentType: 'application/json', body: this.json(r.json) };
    } catch (err) {
      const status =
        err instanceof StatusError ? err.body : statusBody(500, `fake-kube-api: ${(err as Error).message}`);
      entry.status = status.code;
      return { status: status.code, contentType: 'application/json', body: JSON.stringify(status) };
    }
  }

  private json(value: unknown): string {
    const items = (value as { items?: unknown })?.items;
    if (!this.options.shareObjectJson || !Array.isArray(items)) return JSON.stringify(value);
    const strings = items.map((o: object) => {
      let text = this.objectJson.get(o);
      if (text === undefined) {
        text = JSON.stringify(o);
        this.objectJson.set(o, text);
      }
      return text;
    });
    const { items: _, ...rest } = value as { items: unknown[] };
    return `${JSON.stringify(rest).slice(0, -1)},"items":[${strings.join(',')}]}`;
  }

  private injectFault(cluster: string, method: string, path: string): void {
    const f = this.faults.find(
      (x) =>
        (!x.cluster || x.cluster === cluster) &&
        (!x.method || x.method === method) &&
        (!x.pathPrefix || path.startsWith(x.pathPrefix)) &&
        (!x.pathRegex || x.pathRegex.test(path)),
    );
    if (!f) return;
    if (f.times !== undefined && --f.times <= 0) this.faults = this.faults.filter((x) => x !== f);
    const message =
      f.message ??
      (f.status === 403
        ? `forbidden: User "system:serviceaccount:dpbot:dpbot" cannot ${method === 'GET' ? 'get' : method.toLowerCase()} path "${path}"`
        : `fault injected for ${method} ${path}`);
    throw new StatusError(statusBody(f.status, message));
  }
}

/** A port nothing listens on: bind, note it, close. */
async function findClosedPort(): Promise<number> {
  const s = createHttpServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}
