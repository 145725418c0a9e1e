/**
 * KQL for the Arc fleet and the parsing of its rows. Rows carry the resource's `properties` whole and
 * are read case-insensitively: ARG keeps extension properties in PascalCase (`properties.ExtensionType`,
 * see Microsoft's "Resource Graph sample queries for Azure Arc-enabled Kubernetes") while ARM uses
 * camelCase, and a projection that guessed the wrong case would read every extension as missing.
 */
import type {
  ArcClusterView,
  ArcConnectedCluster,
  ArcExtension,
  ArcFluxConfiguration,
} from '../../jobs/checks/arc-snapshot.js';

export const CONNECTED_CLUSTERS_QUERY = `resources
| where type =~ 'microsoft.kubernetes/connectedclusters'
| project id, name, type, subscriptionId, resourceGroup, location, properties
| order by id asc`;

export const CONFIGURATIONS_QUERY = `kubernetesconfigurationresources
| where type in~ ('microsoft.kubernetesconfiguration/extensions', 'microsoft.kubernetesconfiguration/fluxconfigurations')
| where id contains '/providers/microsoft.kubernetes/connectedclusters/'
| project id, name, type, subscriptionId, properties
| order by id asc`;

/** The subscriptions the identity can read (Reader on a subscription lets it read the subscription itself). */
export const SUBSCRIPTIONS_QUERY = `resourcecontainers
| where type =~ 'microsoft.resources/subscriptions'
| project subscriptionId
| order by subscriptionId asc`;

type Row = Record<string, unknown>;

/** `obj[key]` matching the key case-insensitively. */
function prop(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseConnectedCluster(row: Row): ArcConnectedCluster | undefined {
  const id = str(row.id);
  const name = str(row.name);
  if (!id || !name) return undefined;
  const p = row.properties;
  return {
    id,
    name,
    subscriptionId: str(row.subscriptionId) ?? id.split('/')[2] ?? '',
    resourceGroup: str(row.resourceGroup),
    location: str(row.location),
    connectivityStatus: str(prop(p, 'connectivityStatus')),
    lastConnectivityTime: str(prop(p, 'lastConnectivityTime')),
    kubernetesVersion: str(prop(p, 'kubernetesVersion')),
    distribution: str(prop(p, 'distribution')),
    agentVersion: str(prop(p, 'agentVersion')),
  };
}

/** The connected cluster's id of a child resource id (`…/connectedClusters/x/providers/…`), lower-cased. */
export function parentClusterId(childId: string): string | undefined {
  const m = childId
    .toLowerCase()
    .match(/^(.*\/providers\/microsoft\.kubernetes\/connectedclusters\/[^/]+)\//);
  return m?.[1];
}

function firstStatusMessage(p: unknown): string | undefined {
  const statuses = prop(p, 'statuses');
  if (!Array.isArray(statuses)) return undefined;
  for (const s of statuses) {
    const m = str(prop(s, 'message'));
    if (m) return m.length > 200 ? `${m.slice(0, 200)}…` : m;
  }
  return undefined;
}

export function parseExtension(row: Row): ArcExtension | undefined {
  const id = str(row.id);
  const name = str(row.name);
  const type = str(prop(row.properties, 'extensionType'));
  if (!id || !name || !type) return undefined;
  const failed = str(prop(row.properties, 'provisioningState'))?.toLowerCase() === 'failed';
  return {
    id,
    name,
    extensionType: type.toLowerCase(),
    provisioningState: str(prop(row.properties, 'provisioningState')),
    version: str(prop(row.properties, 'version')) ?? str(prop(row.properties, 'currentVersion')),
    ...(failed ? { statusMessage: firstStatusMessage(row.properties) } : {}),
  };
}

export function parseFluxConfiguration(row: Row): ArcFluxConfiguration | undefined {
  const id = str(row.id);
  const name = str(row.name);
  if (!id || !name) return undefined;
  return {
    id,
    name,
    complianceState: str(prop(row.properties, 'complianceState')),
    provisioningState: str(prop(row.properties, 'provisioningState')),
  };
}

/** Clusters with their extensions and flux configurations attached (by resource id, any case). */
export function groupFleet(clusterRows: Row[], configurationRows: Row[]): ArcClusterView[] {
  const views = new Map<string, ArcClusterView>();
  for (const r of clusterRows) {
    const c = parseConnectedCluster(r);
    if (c && !views.has(c.id.toLowerCase()))
      views.set(c.id.toLowerCase(), { cluster: c, extensions: [], fluxConfigurations: [] });
  }
  for (const r of configurationRows) {
    const id = str(r.id);
    const parent = id ? views.get(parentClusterId(id) ?? '') : undefined;
    if (!parent) continue;
    const type = str(r.type)?.toLowerCase();
    if (type === 'microsoft.kubernetesconfiguration/extensions') {
      const e = parseExtension(r);
      if (e) parent.extensions.push(e);
    } else if (type === 'microsoft.kubernetesconfiguration/fluxconfigurations') {
      const f = parseFluxConfiguration(r);
      if (f) parent.fluxConfigurations.push(f);
    }
  }
  return [...views.values()];
}
