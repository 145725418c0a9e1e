/**
 * secret-freshness: does the cluster hold the current Key Vault value of every secret it syncs?
 *
 * The controller moves `lastSuccessfulSyncTime` only when the fetched data changes (secret-sync-state.ts),
 * so a new Key Vault version with the same value (a re-set, a rotation that kept the value, new
 * attributes) never moves it. A version created after the last sync is therefore stale only when the
 * controller cannot have compared it: it is younger than poll + jitter (ok: still within the poll), or
 * the controller is down, has polling off (`--rotation-poll-interval=0`), failed its last attempt, or
 * has not polled since its last sync (v0.0.4 rewrites the Update reason on every unchanged poll).
 * Otherwise the controller polled after the version appeared and kept the Secret as it was: in sync.
 * Objects pinned to an `objectVersion` are skipped: they never rotate, the latest version is not
 * theirs (secret-expiry judges the pinned version). SecretSyncs that never synced are left to
 * secret-sync; secrets missing from the vault to secret-expiry (`SecretDisabled`).
 */
import { formatDuration } from '../../bot/duration.js';
import type { Finding } from './finding.js';
import {
  lookupSecret,
  prerequisiteFindings,
  secretsInUse,
  type UsedSecret,
  unresolvedFinding,
} from './secret-provider-objects.js';
import { type ControllerPoll, controllerPoll, POLL_SLACK_MS, syncState } from './secret-sync-state.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, KeyVaultSecretMeta, SecretSync } from './snapshot.js';

const CHECK = 'secret-freshness';

export function checkSecretFreshness(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
): Finding[] {
  const blocked = prerequisiteFindings(CHECK, snapshot);
  if (blocked) return blocked;
  const { used, unresolved } = secretsInUse(snapshot);
  const poll = controllerPoll(snapshot, settings);
  const findings: Finding[] = unresolved.map((u) => unresolvedFinding(CHECK, u.sync, u.why));
  const failedVaults = new Set<string>();
  for (const u of used) {
    if (u.object.objectVersion) continue;
    const found = lookupSecret(CHECK, snapshot, u, failedVaults);
    if (!found) continue;
    if ('finding' in found) {
      findings.push(found.finding);
      continue;
    }
    if ('missing' in found) continue;
    const f = judge(u, found.meta, now.getTime(), poll);
    if (f) findings.push(f);
  }
  if (findings.length === 0) {
    findings.push({
      check: CHECK,
      status: 'ok',
      reason: 'SecretInSync',
      message:
        used.length === 0
          ? 'no Key Vault secret is synced into this cluster, so nothing can be out of date'
          : 'every synced Key Vault secret is pinned to a version, has not synced yet (see secret-sync) or is missing from its vault (see secret-expiry)',
      evidence: { secretsInUse: used.length },
    });
  }
  return findings;
}

function judge(
  u: UsedSecret,
  meta: KeyVaultSecretMeta,
  nowMs: number,
  poll: ControllerPoll,
): Finding | undefined {
  const ss = u.secretSync;
  const graceMs = poll.pollMs;
  const lastSync = ss.status?.lastSuccessfulSyncTime;
  const syncedMs = typeof lastSync === 'string' ? Date.parse(lastSync) : Number.NaN;
  const createdMs = meta.createdOn ? Date.parse(meta.createdOn) : Number.NaN;
  if (Number.isNaN(syncedMs)) return undefined;
  const name = u.object.objectName;
  const resource = `${u.sync}/${name}`;
  const evidence: Finding['evidence'] = {
    vault: u.vault,
    secret: name,
    createdOn: meta.createdOn ?? null,
    lastSuccessfulSyncTime: lastSync ?? null,
    graceMs,
  };
  if (Number.isNaN(createdMs)) {
    return {
      check: CHECK,
      status: 'unknown',
      reason: 'ApiError',
      message: `Key Vault ${u.vault} reported no creation time for secret ${name} — cannot tell whether ${u.sync} holds its current version`,
      resource,
      evidence,
    };
  }
  const base = { check: CHECK, resource, evidence } as const;
  const versionAge = `version created ${ago(nowMs, createdMs)} ago, synced ${ago(nowMs, syncedMs)} ago`;
  if (createdMs <= syncedMs || nowMs - createdMs <= graceMs) {
    return {
      ...base,
      status: 'ok',
      reason: 'SecretInSync',
      message: `${u.sync} holds the current version of ${name} (Key Vault ${u.vault}; ${versionAge})`,
    };
  }
  const why = notCompared(ss, nowMs, poll);
  if (why === undefined) {
    return {
      ...base,
      status: 'unknown',
      reason: 'ApiError',
      message: `Key Vault ${u.vault} has a version of ${name} created ${ago(nowMs, createdMs)} ago, after ${u.sync} last synced, and the sync controller's Deployment could not be read — cannot tell whether the controller compared it`,
    };
  }
  const [ns, syncName] = u.sync.split('/');
  if (why) {
    evidence.cause = why;
    return {
      ...base,
      status: 'fail',
      reason: 'SecretSyncStale',
      message: `the cluster holds an older version of ${name} (Key Vault ${u.vault}): the current version was created ${ago(nowMs, createdMs)} ago but SecretSync ${u.sync} last synced ${ago(nowMs, syncedMs)} ago (allowed ${formatDuration(graceMs)}) and ${why}; force a sync: kubectl -n ${ns} patch secretsync ${syncName} --type merge -p '{"spec":{"forceSynchronization":"'$(date +%s)'"}}'`,
    };
  }
  evidence.unchangedValue = true;
  return {
    ...base,
    status: 'ok',
    reason: 'SecretInSync',
    message: `${u.sync} holds the current value of ${name} (Key Vault ${u.vault}): a version created ${ago(nowMs, createdMs)} ago has the value synced ${ago(nowMs, syncedMs)} ago — the controller has polled since (every ${formatDuration(graceMs)}) and moves lastSuccessfulSyncTime only when the value changes`,
  };
}

/**
 * Why the controller cannot have compared a version older than one poll: a clause, `''` when it
 * did, `undefined` when its Deployment could not be read.
 */
function notCompared(ss: SecretSync, nowMs: number, poll: ControllerPoll): string | undefined {
  if (!poll.polling) return 'the sync controller polls Key Vault never (--rotation-poll-interval=0)';
  if (poll.available === undefined) return undefined;
  if (!poll.available) return 'the sync controller is not running, so it has not fetched it';
  const state = syncState(ss, nowMs, poll.pollMs + POLL_SLACK_MS);
  if (state.failed)
    return `the controller's last attempt failed (${state.failed.type ?? 'condition'}: ${state.failed.reason ?? 'no reason'})`;
  if (!state.synced) return 'the SecretSync has no successful condition';
  const update = (Array.isArray(ss.status?.conditions) ? ss.status.conditions : []).find(
    (c) => c?.type === 'Update',
  );
  // v0.0.4 turns this reason into UpdateNoValueChangeSucceeded at the first unchanged poll.
  if (
    update?.reason === 'UpdateValueChangeOrForceUpdateSucceeded' &&
    state.lastSyncMs !== undefined &&
    nowMs - state.lastSyncMs > poll.pollMs + POLL_SLACK_MS
  )
    return 'the controller has not polled since that sync (its Update condition still says UpdateValueChangeOrForceUpdateSucceeded)';
  return '';
}

function ago(nowMs: number, thenMs: number): string {
  return formatDuration(Math.max(0, nowMs - thenMs));
}
