/**
 * secret-expiry: will a Key Vault secret the cluster syncs stop working? Judged on the current
 * version's `enabled` and `expiresOn` (the provider and the sync controller fetch the current version).
 * Objects pinned to an `objectVersion` are skipped: the listing only describes the current version.
 * One finding per vault secret, however many SecretSyncs use it.
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

const CHECK = 'secret-expiry';
const DAY_MS = 24 * 3600_000;

export function checkSecretExpiry(snapshot: ClusterSnapshot, now: Date, settings: CheckSettings): Finding[] {
  const blocked = prerequisiteFindings(CHECK, snapshot);
  if (blocked) return blocked;
  const { used, unresolved } = secretsInUse(snapshot);
  const findings: Finding[] = unresolved.map((u) => unresolvedFinding(CHECK, u.sync, u.why));
  const bySecret = new Map<string, UsedSecret[]>();
  for (const u of used) {
    if (u.object.objectVersion) continue;
    const k = `${u.vault}/${u.object.objectName.toLowerCase()}`;
    bySecret.set(k, [...(bySecret.get(k) ?? []), u]);
  }
  const failedVaults = new Set<string>();
  for (const users of [...bySecret.values()].sort((a, b) => keyOf(a[0]).localeCompare(keyOf(b[0])))) {
    const found = lookupSecret(CHECK, snapshot, users[0], failedVaults);
    if (!found) continue;
    findings.push(
      'finding' in found
        ? found.finding
        : judge(users, found.meta, now.getTime(), settings.secretSync?.expiryWarningMs ?? 30 * DAY_MS),
    );
  }
  if (findings.length === 0) {
    findings.push({
      check: CHECK,
      status: 'ok',
      reason: 'SecretNotExpiring',
      message:
        used.length === 0
          ? 'no Key Vault secret is synced into this cluster, so none can expire'
          : 'every synced Key Vault secret is pinned to a version; its expiry is not checked',
      evidence: { secretsInUse: used.length },
    });
  }
  return findings;
}

function judge(users: UsedSecret[], meta: KeyVaultSecretMeta, nowMs: number, warnMs: number): Finding {
  const { vault, object } = users[0];
  const name = object.objectName;
  const usedBy = [...new Set(users.map((u) => u.sync))].join(', ');
  const expiresMs = meta.expiresOn ? Date.parse(meta.expiresOn) : Number.NaN;
  const resource = `keyvault/${vault}/${name}`;
  const evidence = {
    vault,
    secret: name,
    enabled: meta.enabled ?? null,
    expiresOn: meta.expiresOn ?? null,
    usedBy,
  };
  const base = { check: CHECK, resource, evidence } as const;
  if (meta.enabled === false) {
    return {
      ...base,
      status: 'fail',
      reason: 'SecretDisabled',
      message: `secret ${name} in Key Vault ${vault} is disabled, so ${usedBy} cannot sync it; enable it or add a new version (az keyvault secret set-attributes --vault-name ${vault} --name ${name} --enabled true)`,
    };
  }
  if (Number.isNaN(expiresMs)) {
    return {
      ...base,
      status: 'ok',
      reason: 'SecretNotExpiring',
      message: `secret ${name} in Key Vault ${vault} (used by ${usedBy}) has no expiry date`,
    };
  }
  const leftMs = expiresMs - nowMs;
  const on = new Date(expiresMs).toISOString().slice(0, 10);
  if (leftMs <= 0) {
    return {
      ...base,
      status: 'fail',
      reason: 'SecretExpired',
      message: `secret ${name} in Key Vault ${vault} expired ${formatDuration(-leftMs)} ago (${on}); ${usedBy} can no longer sync it — set a new version: az keyvault secret set --vault-name ${vault} --name ${name} --expires <date> …`,
    };
  }
  if (leftMs <= warnMs) {
    const days = Math.floor(leftMs / DAY_MS);
    const left = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : formatDuration(leftMs);
    return {
      ...base,
      status: 'warn',
      reason: 'SecretNearExpiry',
      message: `secret ${name} in Key Vault ${vault} expires in ${left} (${on}); rotate it before then (used by ${usedBy}): az keyvault secret set --vault-name ${vault} --name ${name} …`,
      evidence: { ...evidence, daysLeft: days },
    };
  }
  return {
    ...base,
    status: 'ok',
    reason: 'SecretNotExpiring',
    message: `secret ${name} in Key Vault ${vault} expires in ${Math.floor(leftMs / DAY_MS)} days (${on}; used by ${usedBy})`,
  };
}

function keyOf(u: UsedSecret): string {
  return `${u.vault}/${u.object.objectName}`;
}
