import { summarizeBackups } from '../../jobs/backup-summaries.js';
import type { ClusterSnapshot } from '../../jobs/checks/snapshot.js';
import { backup } from '../fakes/kube-api/builders.js';

const now = new Date('2026-12-03T08:00:00Z');
const snapshotOf = (items: ReturnType<typeof backup>[]) =>
  ({ backups: { ok: true, items } }) as unknown as ClusterSnapshot;

describe('summarizeBackups: duration for /dp chart <cluster>', () => {
  it.each([
    [
      'completed',
      { startTimestamp: '2026-12-03T02:00:00Z', completionTimestamp: '2026-12-03T02:12:30Z' },
      750,
    ],
    [
      'running: counted up to the scan',
      { phase: 'InProgress', startTimestamp: '2026-12-03T07:00:00Z', completionTimestamp: undefined },
      3600,
    ],
    ['never started', { phase: 'New', startTimestamp: undefined, completionTimestamp: undefined }, undefined],
    [
      'completion before start (clock skew)',
      { startTimestamp: '2026-12-03T02:00:00Z', completionTimestamp: '2026-12-03T01:59:00Z' },
      undefined,
    ],
  ])('%s', (_name, status, durationS) => {
    const b = backup('nightly-1', { schedule: 'nightly' });
    b.status = { ...b.status, ...status } as typeof b.status;
    expect(summarizeBackups(snapshotOf([b]), now)[0].durationS).toBe(durationS);
  });
});
