/**
 * The Arc fleet from Azure Resource Graph (DESIGN §12): connected clusters, their extensions and
 * fluxConfigurations. ARG answers only for what the identity may read, so a subscription without
 * Reader would silently contribute nothing: the configured subscriptions are first checked against
 * `resourcecontainers`, and each one not visible is reported by id, never dropped.
 */
import type { CollectError } from '../../jobs/checks/snapshot.js';
import type { ArcFleetRead, ArcFleetSource, UnreadableSubscription } from '../../jobs/fleet/arc-inventory.js';
import {
  CONFIGURATIONS_QUERY,
  CONNECTED_CLUSTERS_QUERY,
  groupFleet,
  SUBSCRIPTIONS_QUERY,
} from './arc-rows.js';
import {
  ResourceGraphClient,
  type ResourceGraphClientOptions,
  ResourceGraphError,
  type ResourceGraphScope,
} from './resource-graph-client.js';

export interface ArcFleetSourceOptions extends ResourceGraphClientOptions {
  subscriptions: string[];
  managementGroups: string[];
}

export class ResourceGraphArcFleetSource implements ArcFleetSource {
  readonly client: ResourceGraphClient;

  constructor(private readonly options: ArcFleetSourceOptions) {
    this.client = new ResourceGraphClient(options);
  }

  async readFleet(signal?: AbortSignal): Promise<ArcFleetRead> {
    try {
      const scopes: ResourceGraphScope[] = [];
      let unreadable: UnreadableSubscription[] = [];
      if (this.options.subscriptions.length) {
        const split = await this.readableSubscriptions(this.options.subscriptions, signal);
        unreadable = split.unreadable;
        if (split.readable.length) scopes.push({ subscriptions: split.readable });
      }
      if (this.options.managementGroups.length)
        scopes.push({ managementGroups: this.options.managementGroups });
      const clusterRows: Record<string, unknown>[] = [];
      const configRows: Record<string, unknown>[] = [];
      for (const scope of scopes) {
        clusterRows.push(...(await this.client.query(CONNECTED_CLUSTERS_QUERY, scope, signal)));
        configRows.push(...(await this.client.query(CONFIGURATIONS_QUERY, scope, signal)));
      }
      return { ok: true, clusters: groupFleet(clusterRows, configRows), unreadableSubscriptions: unreadable };
    } catch (err) {
      return { ok: false, error: toCollectError(err) };
    }
  }

  /** Which configured subscriptions the identity can read; a 403 on the set falls back to one probe each. */
  private async readableSubscriptions(
    wanted: string[],
    signal?: AbortSignal,
  ): Promise<{ readable: string[]; unreadable: UnreadableSubscription[] }> {
    const visible = async (subs: string[]) =>
      new Set(
        (await this.client.query(SUBSCRIPTIONS_QUERY, { subscriptions: subs }, signal)).map((r) =>
          String(r.subscriptionId ?? '').toLowerCase(),
        ),
      );
    let seen: Set<string>;
    const denied = new Map<string, UnreadableSubscription>();
    try {
      seen = await visible(wanted);
    } catch (err) {
      if (!isDenied(err)) throw err;
      seen = new Set();
      for (const s of wanted) {
        try {
          for (const id of await visible([s])) seen.add(id);
        } catch (e) {
          if (!isDenied(e)) throw e;
          denied.set(s.toLowerCase(), deniedSubscription(s, e));
        }
      }
    }
    const readable: string[] = [];
    const unreadable: UnreadableSubscription[] = [];
    for (const s of wanted) {
      if (seen.has(s.toLowerCase())) readable.push(s);
      else
        unreadable.push(
          denied.get(s.toLowerCase()) ?? {
            subscriptionId: s,
            code: 'NotVisible',
            message: 'the identity cannot see this subscription (no Reader role there, or it does not exist)',
          },
        );
    }
    return { readable, unreadable };
  }
}

const isDenied = (err: unknown): err is ResourceGraphError =>
  err instanceof ResourceGraphError && err.status === 403;

function deniedSubscription(subscriptionId: string, err: ResourceGraphError): UnreadableSubscription {
  const detail = err.details.find((d) => d.message)?.message;
  return { subscriptionId, code: err.code ?? 'AccessDenied', message: detail ?? err.message };
}

export function toCollectError(err: unknown): CollectError {
  if (err instanceof ResourceGraphError) {
    if (err.code === 'Timeout') return { reason: 'Timeout', message: err.message };
    if (err.status === 401 || err.status === 403)
      return {
        reason: 'Forbidden',
        message: `${err.message}; give dpbot's identity the Reader role on the subscriptions`,
        missingRule: 'Microsoft.ResourceGraph/resources/read (Reader)',
      };
    return { reason: 'ApiError', message: err.message };
  }
  const e = err as { name?: string; message?: string };
  // @azure/identity: no usable credential, or the token endpoint refused (CredentialUnavailableError,
  // AuthenticationError, AggregateAuthenticationError…); the bearer policy rethrows them as they are.
  if (/Credential|Authentication/.test(e?.name ?? '') || /AADSTS\d+|invalid_client/.test(e?.message ?? ''))
    return { reason: 'Forbidden', message: `no Azure token: ${e.message?.split('\n')[0] ?? e.name}` };
  return { reason: 'ApiError', message: e?.message ?? String(err) };
}
