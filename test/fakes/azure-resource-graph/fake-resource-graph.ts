/**
 * A loopback fake of Azure Resource Graph over HTTPS (bearer tokens are refused on plain http):
 * `POST /providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01` with
 * `{subscriptions?, managementGroups?, query, options: {$top, $skipToken}}` →
 * `{totalRecords, count, data, facets, resultTruncated, $skipToken?}`.
 * - 401 `AuthenticationFailed` without a token the `acceptToken` predicate accepts;
 * - `$top` over 1000 → 400; the table is recognised from the query's first word
 *   (`resources`, `kubernetesconfigurationresources`, `resourcecontainers`), rows scoped by subscription;
 * - a subscription the identity may not read is hidden (as ARG filters by RBAC) or, in `deny`
 *   mode, answered with 403 `AccessDenied` whenever a request names it;
 * - faults: 401/403/429 (with `Retry-After` and ARG's quota headers)/500, `times` each.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fakeTls } from '../kube-api/tls.js';

export type ArgRow = Record<string, unknown> & { id: string; subscriptionId: string };

export interface ArgFault {
  status: 401 | 403 | 429 | 500;
  /** seconds, for 429. @defaultValue 1 */
  retryAfter?: number;
  /** @defaultValue 1 */
  times?: number;
}

export interface ArgRequest {
  table: string;
  subscriptions?: string[];
  managementGroups?: string[];
  top?: number;
  skipToken?: string;
  allowPartialScopes?: boolean;
  status: number;
  authorized: boolean;
}

export interface FakeResourceGraphOptions {
  /** Which bearer tokens are valid (e.g. `entra.isIssued`). */
  acceptToken: (token: string) => boolean;
  /** Most rows per page whatever `$top` asks. @defaultValue 1000 */
  maxPageSize?: number;
}

const TABLES = ['resources', 'kubernetesconfigurationresources', 'resourcecontainers'] as const;

