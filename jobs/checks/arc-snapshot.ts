/**
 * What Azure Resource Graph says about one Arc-connected cluster (DESIGN §12): the
 * `microsoft.kubernetes/connectedclusters` resource, its `microsoft.kubernetesconfiguration/extensions`
 * and `fluxconfigurations`. Every property is optional: ARG rows can lack any of them.
 */
import type { CollectError } from './snapshot.js';

export interface ArcConnectedCluster {
  /** ARM resource id as ARG returns it. */
  id: string;
  /** Azure resource name (not necessarily a DNS-1123 label). */
  name: string;
  subscriptionId: string;
  resourceGroup?: string;
  location?: string;
  /** `Connected` | `Connecting` | `Offline` | `Expired` (an open set). */
  connectivityStatus?: string;
  lastConnectivityTime?: string;
  kubernetesVersion?: string;
  distribution?: string;
  agentVersion?: string;
}

export interface ArcExtension {
  id: string;
  name: string;
  /** Lower-cased, e.g. `microsoft.azure.secretstore`, `microsoft.flux`. */
  extensionType: string;
  /** `Succeeded` | `Failed` | `Creating` | `Updating` | `Deleting` | `Canceled`. */
  provisioningState?: string;
  version?: string;
  /** The first status message Azure keeps for a failed extension, if any. */
  statusMessage?: string;
}

export interface ArcFluxConfiguration {
  id: string;
  name: string;
  /** `Compliant` | `Non-Compliant` | `Pending` | `Suspended` | `Unknown`. */
  complianceState?: string;
  provisioningState?: string;
}

/** One connected cluster with what hangs off it. */
export interface ArcClusterView {
  cluster: ArcConnectedCluster;
  extensions: ArcExtension[];
  fluxConfigurations: ArcFluxConfiguration[];
}

/**
 * `snapshot.arc`: absent = `fleet.azure` not configured (the check emits nothing); a failed or stale
 * read is `ok: false` (the check says `unknown`, never `ok`).
 */
export type ArcObservation =
  | {
      ok: true;
      /** The cluster's Arc resource, when found. */
      view?: ArcClusterView;
      /** Joined by a configured `azure.resourceId`: not finding it is then a problem, not a non-Arc cluster. */
      expected: boolean;
      /** Subscriptions the identity could not read (the cluster may be there). */
      unreadableSubscriptions: string[];
      /** When ARG was read (ISO). */
      fetchedAt: string;
    }
  | { ok: false; error: CollectError };
