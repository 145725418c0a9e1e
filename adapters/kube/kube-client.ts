/**
 * A small Kubernetes client over @kubernetes/client-node's own auth, TLS and HTTP stack. It works on
 * plain JSON (no model classes, so timestamps stay strings), pages every list and time-limits every call.
 */
import { Agent, type AgentOptions } from 'node:https';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { buildConnector, Client, type Dispatcher, request as undiciRequest } from 'undici';
import { KubeApiError } from './kube-errors.js';

/** A REST resource; `group` '' is the core group (`/api/v1`). */
export interface KubeResource {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export interface ListOptions {
  /** Omit for a cluster-wide list. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Ask for `resourceVersion=0`: the API server answers from its watch cache (no etcd read), possibly
   * a little stale, and ignores `limit` (the whole list in one answer). Only for lists that are small
   * by nature and where a slightly older view is fine.
   */
  fromCache?: boolean;
}

export interface KubeClientOptions {
  /** Limit of one call (a whole paged list counts as one call). @defaultValue 10000 */
  timeoutMs?: number;
  /** `limit` of each list page. @defaultValue 500 */
  pageSize?: number;
  /** The cluster's connection is closed after this long without a request. @defaultValue 2000 */
  idleMs?: number;
}

interface RawResponse {
  status: number;
  text: string;
}

const http = new IsomorphicFetchHttpLibrary();
// UND_ERR_SOCKET: undici's "other side closed" on a kept-alive socket.
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Streams at once on a cluster's h2 connection: a scan needs ~20; servers allow more (Go's default is 250). */
const H2_STREAMS = 32;
/** A cluster's connection is closed this long after its last answer (scans are minutes apart). */
const IDLE_MS = 2000;

/**
 * TLS contexts by their material: a fleet kubeconfig often names one CA (and one client identity) for
 * many clusters, and each context holds its own parsed certificate store.
 */
const secureContexts = new Map<string, SecureContext>();
const MAX_SECURE_CONTEXTS = 2000;

