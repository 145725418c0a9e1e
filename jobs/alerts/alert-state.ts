/** Alert state per finding key (DESIGN §8), and the ports that keep it in Redis. */
import type { Conversation, MessageRef } from '../../bot/chat-port.js';
import type { Finding } from '../checks/finding.js';

export interface AlertState {
  /** `cluster/check/resource` (or `cluster/check` without a resource; `cluster/<check>/unknown`). */
  key: string;
  cluster: string;
  /** A check name, or `cluster` for "the whole cluster cannot be verified". */
  check: string;
  /** `finding`: a failing finding; `unknown`: protection could not be verified for too long. */
  kind: 'finding' | 'unknown';
  /** The latest observation. */
  finding: Finding;
  /** First scan of the current failing run (ISO). */
  since: string;
  consecutive: number;
  open: boolean;
  /** How many times this key has opened: makes notify job ids unique per episode. */
  openCount: number;
  openedAt?: string;
  /** Card revision, bumped on every edit of an open alert. */
  rev: number;
  /** `status|reason|message` shown on the card now. */
  postedSig?: string;
  /** Where the card went (fixed when it opens). */
  targets: Conversation[];
  /** Posted cards by target id (`platform:channel`), recorded by the notify worker. */
  refs: Record<string, MessageRef>;
  snoozedUntil?: string;
  lastNotified?: string;
}

/** Carried on a notify `send` of an alert card so the worker can record where it landed. */
export interface AlertDelivery {
  key: string;
  cluster: string;
  open: number;
  rev: number;
  target: string;
}

export interface ClusterAlerts {
  /** Optimistic-concurrency token: commit succeeds only if nobody committed since the read. */
  version: number;
  states: Map<string, AlertState>;
  /** `/dp snooze <cluster> <check>`: check → until (ISO); also silences alerts that open later. */
  checkSnoozes: Map<string, string>;
  /** When the newest scan whose posture was applied started (ms); an older scan's posture is stale. */
  scanStartedMs?: number;
}

export interface AlertChanges {
  put?: AlertState[];
  remove?: string[];
  snoozes?: Record<string, string>;
  removeSnoozes?: string[];
  /** The applied posture's scan start (ms), kept as ClusterAlerts.scanStartedMs. */
  scanStartedMs?: number;
}

/** Port (adapters/store/redis-alert-state.ts). */
export interface AlertStore {
  read(cluster: string): Promise<ClusterAlerts>;
  /** Applies `changes` atomically iff `version` is still current; false on a conflict. */
  commit(cluster: string, version: number, changes: AlertChanges): Promise<boolean>;
}

/** Port (adapters/store/redis-subscriptions.ts): channels that asked for a cluster's alerts. */
export interface SubscriptionStore {
  list(cluster: string): Promise<Conversation[]>;
  add(cluster: string, to: Conversation): Promise<boolean>;
  remove(cluster: string, to: Conversation): Promise<boolean>;
}

export function targetId(to: Conversation): string {
  return `${to.platform}:${to.channel}`;
}

export function clusterOfKey(key: string): string {
  return key.split('/')[0];
}

/** The later of the alert's own snooze and its check's snooze, if still in the future. */
export function snoozedUntil(
  state: AlertState,
  checkSnoozes: Map<string, string>,
  now: Date,
): string | undefined {
  const until = [state.snoozedUntil, checkSnoozes.get(state.check)]
    .filter((u): u is string => Boolean(u) && Date.parse(u as string) > now.getTime())
    .sort();
  return until.at(-1);
}

/** Reads, changes and commits one cluster's alerts, retrying on a concurrent commit. */
export async function updateAlerts<T>(
  store: AlertStore,
  cluster: string,
  change: (alerts: ClusterAlerts) => { changes: AlertChanges; result: T },
  attempts = 20,
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const alerts = await store.read(cluster);
    const { changes, result } = change(alerts);
    if (await store.commit(cluster, alerts.version, changes)) return result;
  }
  throw new Error(`alert state of ${cluster} kept changing under us (${attempts} attempts)`);
}
