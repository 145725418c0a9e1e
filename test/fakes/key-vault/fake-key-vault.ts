/**
 * A loopback fake of one Azure Key Vault's data plane over HTTPS (the SDK refuses plain http):
 * - every request without the expected bearer token gets 401 with a `WWW-Authenticate` challenge;
 * - `GET /secrets?maxresults=N` pages with absolute `nextLink`s, attributes in epoch seconds;
 * - `GET /secrets/{name}/versions` pages the versions' metadata (no values), 404 SecretNotFound for a
 *   secret the vault does not have (never created, or deleted);
 * - `GET /secrets/{name}[/{version}]` returns the VALUE and records the read, so tests can prove
 *   dpbot never reads one.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fakeTls } from '../kube-api/tls.js';

export interface FakeSecret {
  name: string;
  value: string;
  enabled?: boolean;
  created: Date;
  updated?: Date;
  expires?: Date;
  contentType?: string;
  /** Backs a certificate. */
  managed?: boolean;
  /** Id of the current version. @defaultValue derived from the name */
  version?: string;
  /** Versions before the current one, with their own attributes. */
  olderVersions?: FakeSecretVersion[];
}

export interface FakeSecretVersion {
  version: string;
  enabled?: boolean;
  created: Date;
  updated?: Date;
  expires?: Date;
}

export interface FakeKeyVaultOptions {
  /** `resource` in the challenge. @defaultValue `https://vault.azure.net` */
  resource?: string;
  tenantId?: string;
  /** Most secrets per page whatever `maxresults` asks. @defaultValue 25 */
  maxPageSize?: number;
}

export interface KeyVaultRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Carried the right bearer token. */
  authorized: boolean;
  status: number;
}

export interface KeyVaultFault {
  status: 403 | 404 | 429 | 500;
  code?: string;
  /** @defaultValue forever */
  times?: number;
}

const SECONDS = (d: Date | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);

