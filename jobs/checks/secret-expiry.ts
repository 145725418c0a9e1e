/**
 * secret-expiry: will a Key Vault secret the cluster syncs stop working? Judged on the `enabled` and
 * `expiresOn` of the version the provider fetches: the current one (from the vault listing), or the
 * one an object pins with `objectVersion` (that version's metadata, `keyVaultVersions`). A secret or
 * pinned version the vault does not have (deleted: 404 SecretNotFound) fails as `SecretDisabled`.
 * One finding per vault secret and version, however many SecretSyncs use it.
 */
import { formatDuration } from '../../bot/duration.js';
import type { Finding } from './finding.js';
import {
  lookupSecret,
  missingSecretFinding,
  prerequisiteFindings,
  secretsInUse,
  type UsedSecret,
  unresolvedFinding,
  vaultErrorFinding,
} from './secret-provider-objects.js';
import type { CheckSettings } from './settings.js';
import { type ClusterSnapshot, type KeyVaultSecretMeta, pinnedVersionKey } from './snapshot.js';

const CHECK = 'secret-expiry';
const DAY_MS = 24 * 3600_000;

export function checkSecretExpiry(snapshot: ClusterSnapshot, now: Date, settings: CheckSettings): Finding[] {
  const blocked = prerequisiteFindings(CHECK, snapshot);
  if (blocked) return blocked;
  const { used, unresolved } = secretsInUse(snapshot);
  const findings: Finding[] = unresolved.map((u) => unresolvedFinding(CHECK, u.sync, u.why));
  const bySecret = new Map<string, UsedSecret[]>();
  for (const u of used) {
    const k = keyOf(u).toLowerCase();
    const users = bySecret.get(k);
    if (users) users.push(u);
    else bySecret.set(k, [u]);
  }
  const failedVaults = new Set<string>();
  const warnMs = settings.secretSync?.expiryWarningMs ?? 30 * DAY_MS;
  // Sorted by key, each key built once (not twice per comparison).
  const ordered = [...bySecret.values()]
    .map((users) => ({ users, key: keyOf(users[0]) }))
    .sort((a, b) => a.key.localeCompare(b.key));
  for (const { users } of ordered) {
    const pinned = users[0].object.objectVersion;
    const found = pinned
      ? lookupPinned(snapshot, users[0])
      : lookupSecret(CHECK, snapshot, users[0], failedVaults);
    if (!found) continue;
    if ('finding' in found) findings.push(found.finding);
    else if ('missing' in found) findings.push(missingSecretFinding(users, pinned || undefined));
    else findings.push(judge(users, found.meta, now.getTime(), warnMs));
  }
  if (findings.length === 0) {
    findings.push({
      check: CHECK,
      status: 'ok',
      reason: 'SecretNotExpiring',
      message:
        used.length === 0
          ? 'no Key Vault secret is synced into this cluster, so none can expire'
          : 'no synced Key Vault secret could be judged',
      evidence: { secretsInUse: used.length },
    });
  }
  return findings;
}

function judge(users: UsedSecret[], meta: KeyVaultSecretMeta, nowMs: number, warnMs: number): Finding {
  const { vault, object } = users[0];
  const pinned = object.objectVersion;
  // Messages name the pinned version: "secret db-password (pinned version 3f2a…)".
  const name = pinned ? `${object.objectName} (pinned version ${pinned})` : object.objectName;
  const usedBy = [...new Set(users.map((u) => u.sync))].join(', ');
  const expiresMs = meta.expiresOn ? Date.parse(meta.expiresOn) : Number.NaN;
  const resource = `keyvault/${vault}/${object.objectName}${pinned ? `/${pinned}` : ''}`;
  const evidence = {
    vault,
    secret: object.objectName,
    version: pinned || null,
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
  return `${u.vault}/${u.object.objectName}${u.object.objectVersion ? `/${u.object.objectVersion}` : ''}`;
}

/** The pinned version's own metadata (fetched by the Key Vault enricher), or the finding instead. */
function lookupPinned(
  snapshot: ClusterSnapshot,
  u: UsedSecret,
): { meta: KeyVaultSecretMeta } | { finding: Finding } | { missing: true } {
  const version = u.object.objectVersion;
  const fetched = snapshot.keyVaultVersions?.[pinnedVersionKey(u.vault, u.object.objectName, version)];
  if (!fetched) {
    return {
      finding: {
        check: CHECK,
        status: 'unknown',
        reason: 'ApiError',
        message: `version ${version} of secret ${u.object.objectName} (pinned by SecretProviderClass ${u.providerClass}) was not read from Key Vault ${u.vault} in this scan — cannot verify its expiry`,
        resource: `keyvault/${u.vault}/${u.object.objectName}/${version}`,
      },
    };
  }
  if (fetched.ok) return { meta: fetched.value };
  if (fetched.error.reason === 'NotFound') return { missing: true };
  const finding = vaultErrorFinding(CHECK, u.vault, fetched.error);
  return { finding: { ...finding, resource: `keyvault/${u.vault}/${u.object.objectName}/${version}` } };
}
