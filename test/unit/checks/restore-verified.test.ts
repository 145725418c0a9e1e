import { checkRestoreVerified } from '../../../jobs/checks/restore-verified.js';
import type { CheckSettings, DrillSettings } from '../../../jobs/checks/settings.js';
import type { ClusterSnapshot, Listed } from '../../../jobs/checks/snapshot.js';
import type { DrillRecord } from '../../../jobs/drill/ports.js';
import { ago, apiserverSnapshot, DAY, NOW, SETTINGS } from './apiserver-snapshot.js';

const DRILLS: DrillSettings = { maxAgeMs: 90 * DAY, timeoutMs: 30 * 60_000, required: false, approvals: 1 };

function drill(id: string, daysAgo: number, o: Partial<DrillRecord> = {}): DrillRecord {
  return {
    id,
    cluster: 'store-1',
    backup: 'nightly-1',
    namespaces: { pos: `dp-drill-${id}-pos` },
    restoreName: `dp-drill-${id}`,
    veleroNamespace: 'velero',
    requester: 'shell:alice',
    stage: 'done',
    approvedAt: ago(daysAgo * DAY + 600_000),
    finishedAt: ago(daysAgo * DAY),
    verdict: 'passed',
    readyMs: 312_000,
    ...o,
  };
}

function run(records: Listed<DrillRecord> | undefined, drills: Partial<DrillSettings> | null = {}) {
  const snapshot: ClusterSnapshot = { ...apiserverSnapshot(undefined, undefined), restoreDrills: records };
  const settings = { ...SETTINGS, ...(drills ? { drills: { ...DRILLS, ...drills } } : {}) } as CheckSettings;
  return checkRestoreVerified(snapshot, NOW, settings);
}
const ok = (...items: DrillRecord[]): Listed<DrillRecord> => ({ ok: true, items });

describe('restore-verified', () => {
  it.each([
    ['newest drill passed within maxAge', ok(drill('a', 3)), {}, 'ok', 'RestoreVerified'],
    [
      'newest drill failed (an older one passed)',
      ok(drill('a', 40), drill('b', 2, { verdict: 'failed', failures: ['PVC x Pending'] })),
      {},
      'fail',
      'RestoreDrillFailed',
    ],
    ['newest pass older than maxAge', ok(drill('a', 91)), {}, 'warn', 'RestoreVerificationStale'],
    ['no drill, drills.required', ok(), { required: true }, 'warn', 'RestoreNeverVerified'],
    ['no drill, drills.every set', ok(), { everyMs: 7 * DAY }, 'warn', 'RestoreNeverVerified'],
    [
      'only a running drill, every set',
      ok(drill('r', 0, { stage: 'verifying', verdict: undefined })),
      { everyMs: DAY },
      'warn',
      'RestoreNeverVerified',
    ],
    [
      'records unreadable',
      { ok: false, error: { reason: 'ApiError', message: 'redis down' } } as Listed<DrillRecord>,
      {},
      'unknown',
      'ApiError',
    ],
  ])('%s', (_name, records, drills, status, reason) => {
    const [f, ...rest] = run(records, drills);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ check: 'restore-verified', status, reason });
  });

  it('the newest finished drill counts, whatever the order of the records', () => {
    const [f] = run(ok(drill('old', 10, { verdict: 'failed' }), drill('new', 1)));
    expect(f).toMatchObject({ reason: 'RestoreVerified', evidence: { drill: 'new' } });
    expect(f.message).toContain('recovered in 5m12s');
  });

  it('names what failed', () => {
    const [f] = run(ok(drill('b', 2, { verdict: 'failed', failures: ['PVC dp-drill-b-pos/data Pending'] })));
    expect(f.message).toContain('PVC dp-drill-b-pos/data Pending');
  });

  it('says nothing when drills are neither required nor scheduled and none ran, or records are not collected', () => {
    expect(run(ok())).toEqual([]);
    expect(run(undefined)).toEqual([]);
    expect(run(ok(drill('a', 1)), null)).toEqual([]);
  });
});