export class FakeKeyVault {
  readonly requests: KeyVaultRequest[] = [];
  /** Names whose value was requested — must stay empty. */
  readonly valueReads: string[] = [];
  readonly token = `kv-${randomBytes(12).toString('hex')}`;
  private readonly secrets = new Map<string, FakeSecret>();
  private fault?: KeyVaultFault;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly caCert: string,
    private readonly options: FakeKeyVaultOptions,
  ) {
    server.on('request', (req, res) => {
      const r = this.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization);
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  }

  static async start(options: FakeKeyVaultOptions = {}): Promise<FakeKeyVault> {
    const tls = await fakeTls();
    const server = createServer({ key: tls.key, cert: tls.cert });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    return new FakeKeyVault(server, `https://127.0.0.1:${port}`, tls.caCert, options);
  }

  setSecret(secret: FakeSecret): this {
    this.secrets.set(secret.name.toLowerCase(), secret);
    return this;
  }

  /** As `az keyvault secret delete`: gone from listings and reads (soft-deleted). */
  deleteSecret(name: string): void {
    this.secrets.delete(name.toLowerCase());
  }

  setFault(fault: KeyVaultFault | undefined): void {
    this.fault = fault ? { ...fault } : undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private handle(method: string, rawUrl: string, auth: string | undefined) {
    const u = new URL(rawUrl, this.url);
    const entry: KeyVaultRequest = {
      method,
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      authorized: auth === `Bearer ${this.token}`,
      status: 0,
    };
    this.requests.push(entry);
    const r = this.route(method, u, entry.authorized);
    entry.status = r.status;
    return r;
  }

  private route(method: string, u: URL, authorized: boolean) {
    if (!authorized) {
      const tenant = this.options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
      const resource = this.options.resource ?? 'https://vault.azure.net';
      return {
        status: 401,
        headers: {
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="${resource}"`,
        },
        body: {
          error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
        },
      };
    }
    if (this.fault && (this.fault.times === undefined || this.fault.times-- > 0)) {
      const code = this.fault.code ?? (this.fault.status === 403 ? 'Forbidden' : 'InternalError');
      const message =
        this.fault.status === 403
          ? "The user, group or application does not have secrets list permission on key vault 'fake'."
          : 'fake fault';
      return { status: this.fault.status, headers: {}, body: { error: { code, message } } };
    }
    if (method !== 'GET') return notFound('method not supported by the fake');
    const parts = u.pathname.split('/').filter(Boolean);
    if (parts.length === 1 && parts[0] === 'secrets') return this.list(u);
    if (parts[0] === 'secrets' && parts.length === 3 && parts[2] === 'versions')
      return this.versions(u, parts[1]);
    if (parts[0] === 'secrets' && (parts.length === 2 || parts.length === 3)) {
      this.valueReads.push(parts[1]);
      const s = this.secrets.get(parts[1].toLowerCase());
      if (!s) return notFound(`A secret with (name/id) ${parts[1]} was not found in this key vault.`);
      return { status: 200, headers: {}, body: { ...this.item(s), value: s.value } };
    }
    return notFound('unknown path');
  }

  private list(u: URL) {
    const asked = Number(u.searchParams.get('maxresults') ?? 25);
    const size = Math.max(1, Math.min(asked || 25, this.options.maxPageSize ?? 25));
    const start = Number(u.searchParams.get('$skiptoken') ?? 0);
    const all = [...this.secrets.values()].sort((a, b) => a.name.localeCompare(b.name));
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? start + size : undefined;
    const apiVersion = u.searchParams.get('api-version') ?? '';
    return {
      status: 200,
      headers: {},
      body: {
        value: page.map((s) => this.item(s)),
        nextLink:
          next === undefined
            ? null
            : `${this.url}/secrets?api-version=${apiVersion}&$skiptoken=${next}&maxresults=${size}`,
      },
    };
  }

  private versions(u: URL, name: string) {
    const s = this.secrets.get(name.toLowerCase());
    if (!s) return notFound(`A secret with (name/id) ${name} was not found in this key vault.`);
    const asked = Number(u.searchParams.get('maxresults') ?? 25);
    const size = Math.max(1, Math.min(asked || 25, this.options.maxPageSize ?? 25));
    const start = Number(u.searchParams.get('$skiptoken') ?? 0);
    // Each version carries only its own attributes (an older one may have no expiry).
    const all: FakeSecret[] = [
      { ...s, version: currentVersion(s) },
      ...(s.olderVersions ?? []).map((v) => ({ name: s.name, value: '', ...v })),
    ];
    const next = start + size < all.length ? start + size : undefined;
    const apiVersion = u.searchParams.get('api-version') ?? '';
    return {
      status: 200,
      headers: {},
      body: {
        value: all.slice(start, start + size).map((v) => ({
          ...this.item(v),
          id: `${this.url}/secrets/${s.name}/${v.version}`,
        })),
        nextLink:
          next === undefined
            ? null
            : `${this.url}/secrets/${s.name}/versions?api-version=${apiVersion}&$skiptoken=${next}&maxresults=${size}`,
      },
    };
  }

  private item(s: FakeSecret) {
    return {
      id: `${this.url}/secrets/${s.name}`,
      ...(s.contentType ? { contentType: s.contentType } : {}),
      ...(s.managed ? { managed: true } : {}),
      attributes: {
        enabled: s.enabled ?? true,
        created: SECONDS(s.created),
        updated: SECONDS(s.updated ?? s.created),
        ...(s.expires ? { exp: SECONDS(s.expires) } : {}),
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      },
      tags: {},
    };
  }
}

function currentVersion(s: FakeSecret): string {
  return s.version ?? Buffer.from(s.name).toString('hex').padEnd(32, '0').slice(0, 32);
}

function notFound(message: string) {
  return { status: 404, headers: {}, body: { error: { code: 'SecretNotFound', message } } };
}
