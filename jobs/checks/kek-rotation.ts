/**
 * kek-rotation: has the KMS key encryption key (KEK) rotated within kekMaxAge + kekGrace?
 *
 * KMS v2 API servers expose the hash of the key id in use (`apiserver_envelope_encryption_key_id_hash_*`),
 * but not when that key was created. dpbot keeps the first time it saw each hash (Redis, filled by
 * jobs/kek-first-seen-enricher.ts into `snapshot.kekFirstSeen`), so a key's age is "now − first seen".
 * A key already present when dpbot started watching has an unknown real age: the finding says so and
 * gives the date by which it becomes overdue, rather than raising `unknown` for a whole month.
 * KMS v1 (e.g. AKS on Azure Local) exposes no key ids at all: rotation is the platform's job and is
 * not observable through the API, which the `PlatformManagedRotation` finding says plainly. KMS v2 on an
 * API server without the key id metrics (before 1.27) gives `KeyRotationNotObservable` (warn, never alerts).
 * The version comes from the transformation prefixes (`k8s:enc:kms:v1:` / `k8s:enc:kms:v2:`), writes
 * first: `/readyz` cannot tell, its aggregated `kms-providers` check is there for v1 too (automatic reload).
 * No KMS at all gives no finding here — secrets-at-rest reports that.
 */
import { formatDuration } from '../../bot/duration.js';
import {
  currentKey,
  ENCRYPTION_METRICS,
  type KeyIdHashUse,
  type KmsKind,
  keyIdHashes,
  kmsTransformationVersions,
} from './encryption-evidence.js';
import { fetchErrorFinding, unreadableMetricsFinding } from './fetch-error.js';
import type { Finding } from './finding.js';
import { type MetricSample, parseMetrics } from './parse-metrics.js';
import { kmsProbes, parseReadyz } from './parse-readyz.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot } from './snapshot.js';

const CHECK = 'kek-rotation';
const BUILD_INFO = 'kubernetes_build_info';
const WHY = 'when the KMS key encryption key last rotated';

export function checkKekRotation(snapshot: ClusterSnapshot, now: Date, settings: CheckSettings): Finding[] {
  if (!snapshot.metrics?.ok) return [fetchErrorFinding(CHECK, '/metrics', snapshot.metrics, WHY)];
  const unreadable = unreadableMetricsFinding(CHECK, snapshot.metrics.value, WHY);
  if (unreadable) return [unreadable];
  const samples = parseMetrics(snapshot.metrics.value, [...ENCRYPTION_METRICS, BUILD_INFO]).samples;
  const keys = keyIdHashes(samples);
  if (keys.length === 0) return withoutKeyIds(snapshot, samples);
  const byProvider = new Map<string, KeyIdHashUse[]>();
  for (const k of keys) byProvider.set(k.provider, [...(byProvider.get(k.provider) ?? []), k]);
  return [...byProvider.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, uses]) => judgeProvider(provider, uses, snapshot.kekFirstSeen, now.getTime(), settings));
}

function judgeProvider(
  provider: string,
  uses: KeyIdHashUse[],
  firstSeen: Record<string, string> | undefined,
  nowMs: number,
  settings: CheckSettings,
): Finding {
  const current = currentKey(uses)!;
  const name = provider || '(unnamed)';
  const resource = `kms/${provider || 'unnamed'}`;
  const hash = shortHash(current.keyIdHash);
  const seenMs = parseTime(firstSeen?.[current.keyIdHash]);
  const evidence: Finding['evidence'] = {
    provider: name,
    keyIdHash: current.keyIdHash,
    keysSeenOnApiServer: uses.length,
    firstSeen: firstSeen?.[current.keyIdHash] ?? null,
  };
  if (seenMs === undefined) {
    return {
      check: CHECK,
      status: 'unknown',
      reason: 'ApiError',
      resource,
      evidence,
      message: `KMS v2 provider ${name} uses key ${hash}, but dpbot has no record of when that key first appeared (its first-seen store in Redis could not be read) — cannot judge the key's age`,
    };
  }
  // Hashes recorded on the first scan of this cluster share the earliest time: their real age is unknown.
  const trackingSinceMs = Math.min(
    ...Object.values(firstSeen ?? {}).map((v) => parseTime(v) ?? seenMs),
    seenMs,
  );
  const inheritedKey = seenMs <= trackingSinceMs;
  const { kekMaxAgeMs, kekGraceMs } = settings.encryption;
  const ageMs = Math.max(0, nowMs - seenMs);
  const deadline = new Date(seenMs + kekMaxAgeMs + kekGraceMs).toISOString();
  Object.assign(evidence, {
    ageMs,
    ageIsLowerBound: inheritedKey,
    kekMaxAgeMs,
    kekGraceMs,
    overdueAt: deadline,
    trackingSince: new Date(trackingSinceMs).toISOString(),
  });
  const policy = `kekMaxAge ${formatDuration(kekMaxAgeMs)} + grace ${formatDuration(kekGraceMs)}`;
  if (ageMs > kekMaxAgeMs + kekGraceMs) {
    const atLeast = inheritedKey ? 'at least ' : '';
    return {
      check: CHECK,
      status: 'fail',
      reason: 'KeyRotationOverdue',
      resource,
      evidence,
      message: `KMS v2 provider ${name} has used the same key ${hash} for ${atLeast}${formatDuration(ageMs)} (first seen ${iso(seenMs)}), longer than ${policy} — rotate the key encryption key in the key vault and check that the KMS plugin picks up the new version`,
    };
  }
  const message = inheritedKey
    ? `KMS v2 provider ${name} uses key ${hash}, first seen ${formatDuration(ageMs)} ago when dpbot started watching this cluster; its real age is unknown — it will be overdue if still in use after ${deadline} (${policy})`
    : `KMS v2 provider ${name} rotated to key ${hash} ${formatDuration(ageMs)} ago (first seen ${iso(seenMs)}); next rotation due by ${deadline}`;
  return { check: CHECK, status: 'ok', reason: 'KeyRotated', resource, evidence, message };
}

