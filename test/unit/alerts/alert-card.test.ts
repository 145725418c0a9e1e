import { alertCard } from '../../../jobs/alerts/alert-message.js';
import type { AlertState } from '../../../jobs/alerts/alert-state.js';

const state: AlertState = {
  key: 'store-042/backup-freshness/velero/nightly',
  cluster: 'store-042',
  check: 'backup-freshness',
  kind: 'finding',
  finding: {
    check: 'backup-freshness',
    status: 'fail',
    reason: 'BackupStale',
    message: 'newest Completed backup nightly-20261123020000 is 4d old (max 2d1h)',
    resource: 'velero/nightly',
  },
  since: '2026-11-27T01:00:00Z',
  consecutive: 3,
  open: true,
  openCount: 1,
  rev: 0,
  targets: [],
  refs: {},
};

describe('alert card', () => {
  it('open: the failing finding with its reason code', () => {
    const card = alertCard(state, new Date('2026-11-27T02:00:00Z'), 'open');
    expect(card.tone).toBe('fail');
    expect(card.sections[0]).toEqual({ type: 'findings', findings: [state.finding] });
  });

  it('resolved: says what it was, with no failing line left on the card', () => {
    const card = alertCard(state, new Date('2026-11-27T03:00:00Z'), 'resolved');
    expect(card.title).toBe('Resolved — store-042: backup-freshness BackupStale');
    expect(card.tone).toBe('ok');
    expect(card.sections.some((s) => s.type === 'findings')).toBe(false);
    expect(card.sections[0]).toEqual({
      type: 'text',
      text: 'Was fail: BackupStale — newest Completed backup nightly-20261123020000 is 4d old (max 2d1h)',
    });
  });
});
