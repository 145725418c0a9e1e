import { summarizeBackups } from '../../jobs/backup-summaries.js';
import type { Backup, ClusterSnapshot } from '../../jobs/checks/snapshot.js';
import * as b from '../fakes/kube-api/builders.js';
import { emptySnapshot } from '../fixtures/empty-snapshot.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const ago = (minutes: number) => b.isoAgo(minutes, NOW);

function snapshot(...items: Backup[]): ClusterSnapshot {
  return emptySnapshot({ backups: { ok: true, items } }, 'store-042', new Date(NOW));
}
const run = (name: string, startedMinutesAgo: number, o: { created?: number; phase?: string } = {}) =>
  b.backup(name, {
    schedule: 'nightly',
    phase: o.phase,
    creationTimestamp: ago(o.created ?? startedMinutesAgo),
    status: {
      startTimestamp: ago(startedMinutesAgo),
      ...(o.phase === 'InProgress'
        ? { completionTimestamp: undefined }
        : { completionTimestamp: ago(startedMinutesAgo - 5) }),
    },
  });

describe('/dp backups order', () => {
  it('is newest first by startTimestamp, so a Backup re-created by the backup sync keeps its place', () => {
    const list = summarizeBackups(
      snapshot(
        run('nightly-20261101020000', 24 * 24 * 60, { created: 3 }), // synced back 3 minutes ago
        run('nightly-20261125020000', 10 * 60),
        run('nightly-20261124020000', 34 * 60),
      ),
    );
    expect(list.map((s) => s.name)).toEqual([
      'nightly-20261125020000',
      'nightly-20261124020000',
      'nightly-20261101020000',
    ]);
    expect(list[2].at).toBe(ago(24 * 24 * 60 - 5));
  });

  it('places a New backup (no start yet) by its creation', () => {
    const fresh = b.backup('nightly-20261125115500', {
      schedule: 'nightly',
      phase: 'New',
      creationTimestamp: ago(5),
      status: { startTimestamp: undefined, completionTimestamp: undefined, expiration: undefined },
    });
    const list = summarizeBackups(snapshot(run('nightly-20261125020000', 10 * 60), fresh));
    expect(list.map((s) => [s.name, s.phase])).toEqual([
      ['nightly-20261125115500', 'New'],
      ['nightly-20261125020000', 'Completed'],
    ]);
  });
});