export class FakeResourceGraph {
  readonly requests: ArgRequest[] = [];
  private readonly rows = new Map<string, ArgRow[]>(TABLES.map((t) => [t, []]));
  readonly faults: ArgFault[] = [];
  /** Subscriptions the caller may not read. */
  readonly forbidden = new Set<string>();
  forbiddenMode: 'hide' | 'deny' = 'hide';
  /** Answer as ARG does for a query it cannot page: `resultTruncated: "true"` and no `$skipToken`. */
  truncate = false;
  /** Management group → its subscriptions. */
  readonly managementGroups = new Map<string, string[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly caCert: string,
    private readonly options: FakeResourceGraphOptions,
  ) {
    server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const r = this.handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, body);
        res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers });
        res.end(JSON.stringify(r.body));
      });
    });
  }

  static async start(options: FakeResourceGraphOptions): Promise<FakeResourceGraph> {
    const tls = await fakeTls();
    const server = createServer({ key: tls.key, cert: tls.cert });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    return new FakeResourceGraph(server, `https://localhost:${port}`, tls.caCert, options);
  }

  /** Adds a subscription's container row (what `resourcecontainers` lists). */
  addSubscription(subscriptionId: string): this {
    this.rows.get('resourcecontainers')?.push({
      id: `/subscriptions/${subscriptionId}`,
      name: subscriptionId,
      type: 'microsoft.resources/subscriptions',
      subscriptionId,
    });
    return this;
  }

  add(table: (typeof TABLES)[number], row: ArgRow): this {
    this.rows.get(table)?.push(row);
    return this;
  }

  clear(): void {
    for (const t of TABLES) this.rows.set(t, t === 'resourcecontainers' ? (this.rows.get(t) ?? []) : []);
  }

  fail(fault: ArgFault): this {
    this.faults.push({ times: 1, ...fault });
    return this;
  }

  private handle(
    method: string,
    rawUrl: string,
    auth: string | undefined,
    text: string,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const url = new URL(rawUrl, 'https://localhost');
    let body: {
      subscriptions?: string[];
      managementGroups?: string[];
      query?: string;
      options?: { $top?: number; $skipToken?: string; allowPartialScopes?: boolean };
    } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return err(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    }
    const table = (body.query ?? '').trim().split(/[\s|]/)[0]?.toLowerCase() ?? '';
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const authorized = Boolean(token && this.options.acceptToken(token));
    const log = (status: number) =>
      this.requests.push({
        table,
        subscriptions: body.subscriptions,
        managementGroups: body.managementGroups,
        top: body.options?.$top,
        skipToken: body.options?.$skipToken,
        allowPartialScopes: body.options?.allowPartialScopes,
        status,
        authorized,
      });
    const answer = (r: { status: number; body: unknown; headers?: Record<string, string> }) => {
      log(r.status);
      return r;
    };
    if (method !== 'POST' || url.pathname !== '/providers/Microsoft.ResourceGraph/resources')
      return answer(err(404, 'NotFound', `No route for ${method} ${url.pathname}`));
    if (url.searchParams.get('api-version') !== '2024-04-01')
      return answer(
        err(
          400,
          'InvalidApiVersionParameter',
          `api-version ${url.searchParams.get('api-version')} is not supported`,
        ),
      );
    if (!authorized)
      return answer({
        ...err(
          401,
          'AuthenticationFailed',
          'Authentication failed. The Authorization header is missing or invalid.',
        ),
        headers: {
          'www-authenticate':
            'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
        },
      });
    const fault = this.faults[0];
    if (fault) {
      if (--(fault.times as number) <= 0) this.faults.shift();
      if (fault.status === 429)
        return answer({
          ...err(
            429,
            'RateLimiting',
            'Please provide below info when asking for support: timestamp = now, correlationId = fake.',
          ),
          headers: {
            'retry-after': String(fault.retryAfter ?? 1),
            'x-ms-user-quota-remaining': '0',
            'x-ms-user-quota-resets-after': `00:00:0${Math.min(9, fault.retryAfter ?? 1)}`,
          },
        });
      if (fault.status === 403) return answer(accessDenied());
      if (fault.status === 401)
        return answer(
          err(
            401,
            'ExpiredAuthenticationToken',
            'The access token expiry UTC time is earlier than current UTC time.',
          ),
        );
      return answer(err(500, 'InternalServerError', 'Encountered internal server error.'));
    }
    if (!TABLES.includes(table as (typeof TABLES)[number]))
      return answer(err(400, 'BadRequest', `Table '${table}' could not be found.`));
    const top = body.options?.$top ?? 100;
    if (!Number.isInteger(top) || top < 1 || top > 1000)
      return answer(err(400, 'BadRequest', 'Parameter $top must be between 1 and 1000.'));
    let scope: Set<string>;
    if (body.subscriptions?.length) scope = new Set(body.subscriptions.map((s) => s.toLowerCase()));
    else if (body.managementGroups?.length)
      scope = new Set(
        body.managementGroups.flatMap((m) => this.managementGroups.get(m) ?? []).map((s) => s.toLowerCase()),
      );
    else
      return answer(err(400, 'BadRequest', 'Please provide at least one subscription or management group.'));
    const forbidden = [...scope].filter((s) => [...this.forbidden].some((f) => f.toLowerCase() === s));
    if (forbidden.length && this.forbiddenMode === 'deny' && body.subscriptions?.length)
      return answer(accessDenied());
    for (const f of forbidden) scope.delete(f);
    const all = (this.rows.get(table) ?? []).filter((r) => scope.has(r.subscriptionId.toLowerCase()));
    const offset = body.options?.$skipToken
      ? Number(Buffer.from(body.options.$skipToken, 'base64').toString())
      : 0;
    const size = Math.min(top, this.options.maxPageSize ?? 1000);
    const data = all.slice(offset, offset + size);
    const more = offset + size < all.length;
    const next = more && !this.truncate ? Buffer.from(String(offset + size)).toString('base64') : undefined;
    return answer({
      status: 200,
      body: {
        totalRecords: all.length,
        count: data.length,
        data,
        facets: [],
        resultTruncated: more && this.truncate ? 'true' : 'false',
        ...(next ? { $skipToken: next } : {}),
      },
    });
  }

  close(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

function err(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}

function accessDenied() {
  return {
    status: 403,
    body: {
      error: {
        code: 'AccessDenied',
        message: 'Please provide below info when asking for support: timestamp = now, correlationId = fake.',
        details: [
          {
            code: 'AccessDenied',
            message: 'Access is denied to the requested resource. The user might not have enough permission.',
          },
        ],
      },
    },
  };
}
