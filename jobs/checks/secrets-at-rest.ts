/**
 * secrets-at-rest: are Secrets stored in etcd encrypted by a KMS plugin?
 *
 * Evidence, in order of strength:
 * 1. `/readyz?verbose` — a failing `kms-provider-N` or `kms-providers` line means the API server cannot
 *    encrypt or decrypt through its plugin right now. A passing `kms-providers` proves little: with
 *    automatic reload (AKS on Azure Local, AKS Edge Essentials, K3s ≥ 1.28) it is there for KMS v1, v2
 *    and even for no KMS provider at all (parse-readyz.ts).
 * 2. `/metrics` — `apiserver_storage_transformation_operations_total` by `transformer_prefix`: writes
 *    (`to_storage`) show the provider new Secrets are written with (the first one in the
 *    EncryptionConfiguration); reads (`from_storage`) show what is still stored in etcd.
 * The counters start at zero when the API server starts, and only one API server answers /metrics,
 * so the finding speaks about "since this API server started". No series at all is evidence of "no
 * EncryptionConfiguration" only when /readyz shows no KMS check either; with only an automatic-reload
 * `kms-providers` line it is `EncryptionNotObservable` (warn, never alerts).
 */

import { type PrefixUse, secretTransformations, TRANSFORMATION_OPS } from './encryption-evidence.js';
import { fetchErrorFinding, unreadableMetricsFinding } from './fetch-error.js';
import type { Finding } from './finding.js';
import { parseMetrics } from './parse-metrics.js';
import { type HealthCheckLine, kmsHealthChecks, kmsProbes, parseReadyz } from './parse-readyz.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot } from './snapshot.js';

const CHECK = 'secrets-at-rest';
const WHY = 'which provider encrypts Secrets in etcd';
const REWRITE = 'rewrite them: kubectl get secrets -A -o json | kubectl replace -f -';

export function checkSecretsAtRest(
  snapshot: ClusterSnapshot,
  _now: Date,
  _settings: CheckSettings,
): Finding[] {
  const readyz = snapshot.readyz?.ok ? parseReadyz(snapshot.readyz.value) : undefined;
  const kms = readyz ? kmsHealthChecks(readyz) : [];
  const readyzEvidence = {
    kmsHealthChecks: readyz
      ? kms.map((c) => `${c.name} ${c.ok ? 'ok' : c.detail}`).join('; ') || 'none'
      : null,
  };

  const failing = kms.filter((c) => !c.ok);
  if (failing.length > 0) {
    return [
      {
        check: CHECK,
        status: 'fail',
        reason: 'KmsProviderUnhealthy',
        message: `the API server's KMS health check ${failing.map((c) => c.name).join(', ')} is failing: Secrets cannot be encrypted or decrypted through the KMS plugin — check the plugin pods and their access to the key (kubectl get --raw '/readyz/${failing[0].name}' and the kube-apiserver log)`,
        evidence: readyzEvidence,
      },
    ];
  }

  if (!snapshot.metrics?.ok) {
    const context = kms.length > 0 ? `the KMS health check (${names(kms)}) passes` : '';
    const finding = fetchErrorFinding(CHECK, '/metrics', snapshot.metrics, WHY, context);
    return [{ ...finding, evidence: { ...finding.evidence, ...readyzEvidence } }];
  }

  const unreadable = unreadableMetricsFinding(CHECK, snapshot.metrics.value, WHY);
  if (unreadable) return [{ ...unreadable, evidence: { ...unreadable.evidence, ...readyzEvidence } }];
  const t = secretTransformations(parseMetrics(snapshot.metrics.value, [TRANSFORMATION_OPS]).samples);
  const evidence = {
    ...readyzEvidence,
    transformations: describeUses(t.uses) || 'none',
    perResource: t.perResource,
    unattributed: t.unattributed,
  };
  const base = { check: CHECK, evidence } as const;
  const writers = (kind: PrefixUse['kind']) => t.uses.filter((u) => u.kind === kind && u.writes > 0);
  const readers = (kind: PrefixUse['kind']) => t.uses.filter((u) => u.kind === kind && u.reads > 0);
  const kmsUses = t.uses.filter(
    (u) => (u.kind === 'kms-v1' || u.kind === 'kms-v2') && u.reads + u.writes > 0,
  );

  if (writers('identity').length > 0) {
    return [
      {
        ...base,
        status: 'fail',
        reason: 'NoEncryptionProvider',
        message: `new Secrets are written to etcd unencrypted (${writers('identity')[0].writes} writes with prefix identity since the API server started): identity is the first provider in the EncryptionConfiguration — put a KMS provider first`,
      },
    ];
  }
  const localWriters = writers('local-key');
  if (localWriters.length > 0)
    return [localKey(base, localWriters, 'new Secrets are encrypted with', t.uses)];

  if (kmsUses.length > 0 || readers('identity').length > 0 || readers('local-key').length > 0) {
    const via = kmsUses.length > 0 ? `; new Secrets use ${describeKms(kmsUses)}` : '';
    const plain = readers('identity');
    if (plain.length > 0) {
      return [
        {
          ...base,
          status: 'warn',
          reason: 'PlaintextSecretsInEtcd',
          message: `${plain[0].reads} reads of unencrypted Secrets (prefix identity) since the API server started: etcd still holds plaintext Secrets${via} — ${REWRITE} (the count is cumulative: once they are rewritten it stops growing and clears when the API server restarts)`,
        },
      ];
    }
    const localReaders = readers('local-key');
    if (localReaders.length > 0) {
      const lead =
        kmsUses.length > 0
          ? `new Secrets use ${describeKms(kmsUses)}, but some stored Secrets are still encrypted with`
          : 'Secrets are encrypted with';
      return [localKey(base, localReaders, lead, t.uses)];
    }
    return [
      {
        ...base,
        status: 'ok',
        reason: 'KmsEncryption',
        message: `Secrets are encrypted at rest by ${describeKms(kmsUses)}${kms.length > 0 ? ` and its health check (${names(kms)}) passes` : ''}`,
      },
    ];
  }

  // Series with resource="" (reads outside a request) may be Secrets: only named other resources prove it.
  if (t.perResource && t.anySeries && !t.unattributed) {
    return [
      {
        ...base,
        status: 'fail',
        reason: 'NoEncryptionProvider',
        message: `the EncryptionConfiguration encrypts other resources but not Secrets (no transformation with resource="secrets" since the API server started) — add secrets to it with a KMS provider first`,
      },
    ];
  }
  return [noSeries(snapshot, kms, evidence)];
}

