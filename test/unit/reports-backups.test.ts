import { backupsTable } from '../../bot/reports.js';

const now = new Date('2026-11-27T05:00:00Z');
const texts = (m: ReturnType<typeof backupsTable>) =>
  m.sections.flatMap((s) => (s.type === 'text' || s.type === 'context' ? [s.text] : []));

describe('/dp backups report', () => {
  it('says the backups could not be listed, never "no backups", when the last scan failed to read them', () => {
    const m = backupsTable(
      'store-043',
      {
        backups: [],
        backupsError: {
          reason: 'ClusterUnreachable',
          message: "cannot reach cluster store-043's API server",
        },
        scannedAt: '2026-11-27T04:59:00Z',
      },
      now,
      { limit: 10 },
    );
    expect(texts(m)[0]).toBe(
      "Cannot list store-043's Velero backups (ClusterUnreachable): cannot reach cluster store-043's API server",
    );
    expect(m.sections[0]).toMatchObject({ tone: 'unknown' });
    expect(texts(m).join('\n')).not.toContain('No backups');
  });

  it('says "No backups found" only after a scan that listed none, and "not scanned yet" before any', () => {
    const scanned = { backups: [], scannedAt: '2026-11-27T04:59:00Z' };
    expect(texts(backupsTable('store-041', scanned, now, { limit: 10 }))[0]).toBe('No backups found.');
    expect(texts(backupsTable('store-041', undefined, now, { limit: 10 }))[0]).toBe(
      'store-041 has not been scanned yet.',
    );
  });
});
