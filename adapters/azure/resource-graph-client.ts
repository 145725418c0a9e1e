/**
 * Azure Resource Graph over the Azure SDK's own HTTP pipeline (@azure/core-rest-pipeline):
 * `POST {arm}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, every page by
 * `$skipToken` (`$top` ≤ 1000), 429 answered by waiting `Retry-After` (bounded), a bearer token for
 * `{arm}/.default` from `@azure/identity`.
 *
 * Proxy: the pipeline's `proxyPolicy` reads `HTTPS_PROXY`/`NO_PROXY` (as the Key Vault SDK does), and
 * `DefaultAzureCredential` goes through the same policy.
 */

import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelineOptions,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';

export const RESOURCE_GRAPH_API_VERSION = '2024-04-01';

export interface ResourceGraphScope {
  subscriptions?: string[];
  managementGroups?: string[];
}

export interface ResourceGraphClientOptions {
  /** `fleet.azure.resourceManagerUrl`, e.g. `https://management.azure.com`; the token scope follows it. */
  resourceManagerUrl: string;
  /** @defaultValue `new DefaultAzureCredential()` (created on first use) */
  credential?: TokenCredential;
  /** Rows per page (`$top`), at most 1000. @defaultValue 1000 */
  pageSize?: number;
  /** Throttled (429) requests retried before giving up. @defaultValue 4 */
  maxThrottleRetries?: number;
  /** Longest `Retry-After` honoured; a longer one fails the read instead of stalling the job. @defaultValue 60 000 ms */
  maxRetryAfterMs?: number;
  /** Time allowed for one query, all pages. @defaultValue 60 000 ms */
  timeoutMs?: number;
  /** Pipeline options for tests: `tlsOptions.ca` to trust a test CA, `proxyOptions`. */
  pipelineOptions?: Pick<PipelineOptions, 'tlsOptions' | 'proxyOptions'>;
  /** @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** An ARG error answer (`{error:{code,message,details}}`) or a transport failure. */
export class ResourceGraphError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly details: { code?: string; message?: string }[] = [],
  ) {
    super(message);
    this.name = 'ResourceGraphError';
  }
}

interface QueryResponse {
  totalRecords?: number;
  count?: number;
  data?: unknown;
  $skipToken?: string;
  resultTruncated?: string;
}

const sleeper = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ResourceGraphClient {
  private pipeline?: Pipeline;
  private readonly http: HttpClient = createDefaultHttpClient();
  readonly requests = { sent: 0, throttled: 0 };

  constructor(private readonly options: ResourceGraphClientOptions) {}

  private get base(): string {
    return this.options.resourceManagerUrl.replace(/\/+$/, '');
  }

  private pipe(): Pipeline {
    if (this.pipeline) return this.pipeline;
    // Retries are ours (bounded Retry-After); the SDK's throttling retry would wait any Retry-After.
    const p = createPipelineFromOptions({
      ...this.options.pipelineOptions,
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: 'dpbot' },
    });
    p.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential: this.options.credential ?? new DefaultAzureCredential(),
        scopes: `${this.base}/.default`,
      }),
    );
    this.pipeline = p;
    return p;
  }

  /** Every row of `query` over `scope`, all pages. Throws ResourceGraphError. */
  async query(
    query: string,
    scope: ResourceGraphScope,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>[]> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const top = Math.min(1000, Math.max(1, this.options.pageSize ?? 1000));
    const rows: Record<string, unknown>[] = [];
    let skipToken: string | undefined;
    do {
      const body = {
        ...(scope.subscriptions?.length ? { subscriptions: scope.subscriptions } : {}),
        ...(scope.managementGroups?.length ? { managementGroups: scope.managementGroups } : {}),
        query,
        options: {
          $top: top,
          resultFormat: 'objectArray',
          ...(skipToken ? { $skipToken: skipToken } : {}),
          ...(scope.managementGroups?.length ? { allowPartialScopes: true } : {}),
        },
      };
      const page = await this.post(body, abortSignal);
      if (!Array.isArray(page.data))
        throw new ResourceGraphError('Resource Graph answered without a data array', 200, 'BadResponse');
      rows.push(...(page.data as Record<string, unknown>[]));
      skipToken = page.$skipToken || undefined;
      // Truncated without a token (ARG cannot page a query that drops `id`): a partial fleet is not a fleet.
      if (!skipToken && String(page.resultTruncated).toLowerCase() === 'true')
        throw new ResourceGraphError(
          'Resource Graph truncated the result and gave no $skipToken',
          200,
          'ResultTruncated',
        );
    } while (skipToken);
    return rows;
  }

  private async post(body: unknown, abortSignal: AbortSignal): Promise<QueryResponse> {
    const url = `${this.base}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`;
    const maxRetries = this.options.maxThrottleRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      const request = createPipelineRequest({
        url,
        method: 'POST',
        body: JSON.stringify(body),
        headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }),
        abortSignal,
      });
      let res: PipelineResponse;
      try {
        this.requests.sent++;
        res = await this.pipe().sendRequest(this.http, request);
      } catch (err) {
        const e = err as { name?: string; code?: string; message?: string };
        // A credential that could not get a token (AuthenticationError, CredentialUnavailableError…).
        if (/Credential|Authentication/.test(e.name ?? '')) throw err;
        const timedOut = e.name === 'AbortError' || abortSignal.aborted;
        throw new ResourceGraphError(
          timedOut ? 'Resource Graph did not answer in time' : (e.message ?? String(err)),
          undefined,
          timedOut ? 'Timeout' : e.code,
        );
      }
      if (res.status === 429 && attempt < maxRetries) {
        this.requests.throttled++;
        const wait = retryAfterMs(res);
        if (wait > (this.options.maxRetryAfterMs ?? 60_000))
          throw new ResourceGraphError(
            `throttled; Retry-After ${wait} ms is longer than allowed`,
            429,
            'RateLimiting',
          );
        await (this.options.sleep ?? sleeper)(wait);
        continue;
      }
      const parsed = parseJson(res.bodyAsText);
      if (res.status >= 200 && res.status < 300) return (parsed ?? {}) as QueryResponse;
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
        ?.error;
      const details = Array.isArray(error?.details)
        ? (error.details as { code?: string; message?: string }[])
        : [];
      throw new ResourceGraphError(
        `${res.status} ${error?.code ?? ''}: ${error?.message ?? res.bodyAsText?.slice(0, 200) ?? ''}`.trim(),
        res.status,
        error?.code,
        details,
      );
    }
  }
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` (seconds or an HTTP date); else ARG's `x-ms-user-quota-resets-after` (hh:mm:ss); else 1 s. */
export function retryAfterMs(res: Pick<PipelineResponse, 'headers'>, now = Date.now()): number {
  const ra = res.headers.get('retry-after');
  if (ra) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const resets = res.headers.get('x-ms-user-quota-resets-after')?.match(/^(\d+):(\d+):(\d+)/);
  if (resets) return ((Number(resets[1]) * 60 + Number(resets[2])) * 60 + Number(resets[3])) * 1000;
  return 1000;
}