function secureContextFor(key: string, tls: Parameters<typeof createSecureContext>[0]): SecureContext {
  let ctx = secureContexts.get(key);
  if (!ctx) {
    if (secureContexts.size >= MAX_SECURE_CONTEXTS) secureContexts.clear();
    ctx = createSecureContext(tls);
    secureContexts.set(key, ctx);
  }
  return ctx;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * An object without `metadata.managedFields` (server-side apply's field owners) and kubectl's
 * last-applied annotation: on a real API server often most of an object's JSON, and nothing dpbot
 * reads. Dropped as each page is parsed, so a scan holds its lists without them.
 */
export function withoutBookkeeping<T>(item: T): T {
  const meta = (item as { metadata?: unknown } | null)?.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object') return item;
  const annotations = meta.annotations as Record<string, string> | undefined;
  const lastApplied = typeof annotations === 'object' && annotations !== null && LAST_APPLIED in annotations;
  if (!('managedFields' in meta) && !lastApplied) return item;
  const { managedFields: _owners, ...kept } = meta;
  if (lastApplied) {
    const { [LAST_APPLIED]: _applied, ...others } = annotations;
    kept.annotations = others;
  }
  return { ...item, metadata: kept };
}

/** `/apis/velero.io/v1/namespaces/velero/backups[/name]` */
export function resourcePath(r: KubeResource, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = namespace && r.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export class KubeClient {
  readonly timeoutMs: number;
  readonly pageSize: number;
  private readonly idleMs: number;
  private pool?: { origin: string; material: unknown[]; dispatcher: Dispatcher };
  /** Requests on `pool` not yet answered; at 0 the idle timer closes it. */
  private inFlight = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly kc: KubeConfig,
    options: KubeClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.pageSize = options.pageSize ?? 500;
    this.idleMs = options.idleMs ?? IDLE_MS;
  }

  /** Every item of a list, following `continue` until the last page; bookkeeping fields dropped. */
  listAll<T>(resource: KubeResource, opts: ListOptions = {}): Promise<T[]> {
    return this.listMapped<T, T>(resource, opts, withoutBookkeeping);
  }

  /**
   * Like listAll, but each page's items are reduced by `map` (undefined drops an item) before the
   * next page is read, so only the summaries are held, never every whole object of a big list.
   */
  async listMapped<T, S>(
    resource: KubeResource,
    opts: ListOptions,
    map: (item: T) => S | undefined,
  ): Promise<S[]> {
    const deadline = Date.now() + this.timeoutMs;
    const items: S[] = [];
    let cont: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.pageSize) };
      if (opts.labelSelector) query.labelSelector = opts.labelSelector;
      if (opts.fieldSelector) query.fieldSelector = opts.fieldSelector;
      // A `continue` token carries its own resource version (a server that pages from its cache).
      if (cont) query.continue = cont;
      else if (opts.fromCache) query.resourceVersion = '0';
      const page = await this.json<{ items?: T[]; metadata?: { continue?: string } }>(
        'GET',
        resourcePath(resource, opts.namespace),
        { query, deadline },
      );
      for (const item of page.items ?? []) {
        const kept = map(item);
        if (kept !== undefined) items.push(kept);
      }
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  get<T>(resource: KubeResource, namespace: string | undefined, name: string): Promise<T> {
    return this.json<T>('GET', resourcePath(resource, namespace, name), {});
  }

  /** Creates a custom object; a KubeApiError with `statusCode` 409 means it already exists. */
  createNamespacedCustomObject<T = unknown>(
    group: string,
    version: string,
    namespace: string,
    plural: string,
    body: object,
  ): Promise<T> {
    const path = resourcePath({ group, version, plural, namespaced: true }, namespace);
    return this.json<T>('POST', path, { body });
  }

  /** Creates a core or any other resource (`namespaces`, …); 409 when it exists. */
  create<T = unknown>(resource: KubeResource, namespace: string | undefined, body: object): Promise<T> {
    return this.json<T>('POST', resourcePath(resource, namespace), { body });
  }

  /** Deletes one object; a KubeApiError with `statusCode` 404 means it is already gone. */
  delete<T = unknown>(resource: KubeResource, namespace: string | undefined, name: string): Promise<T> {
    return this.json<T>('DELETE', resourcePath(resource, namespace, name), {});
  }

  /** Raw text of a non-resource path, e.g. `/readyz?verbose` or `/metrics`. */
  async getRaw(path: string, opts: { acceptStatus?: number[] } = {}): Promise<string> {
    const r = await this.request('GET', path, { accept: 'text/plain, */*' });
    if (r.status < 300) return r.text;
    // `/readyz?verbose` answers 500 with the per-check lines when a check (e.g. KMS) fails.
    if (opts.acceptStatus?.includes(r.status) && !r.text.trimStart().startsWith('{')) return r.text;
    throw this.httpError('GET', path, r);
  }

  private async json<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    opts: { query?: Record<string, string>; body?: object; deadline?: number },
  ): Promise<T> {
    const r = await this.request(method, path, opts);
    if (r.status >= 300) throw this.httpError(method, path, r);
    try {
      return JSON.parse(r.text) as T;
    } catch {
      throw new KubeApiError(
        'Http',
        `${method} ${path}: response is not JSON`,
        `${method} ${path}`,
        r.status,
      );
    }
  }

  private httpError(method: string, path: string, r: RawResponse): KubeApiError {
    let message = r.text.slice(0, 300);
    let reason: string | undefined;
    try {
      const status = JSON.parse(r.text) as { kind?: string; message?: string; reason?: string };
      if (status.kind === 'Status') [message, reason] = [status.message ?? message, status.reason];
    } catch {
      // not a Status body: keep the text
    }
    return new KubeApiError(
      'Http',
      `HTTP ${r.status} ${reason ?? ''}: ${message}`,
      `${method} ${path}`,
      r.status,
      reason,
    );
  }

  private async request(
    method: 'GET' | 'POST' | 'DELETE',
    pathAndQuery: string,
    opts: { query?: Record<string, string>; body?: object; deadline?: number; accept?: string },
  ): Promise<RawResponse> {
    const what = `${method} ${pathAndQuery}`;
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new KubeApiError('Unreachable', 'no cluster in the kubeconfig context', what);
    // Keep the server URL's path prefix (Arc/Rancher proxies): the generated clients do the same.
    const ctx = new RequestContext(server.replace(/\/+$/, '') + pathAndQuery, HttpMethod[method]);
    for (const [k, v] of Object.entries(opts.query ?? {})) ctx.setQueryParam(k, v);
    ctx.setHeaderParam('Accept', opts.accept ?? 'application/json');
    if (opts.body) {
      ctx.setHeaderParam('Content-Type', 'application/json');
      ctx.setBody(JSON.stringify(opts.body));
    }
    const ms = Math.max(0, (opts.deadline ?? Date.now() + this.timeoutMs) - Date.now());
    const abort = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
        reject(new KubeApiError('Timeout', `${what}: no answer within ${this.timeoutMs} ms`, what));
      }, ms);
    });
    expired.catch(() => undefined); // the race below reports it
    try {
      // Credentials (exec plugins, token files) can hang too, so they are inside the time limit.
      await Promise.race([this.kc.applySecurityAuthentication(ctx), expired]);
      ctx.setSignal(abort.signal);
      const dispatcher = this.dispatcherFor(ctx);
      if (dispatcher) this.busy();
      const send = async (): Promise<RawResponse> => {
        if (dispatcher) {
          const r = await undiciRequest(ctx.getUrl(), {
            method,
            headers: ctx.getHeaders(),
            body: ctx.getBody() as string | undefined,
            signal: abort.signal,
            dispatcher,
          });
          return { status: r.statusCode, text: await r.body.text() };
        }
        const resp = await http.send(ctx).toPromise();
        return { status: resp.httpStatusCode, text: await resp.body.text() };
      };
      const sendOnce = async (): Promise<RawResponse> => {
        try {
          return await send();
        } catch (err) {
          // A kept-alive socket the server closed meanwhile: a GET is safe to send again.
          if (method !== 'GET' || timedOut || !RESET.has((err as { code?: string }).code ?? '')) throw err;
          return send();
        }
      };
      try {
        return await Promise.race([sendOnce(), expired]);
      } finally {
        if (dispatcher) this.idle();
      }
    } catch (err) {
      if (err instanceof KubeApiError) throw err;
      if (timedOut) throw new KubeApiError('Timeout', `${what}: no answer within ${this.timeoutMs} ms`, what);
      const code = (err as { code?: string }).code;
      throw new KubeApiError(
        'Unreachable',
        unreachableMessage(new URL(server).host, code, (err as Error).message),
        what,
        undefined,
        undefined,
        { cause: err },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private busy(): void {
    this.inFlight++;
    clearTimeout(this.idleTimer);
  }

  /**
   * HTTP/2 sessions have no idle timeout in undici (`keepAliveTimeout` is HTTP/1.1's), so the client
   * closes its pool itself once nothing is in flight for `idleMs`. A fleet of 10,000 clusters then holds
   * no sockets, TLS sessions or pool objects between scans.
   */
  private idle(): void {
    if (--this.inFlight > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const pool = this.pool;
      this.pool = undefined;
      this.idleTimer = undefined;
      void pool?.dispatcher.close().catch(() => undefined);
    }, this.idleMs).unref();
  }

  /**
   * client-node sends through node-fetch with a new https.Agent per request (a TLS handshake each
   * time). Direct TLS connections (not through a proxy) go through one undici pool per client instead:
   * the TLS context parsed once and ONE connection per cluster (a TLS handshake costs more CPU than a
   * scan's JSON; a pool of 4 cost ~3 handshakes more per scan). The connection offers HTTP/2 (ALPN), as
   * kube-apiserver serves it, so a scan's ~20 reads run at once on it instead of taking turns: one
   * round trip of latency instead of twenty. A server that only speaks HTTP/1.1 (some proxies) gets
   * them in turn on the one kept-alive connection. Closed after `idleMs` without requests (`idle`).
   * Rebuilt when the TLS material changes; proxies keep node-fetch.
   */
  private dispatcherFor(ctx: RequestContext): Dispatcher | undefined {
    const agent = ctx.getAgent();
    if (agent !== undefined && (!(agent instanceof Agent) || agent.constructor !== Agent)) return undefined;
    // `options` is set by https.Agent's constructor but missing from @types/node.
    const o = ((agent as (Agent & { options: AgentOptions }) | undefined)?.options ?? {}) as AgentOptions;
    const material = [o.ca, o.cert, o.key, o.pfx, o.passphrase, o.servername, o.rejectUnauthorized];
    const origin = new URL(ctx.getUrl()).origin;
    // Compared in place (client-node decodes the PEMs anew for every request): no key string per request.
    if (this.pool?.origin !== origin || !sameMaterial(this.pool.material, material)) {
      void this.pool?.dispatcher.close().catch(() => undefined);
      const key = material.map(String).join('\u0000');
      const tls = { ca: o.ca, cert: o.cert, key: o.key, pfx: o.pfx, passphrase: o.passphrase };
      const connector = buildConnector({
        secureContext: secureContextFor(key, tls),
        rejectUnauthorized: o.rejectUnauthorized,
        ...(o.servername ? { servername: o.servername } : {}),
        allowH2: true,
      });
      const client: Client = new Client(origin, {
        // undici sends one request at a time on a connection unless told otherwise, h2 or not: on an
        // h2 connection every read of the scan goes at once (streams); on HTTP/1.1 they take turns
        // (no pipelining: proxies in front of API servers need not support it).
        connect: (opts, done) =>
          connector(opts, (err, socket) => {
            if (!err) client.pipelining = (socket as TLSSocket).alpnProtocol === 'h2' ? H2_STREAMS : 1;
            (done as (e: Error | null, s: typeof socket | null) => void)(err, socket);
          }),
        allowH2: true,
        keepAliveTimeout: this.idleMs,
        keepAliveMaxTimeout: this.idleMs,
      });
      this.pool = { origin, material, dispatcher: client };
    }
    return this.pool.dispatcher;
  }
}

/** The same TLS material: Buffers by content, arrays element by element, the rest by value. */
function sameMaterial(a: readonly unknown[], b: readonly unknown[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      if (Buffer.isBuffer(x) && Buffer.isBuffer(y)) return x.equals(y);
      if (Array.isArray(x) && Array.isArray(y)) return sameMaterial(x, y);
      return x === y;
    })
  );
}

/** `cannot reach h:443: connect ECONNREFUSED 10.0.0.1:443`, the error code said once, not twice. */
function unreachableMessage(host: string, code: string | undefined, message: string): string {
  const detail = code && !message.includes(code) ? `${code} ${message}` : message;
  return `cannot reach ${host}: ${detail}`.replace(/\s+/g, ' ').trim();
}
