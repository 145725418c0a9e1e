/** The Arc fleet as the fleet job stores it (DESIGN §12), and the ports around it. */
import type { ArcClusterView } from '../checks/arc-snapshot.js';
import type { CollectError } from '../checks/snapshot.js';

export interface UnreadableSubscription {
  subscriptionId: string;
  /** e.g. `AccessDenied`, `SubscriptionNotFound`, or `NotVisible` (absent from the identity's view). */
  code: string;
  message: string;
}

/** One read of Azure Resource Graph. Never thrown: a failed read is `ok: false`. */
export type ArcFleetRead =
  | { ok: true; clusters: ArcClusterView[]; unreadableSubscriptions: UnreadableSubscription[] }
  | { ok: false; error: CollectError };

/** Port: reads the Arc fleet (adapters/azure implements it over Resource Graph). */
export interface ArcFleetSource {
  readFleet(signal?: AbortSignal): Promise<ArcFleetRead>;
}

/** What the last refresh left in Redis besides the clusters themselves. */
export interface ArcFleetMeta {
  /** Last attempt (ISO). */
  attemptedAt: string;
  /** Last successful read (ISO); absent = never. */
  fetchedAt?: string;
  /** Why the last attempt failed; the clusters are then those of the last success. */
  error?: CollectError;
  unreadableSubscriptions: UnreadableSubscription[];
  /** Names of Arc clusters with no configured cluster (no kubeconfig), sorted. */
  azureOnly: string[];
  /** Azure-only name → resource id, for reports. */
  azureOnlyIds: Record<string, string>;
  /** Connected clusters seen. */
  clusters: number;
}

/** One stored Arc cluster: its dpbot name (DNS-1123, see arc-names.ts) and what ARG said. */
export interface ArcFleetEntry {
  name: string;
  view: ArcClusterView;
}

/** Port (adapters/store/redis-arc-fleet.ts). */
export interface ArcFleetStore {
  getMeta(): Promise<ArcFleetMeta | undefined>;
  /** Replaces every entry and the meta in one step. */
  replace(meta: ArcFleetMeta, entries: ArcFleetEntry[]): Promise<void>;
  /** Records a failed attempt, keeping the entries. */
  putMeta(meta: ArcFleetMeta): Promise<void>;
  list(): Promise<ArcFleetEntry[]>;
  /** By resource id (any case). */
  byId(resourceId: string): Promise<ArcFleetEntry | undefined>;
  /** Resource ids whose dpbot name or normalised Azure name is `name` (more than one = ambiguous). */
  idsByName(name: string): Promise<string[]>;
}
