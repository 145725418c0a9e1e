/**
 * What a SecretSync's status says about its last attempt, as the real controller writes it
 * (kubernetes-sigs/secrets-store-sync-controller, internal/controller/secretsync_controller.go):
 * - `lastSuccessfulSyncTime` and `syncHash` move only when the Secret is patched, i.e. when the hash
 *   of the fetched data (plus SPC/SecretSync UID and generation, forceSynchronization) changed, or a
 *   failed condition asks for a retry. A poll that fetches an unchanged value returns early: no
 *   status write at all (main; v0.0.4 only rewrites the Update condition's reason).
 * - main (`SecretCreated`/`SecretUpdated`) never sets a failed condition back to True when the retry
 *   finds the same data: it patches, moves `lastSuccessfulSyncTime`, and keeps the False condition
 *   (whose `lastTransitionTime` stays put, also when a later attempt fails again). Since that
 *   condition makes every poll retry, a recovered SecretSync shows a `lastSuccessfulSyncTime` newer
 *   than the failure and younger than one poll interval; a renewed failure stops it moving.
 */
import { parseDuration } from '../../bot/duration.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, Condition, Deployment, SecretSync } from './snapshot.js';

export const SYNC_CONTROLLER = 'secrets-store-sync-controller-manager';
/** Time a poll takes to reach a SecretSync and write its status (fleet-size queues, API latency). */
export const POLL_SLACK_MS = 5 * 60_000;
const SUCCESS_TYPES = new Set(['Create', 'Update', 'SecretCreated', 'SecretUpdated']);

export interface SyncState {
  /** The failure that is current, if any. */
  failed?: Condition;
  partial?: Condition;
  synced: boolean;
  /** Failed conditions a later successful sync has superseded (kept by the controller). */
  superseded: Condition[];
  lastSyncMs?: number;
}

export function conditionsOf(ss: SecretSync): Condition[] {
  return (Array.isArray(ss.status?.conditions) ? ss.status.conditions : []).filter(
    (c): c is Condition => typeof c === 'object' && c !== null,
  );
}

/** `recentMs`: how old the last sync may be for a failure before it to count as recovered. */
export function syncState(ss: SecretSync, nowMs: number, recentMs: number): SyncState {
  const conditions = conditionsOf(ss);
  const last = ss.status?.lastSuccessfulSyncTime;
  const lastMs = typeof last === 'string' ? Date.parse(last) : Number.NaN;
  const lastSyncMs = Number.isNaN(lastMs) ? undefined : lastMs;
  const superseded: Condition[] = [];
  let failed: Condition | undefined;
  for (const c of conditions) {
    if (isPartial(c) || !isFailure(c)) continue;
    const sinceMs = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Number.NaN;
    const recovered =
      lastSyncMs !== undefined &&
      !Number.isNaN(sinceMs) &&
      lastSyncMs > sinceMs &&
      nowMs - lastSyncMs <= recentMs;
    if (recovered) superseded.push(c);
    else failed ??= c;
  }
  const partial = conditions.find(isPartial);
  const synced =
    superseded.length > 0 || conditions.some((c) => c.status === 'True' && SUCCESS_TYPES.has(c.type ?? ''));
  return { failed, partial, synced, superseded, lastSyncMs };
}

function isFailure(c: Condition): boolean {
  if (c.status === 'False') return true;
  return c.status === 'Unknown' && /error|fail/i.test(c.reason ?? '');
}

function isPartial(c: Condition): boolean {
  return /partial/i.test(c.reason ?? '') && c.status !== undefined;
}

export interface ControllerPoll {
  /** The interval dpbot allows for a rotation to arrive: the longer of config and controller flag. */
  pollMs: number;
  /** `--rotation-poll-interval` from the controller's container args, when it is there. */
  flagMs?: number;
  /** The controller polls the provider at all (`--rotation-poll-interval=0s` turns it off). */
  polling: boolean;
  /** Every controller Deployment is available (`undefined` when Deployments were not readable). */
  available?: boolean;
}

/** The sync controller as its Deployment shows it, with `secretSync.rotationPollInterval` + jitter. */
export function controllerPoll(snapshot: ClusterSnapshot, settings: CheckSettings): ControllerPoll {
  const configured =
    (settings.secretSync?.rotationPollIntervalMs ?? 3_600_000) + (settings.secretSync?.jitterMs ?? 0);
  const listed = snapshot.deployments;
  const controllers = listed?.ok ? listed.items.filter((d) => d?.metadata?.name === SYNC_CONTROLLER) : [];
  const flags = controllers.map(pollFlag).filter((f): f is number => f !== undefined);
  const flagMs = flags.length > 0 ? Math.max(...flags) : undefined;
  return {
    pollMs: Math.max(configured, flagMs ?? 0),
    ...(flagMs !== undefined ? { flagMs } : {}),
    polling: flagMs !== 0,
    available: listed?.ok ? controllers.length > 0 && controllers.every(isAvailable) : undefined,
  };
}

function pollFlag(d: Deployment): number | undefined {
  const containers = Array.isArray(d.spec?.template?.spec?.containers) ? d.spec.template.spec.containers : [];
  for (const c of containers) {
    const args = [...(Array.isArray(c?.command) ? c.command : []), ...(Array.isArray(c?.args) ? c.args : [])];
    for (let i = 0; i < args.length; i++) {
      const a = String(args[i]);
      const m = /^--?rotation-poll-interval(?:=(.*))?$/.exec(a);
      if (!m) continue;
      const value = m[1] ?? String(args[i + 1] ?? '');
      const ms = parseDuration(value);
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}

function isAvailable(d: Deployment): boolean {
  const replicas = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
  const available = typeof d.status?.availableReplicas === 'number' ? d.status.availableReplicas : 0;
  return replicas > 0 && available >= 1;
}