/** No key id series: KMS v1 (rotation not observable), KMS v2 without those metrics, or no KMS. */
function withoutKeyIds(snapshot: ClusterSnapshot, samples: MetricSample[]): Finding[] {
  const seen = kmsTransformationVersions(samples);
  // What new data is written with decides (the first provider); reads may be of older data.
  const versions: Set<KmsKind> = seen.writes.size > 0 ? seen.writes : seen.reads;
  const probes = snapshot.readyz?.ok ? kmsProbes(parseReadyz(snapshot.readyz.value)) : undefined;
  const evidence: Finding['evidence'] = {
    kmsWrites: [...seen.writes].join(', ') || 'none',
    kmsReads: [...seen.reads].join(', ') || 'none',
    kmsHealthChecks: probes ? probes.checks.map((c) => c.name).join(', ') || 'none' : null,
    automaticReload: probes?.automaticReload ?? null,
  };
  if (versions.has('kms-v2')) {
    return [
      {
        check: CHECK,
        status: 'warn',
        reason: 'KeyRotationNotObservable',
        evidence,
        message:
          "Secrets are written with a KMS v2 plugin, but this API server exposes no apiserver_envelope_encryption_key_id_hash_* metrics (Kubernetes before 1.27 lacks them), so the key's rotation cannot be observed through the Kubernetes API — confirm the rotation schedule in the key vault, or upgrade the control plane",
      },
    ];
  }
  const probedOnly = versions.size === 0 && (probes?.individual.length ?? 0) > 0;
  const minor = serverMinor(samples);
  if (probedOnly && (minor === undefined || minor < 27)) {
    // Before 1.27 KMS v2 probes were named kms-provider-N too: the version is not visible yet.
    return [
      {
        check: CHECK,
        status: 'warn',
        reason: 'KeyRotationNotObservable',
        evidence,
        message: `a KMS plugin is configured (${probes?.individual.map((c) => c.name).join(', ')}) but no Secret went through it since the API server started, and on this API server (${minor === undefined ? 'version unknown' : `1.${minor}`}) that check does not tell KMS v1 from v2 — the key's rotation is not observable until a Secret is written; confirm the rotation schedule in the key vault`,
      },
    ];
  }
  if (versions.has('kms-v1') || probedOnly) {
    const how =
      versions.size > 0
        ? 'Secrets use a KMS v1 plugin (as AKS on Azure Local does)'
        : `a KMS plugin is configured (${probes?.individual.map((c) => c.name).join(', ')}, the per-provider check KMS v1 registers) and no Secret went through it since the API server started`;
    return [
      {
        check: CHECK,
        status: 'ok',
        reason: 'PlatformManagedRotation',
        evidence: { ...evidence, kmsVersions: 'kms-v1' },
        message: `${how}: KMS v1 exposes no key ids, so key rotation cannot be observed through the Kubernetes API — it is managed by the platform; confirm its rotation schedule there`,
      },
    ];
  }
  if (!snapshot.readyz?.ok) return [fetchErrorFinding(CHECK, '/readyz?verbose', snapshot.readyz, WHY)];
  return [];
}

/** The API server's minor version from `kubernetes_build_info{minor="31"}` (`"31+"` on some builds). */
function serverMinor(samples: MetricSample[]): number | undefined {
  const minor = samples.find((s) => s.name === BUILD_INFO)?.labels.minor;
  const n = minor ? Number.parseInt(minor, 10) : Number.NaN;
  return Number.isNaN(n) ? undefined : n;
}

function shortHash(hash: string): string {
  const [algo, hex] = hash.includes(':') ? hash.split(':', 2) : ['', hash];
  return `${algo ? `${algo}:` : ''}${hex.slice(0, 12)}…`;
}

function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
