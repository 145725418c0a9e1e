/**
 * secret-freshness: does the cluster hold the current Key Vault version of every secret it syncs?
 *
 * Stale = the current version was created after the SecretSync's `lastSuccessfulSyncTime` AND more than
 * rotation poll interval + jitter ago, so the controller had its chance to pick it up and did not.
 * (Comparing `createdOn` with `lastSuccessfulSyncTime + poll + jitter` alone would miss a rotation made
 * soon after a sync, because upstream only moves `lastSuccessfulSyncTime` when the data changes.)
 * Objects pinned to an `objectVersion` are skipped: they never rotate. SecretSyncs that never synced
 * are left to secret-sync, which already reports them.
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
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, KeyVaultSecretMeta } from './snapshot.js';

const CHECK = 'secret-freshness';

export function checkSecretFreshness(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
): Finding[] {
  const blocked = prerequisiteFindings(CHECK, snapshot);
  if (blocked) return blocked;
  const { used, unresolved } = secretsInUse(snapshot);
  const graceMs =
    (settings.secretSync?.rotationPollIntervalMs ?? 3_600_000) + (settings.secretSync?.jitterMs ?? 0);
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
    const f = judge(u, found.meta, now.getTime(), graceMs);
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
          : 'every synced Key Vault secret is pinned to a version or has not synced yet (see secret-sync)',
      evidence: { secretsInUse: used.length },
    });
  }
  return findings;
}

function judge(u: UsedSecret, meta: KeyVaultSecretMeta, nowMs: number, graceMs: number): Finding | undefined {
  const ss = u.secretSync;
  const lastSync = ss.status?.lastSuccessfulSyncTime;
  const syncedMs = typeof lastSync === 'string' ? Date.parse(lastSync) : Number.NaN;
  const createdMs = meta.createdOn ? Date.parse(meta.createdOn) : Number.NaN;
  if (Number.isNaN(syncedMs)) return undefined;
  const name = u.object.objectName;
  const resource = `${u.sync}/${name}`;
  const evidence = {
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
  const [ns, syncName] = u.sync.split('/');
  if (createdMs > syncedMs && nowMs - createdMs > graceMs) {
    return {
      check: CHECK,
      status: 'fail',
      reason: 'SecretSyncStale',
      message: `the cluster holds an older version of ${name} (Key Vault ${u.vault}): the current version was created ${ago(nowMs, createdMs)} ago but SecretSync ${u.sync} last synced ${ago(nowMs, syncedMs)} ago (allowed ${formatDuration(graceMs)}); force a sync: kubectl -n ${ns} patch secretsync ${syncName} --type merge -p '{"spec":{"forceSynchronization":"'$(date +%s)'"}}'`,
      resource,
      evidence,
    };
  }
  return {
    check: CHECK,
    status: 'ok',
    reason: 'SecretInSync',
    message: `${u.sync} holds the current version of ${name} (Key Vault ${u.vault}; version created ${ago(nowMs, createdMs)} ago, synced ${ago(nowMs, syncedMs)} ago)`,
    resource,
    evidence,
  };
}

function ago(nowMs: number, thenMs: number): string {
  return formatDuration(Math.max(0, nowMs - thenMs));
}
