/**
 * The platform matrix (issue 14): every platform dpbot runs on, served by the fake Kubernetes API from
 * its real-shaped fixtures, scanned by the real collector and every check. The whole posture is asserted
 * (every finding's check, status and reason), and no healthy platform may yield a single `unknown`.
 */
import { parseMetrics } from '../../jobs/checks/parse-metrics.js';
import { PLATFORMS, type Platform, platformFile, platformStorage } from '../fixtures/platforms/platforms.js';
import { type PlatformRig, startPlatformRig } from './platform-rig.js';

type Row = [check: string, status: string, reason: string];

/** What the healthy workload every platform runs (Velero, Secret Store extension, Flux) gives. */
const WORKLOAD: Row[] = [
  ['backup-location', 'ok', 'BackupLocationAvailable'],
  ['backup-freshness', 'ok', 'BackupFresh'],
  ['backup-coverage', 'ok', 'AllNamespacesCovered'],
  ['secret-sync', 'ok', 'SecretSynced'],
  ['secret-sync', 'ok', 'SecretSynced'],
  ['secret-freshness', 'ok', 'SecretInSync'],
  ['secret-freshness', 'ok', 'SecretInSync'],
  ['secret-expiry', 'ok', 'SecretNotExpiring'],
  ['secret-expiry', 'ok', 'SecretNotExpiring'],
  ['gitops', 'ok', 'GitOpsReady'],
  ['gitops', 'ok', 'GitOpsReady'],
  // The rig runs no Pods outside system namespaces, so data in transit is not at stake.
  ['transit-encryption', 'ok', 'TransitNotRequired'],
];

function expectedPosture(p: Platform): Row[] {
  const rows: Row[] = [...WORKLOAD];
  for (const check of ['secrets-at-rest', 'kek-rotation', 'volume-encryption'] as const) {
    const e = p.expect[check];
    if (e) rows.push([check, ...e]);
  }
  return rows.sort((a, b) => a.join('/').localeCompare(b.join('/')));
}

const NOW = new Date();
let rig: PlatformRig;

beforeAll(async () => {
  rig = await startPlatformRig(PLATFORMS, { clock: { now: () => NOW } });
});
afterAll(async () => {
  await rig?.close();
});

describe('platform matrix', () => {
  it.each(PLATFORMS.map((p) => [p.name, p] as const))('%s: the whole posture', async (_name, p) => {
    const findings = await rig.scan(p.name);
    const got = findings
      .map((f): Row => [f.check, f.status, f.reason])
      .sort((a, b) => a.join('/').localeCompare(b.join('/')));
    expect(got).toEqual(expectedPosture(p));
    if (p.healthy) expect(findings.filter((f) => f.status === 'unknown')).toEqual([]);
    // Nothing in a message claims what the platform does not have.
    const atRest = findings.find((f) => f.check === 'secrets-at-rest');
    if (p.expect['kek-rotation'] === null) expect(atRest?.message).not.toMatch(/KMS v[12] provider/);
  });

  it('covers the platforms issue 14 names, healthy ones included', () => {
    expect(PLATFORMS.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'aks-azure-local',
        'aks-edge-essentials',
        'k3s-secrets-encryption',
        'kubeadm-no-encryption',
        'aks-kms-v2',
        'kms-v2-before-key-ids',
      ]),
    );
    expect(PLATFORMS.filter((p) => p.healthy).length).toBeGreaterThanOrEqual(5);
  });

  it.each(PLATFORMS.map((p) => [p.name, p] as const))(
    '%s: the fixtures agree with each other (version, build info, storage)',
    (_name, p) => {
      const version = JSON.parse(platformFile(p.name, 'version.json')) as { gitVersion: string };
      const build = parseMetrics(platformFile(p.name, 'metrics.txt'), ['kubernetes_build_info']).samples;
      expect(build.map((s) => s.labels.git_version)).toEqual([version.gitVersion]);
      const storage = platformStorage(p.name);
      for (const o of storage) expect(['StorageClass', 'CSIDriver']).toContain(o.kind);
      if (p.pvcClass) expect(storage.map((o) => o.metadata.name)).toContain(p.pvcClass);
      expect(platformFile(p.name, 'SOURCE.md')).toMatch(/readyz-verbose\.txt[\s\S]*metrics\.txt/);
    },
  );
});