/** No Secret went through a transformer since the API server started. */
function noSeries(snapshot: ClusterSnapshot, kms: HealthCheckLine[], evidence: Finding['evidence']): Finding {
  const probes = snapshot.readyz?.ok ? kmsProbes(parseReadyz(snapshot.readyz.value)) : undefined;
  if (probes?.provesKms) {
    return {
      check: CHECK,
      // DESIGN §6: KmsEncryption is ok; unknown is only for a check that could not run.
      status: 'ok',
      reason: 'KmsEncryption',
      message: `a KMS plugin is configured and healthy (${names(kms)}); this API server has not read or written a Secret since it started, so its metrics do not show the KMS prefix yet — the next Secret write will`,
      evidence,
    };
  }
  if (probes?.aggregated) {
    return {
      check: CHECK,
      status: 'warn',
      reason: 'EncryptionNotObservable',
      message: `this API server reloads its EncryptionConfiguration automatically, so its kms-providers check passes with or without a KMS plugin, and it has not read or written a Secret since it started: which provider encrypts Secrets is not visible yet — the next Secret write shows it (or check the EncryptionConfiguration on the control plane)`,
      evidence,
    };
  }
  if (!snapshot.readyz?.ok) {
    const f = fetchErrorFinding(
      CHECK,
      '/readyz?verbose',
      snapshot.readyz,
      WHY,
      '/metrics shows no storage transformations',
    );
    return { ...f, evidence: { ...f.evidence, ...evidence } };
  }
  return {
    check: CHECK,
    status: 'fail',
    reason: 'NoEncryptionProvider',
    message:
      'Secrets are stored in etcd unencrypted: /readyz has no KMS health check and the API server records no storage transformations, so it runs without an EncryptionConfiguration — enable KMS encryption of Secrets (an EncryptionConfiguration with a kms provider first)',
    evidence,
  };
}

function localKey(
  base: Pick<Finding<typeof CHECK>, 'check' | 'evidence'>,
  uses: PrefixUse[],
  lead: string,
  all: PrefixUse[],
): Finding<typeof CHECK> {
  // The key's own prefix (`key1:`) is recorded as a separate series beside the provider's.
  const keyNames = all
    .filter((u) => u.kind === 'other' && /^[^:]+:$/.test(u.prefix))
    .map((u) => u.prefix.slice(0, -1));
  const keys = uses
    .map((u) => {
      const name = u.name ?? (keyNames.length > 0 ? keyNames.join(', ') : undefined);
      return `${u.algorithm}${name ? ` key ${name}` : ''}`;
    })
    .join(', ');
  return {
    ...base,
    status: 'warn',
    reason: 'LocalKeyEncryption',
    message: `${lead} a local ${keys} from the EncryptionConfiguration file on the control plane: whoever reads that file can decrypt etcd — use a KMS provider instead and ${REWRITE}`,
  };
}

function describeKms(uses: PrefixUse[]): string {
  return uses
    .map((u) => `KMS ${u.kind === 'kms-v1' ? 'v1' : 'v2'} provider ${u.name ?? '(unnamed)'}`)
    .join(', ');
}

function describeUses(uses: PrefixUse[]): string {
  return uses.map((u) => `${u.prefix} reads=${u.reads} writes=${u.writes} failures=${u.failures}`).join('; ');
}

function names(checks: HealthCheckLine[]): string {
  return checks.map((c) => c.name).join(', ');
}
