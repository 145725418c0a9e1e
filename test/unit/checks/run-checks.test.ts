import { CHECK_NAMES, type Finding } from '../../../jobs/checks/finding.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import { CHECKS, clusterStatus, type RegisteredCheck, runChecks } from '../../../jobs/checks/run-checks.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { ClusterSnapshot } from '../../../jobs/checks/snapshot.js';

// ---- small local builder (deliberately independent of test/fakes) ----
const NOW = new Date('2026-11-25T12:00:00Z');
const H = 3_600_000;
const SETTINGS: CheckSettings = {
  backups: { maxAgeMs: 'auto', graceMs: H, partialFailedIs: 'warn', veleroNamespace: 'velero' },
  secretSync: { rotationPollIntervalMs: H, jitterMs: 0, expiryWarningMs: 30 * 24 * H, required: true },
  encryption: { kekMaxAgeMs: 30 * 24 * H, kekGraceMs: 2 * 24 * H, attestedStorageClasses: [] },
  gitops: { required: true },
  drills: { maxAgeMs: 90 * 24 * H, timeoutMs: H, required: true, approvals: 1 },
};

function healthySnapshot(): ClusterSnapshot {
  const iso = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
  return {
    cluster: 'store-042',
    collectedAt: NOW.toISOString(),
    veleroNamespace: 'velero',
    backupStorageLocations: {
      ok: true,
      items: [
        {
          metadata: { name: 'default', namespace: 'velero' },
          status: { phase: 'Available', lastValidationTime: iso(30_000) },
        },
      ],
    },
    schedules: {
      ok: true,
      items: [
        { metadata: { name: 'nightly', namespace: 'velero' }, spec: { schedule: '0 2 * * *', template: {} } },
      ],
    },
    backups: {
      ok: true,
      items: [
        {
          metadata: {
            name: 'nightly-1',
            namespace: 'velero',
            labels: { 'velero.io/schedule-name': 'nightly' },
          },
          status: { phase: 'Completed', startTimestamp: iso(10 * H), completionTimestamp: iso(10 * H) },
        },
      ],
    },
    namespaces: { ok: true, items: [] },
    persistentVolumeClaims: { ok: true, items: [{ metadata: { name: 'data', namespace: 'pos' } }] },
  };
}

const GITOPS_REASON = {
  ok: 'GitOpsReady',
  warn: 'GitOpsSuspended',
  fail: 'GitOpsNotReady',
  unknown: 'ApiError',
} as const satisfies Record<Finding['status'], ReasonCode<'gitops'>>;
const finding = (status: Finding['status']): Finding => ({
  check: 'gitops',
  status,
  reason: GITOPS_REASON[status],
  message: 'm',
});

// The Velero checks only: these tests are about the runner, not the other checks' data.
const VELERO = CHECKS.filter((c) => c.name.startsWith('backup-'));

describe('runChecks', () => {
  it('registers every check of DESIGN §6 in report order', () => {
    expect(CHECKS.map((c) => c.name)).toEqual([...CHECK_NAMES]);
  });

  it('given a healthy cluster, then every check reports ok', () => {
    const findings = runChecks(healthySnapshot(), NOW, SETTINGS, VELERO);
    expect(findings.map((f) => [f.check, f.status, f.reason])).toEqual([
      ['backup-location', 'ok', 'BackupLocationAvailable'],
      ['backup-freshness', 'ok', 'BackupFresh'],
      ['backup-coverage', 'ok', 'AllNamespacesCovered'],
    ]);
    expect(clusterStatus(findings)).toBe('ok');
  });

  it('given an unreachable cluster, then one unknown ClusterUnreachable per registered check', () => {
    const snapshot = {
      ...healthySnapshot(),
      unreachable: { reason: 'ClusterUnreachable' as const, message: 'connect ECONNREFUSED' },
    };
    const findings = runChecks(snapshot, NOW, SETTINGS);
    // Off-cluster checks (arc-connectivity, from Azure) still run; without fleet.azure they say nothing.
    const onCluster = CHECKS.filter((c) => !c.offCluster);
    expect(findings).toHaveLength(onCluster.length);
    for (const [i, f] of findings.entries()) {
      expect(f).toMatchObject({ check: onCluster[i].name, status: 'unknown', reason: 'ClusterUnreachable' });
      expect(f.message).toContain('ECONNREFUSED');
    }
    expect(clusterStatus(findings)).toBe('unknown');
  });

  it('given a check that throws, then it yields unknown ApiError naming it and the others still run', () => {
    const checks: RegisteredCheck[] = [
      {
        name: 'gitops',
        run: () => {
          throw new TypeError('boom');
        },
      },
      ...VELERO,
    ];
    const findings = runChecks(healthySnapshot(), NOW, SETTINGS, checks);
    expect(findings[0]).toMatchObject({ check: 'gitops', status: 'unknown', reason: 'ApiError' });
    expect(findings[0].message).toMatch(/check gitops failed unexpectedly \(boom\)/);
    expect(findings.slice(1).map((f) => f.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('given garbage everywhere, then no check throws and nothing is ok', () => {
    const junk = { ok: true, items: [null, 7, { metadata: null }, { metadata: { name: 'x' }, status: [] }] };
    const snapshot = {
      ...healthySnapshot(),
      backupStorageLocations: junk,
      schedules: junk,
      backups: junk,
      persistentVolumeClaims: junk,
      namespaces: junk,
      storageClasses: junk,
      deployments: junk,
      secretSyncs: junk,
      secretProviderClasses: junk,
      gitRepositories: junk,
      kustomizations: junk,
      readyz: { ok: true, value: '<html>proxy</html>' },
      metrics: { ok: true, value: 'garbage{{{ not prometheus' },
      keyVaultSecrets: { kv: junk },
      kekFirstSeen: { x: 'not a date' },
      restoreDrills: junk,
    } as unknown as ClusterSnapshot;
    const findings = runChecks(snapshot, NOW, SETTINGS);
    // arc-connectivity reads Azure, not the cluster: absent without fleet.azure.
    expect(new Set(findings.map((f) => f.check))).toEqual(
      new Set(CHECK_NAMES.filter((c) => c !== 'arc-connectivity')),
    );
    expect(findings.filter((f) => f.message.includes('failed unexpectedly'))).toEqual([]);
    expect(findings.find((f) => f.check === 'backup-location')?.status).toBe('warn');
    expect(findings.find((f) => f.check === 'backup-freshness')?.status).toBe('fail');
  });
});

describe('clusterStatus', () => {
  it.each<[Finding['status'][], string]>([
    [['ok', 'ok'], 'ok'],
    [['ok', 'unknown'], 'unknown'],
    [['unknown', 'warn'], 'warn'],
    [['warn', 'fail', 'ok'], 'fail'],
    [[], 'unknown'],
  ])('%p → %s', (statuses, expected) => {
    expect(clusterStatus(statuses.map(finding))).toBe(expected);
  });
});
