import { statusReport } from '../../bot/reports.js';
import type { Finding } from '../../jobs/checks/finding.js';
import { compactFindings, OK_LINES_PER_REASON, type Posture } from '../../jobs/posture.js';

const synced = (i: number): Finding => ({
  check: 'secret-sync',
  status: 'ok',
  reason: 'SecretSynced',
  message: 'synced',
  resource: `app-${i}/db-password`,
});

function reportOf(findings: Finding[]) {
  const posture: Posture = {
    cluster: 'store-042',
    status: 'fail',
    findings,
    scannedAt: '2026-11-27T03:00:00Z',
    durationMs: 900,
    backups: [],
  };
  const msg = statusReport(
    ['store-042'],
    new Map([['store-042', posture]]),
    new Date('2026-11-27T03:01:00Z'),
  );
  const section = msg.sections.find((s) => s.type === 'findings');
  if (section?.type !== 'findings') throw new Error('no findings section');
  return { summary: msg.summary, findings: section.findings };
}

const findingsOf = (findings: Finding[]) => reportOf(findings).findings;

describe('status report: long runs of identical ok findings', () => {
  it('shows 200 synced secrets as one line with its reason code, and every failing one singly', () => {
    const failing: Finding[] = [1, 2].map((i) => ({
      check: 'secret-sync',
      status: 'fail',
      reason: 'SecretSyncFailed',
      message: 'Key Vault said 403',
      resource: `pos-${i}/api-key`,
    }));
    const fresh: Finding[] = [1, 2, 3].map((i) => ({
      check: 'backup-freshness',
      status: 'ok',
      reason: 'BackupFresh',
      message: `schedule s${i} fresh`,
      resource: `velero/s${i}`,
    }));
    const shown = findingsOf([...Array.from({ length: 200 }, (_, i) => synced(i)), ...failing, ...fresh]);
    expect(shown.filter((f) => f.reason === 'SecretSynced')).toEqual([
      {
        check: 'secret-sync',
        status: 'ok',
        reason: 'SecretSynced',
        count: 200,
        message: '200 ok: app-0/db-password, app-1/db-password, app-2/db-password and 197 more',
      },
    ]);
    expect(shown.filter((f) => f.reason === 'SecretSyncFailed').map((f) => f.resource)).toEqual([
      'pos-1/api-key',
      'pos-2/api-key',
    ]);
    expect(shown.filter((f) => f.reason === 'BackupFresh')).toHaveLength(3);
    expect(shown).toHaveLength(1 + 2 + 3);
  });

  it('counts what a compacted line stands for, stored or not (the posture cache keeps it compact)', () => {
    const all = Array.from({ length: 200 }, (_, i) => synced(i));
    expect(reportOf(all).summary).toBe('store-042: fail — 200 ok');
    const stored = compactFindings(all);
    expect(stored).toHaveLength(1);
    expect(compactFindings(stored)).toEqual(stored);
    expect(reportOf(stored)).toEqual(reportOf(all));
  });

  it(`keeps up to ${OK_LINES_PER_REASON} ok findings of one reason as separate lines`, () => {
    const few = Array.from({ length: OK_LINES_PER_REASON }, (_, i) => synced(i));
    expect(findingsOf(few)).toHaveLength(OK_LINES_PER_REASON);
    expect(findingsOf([...few, synced(99)])).toHaveLength(1);
  });
});
