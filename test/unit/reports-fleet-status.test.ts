import { renderSlack } from '../../adapters/chat/slack/render.js';
import { CARD_SIZE_LIMIT, cardBytes, renderCard } from '../../adapters/chat/teams/render.js';
import { DETAILED_CLUSTERS, statusReport } from '../../bot/reports.js';
import type { CheckName, Finding } from '../../jobs/checks/finding.js';
import { REASON_CODES } from '../../jobs/checks/reason-codes.js';
import type { Posture } from '../../jobs/posture.js';
import { slackLimitViolations } from '../golden/slack/within-slack-limits.js';

const now = new Date('2026-11-27T05:00:00Z');
/** The first code of a check's list is its ok code. */
const okFinding = <C extends CheckName>(check: C): Finding<C> => ({
  check,
  status: 'ok',
  reason: REASON_CODES[check][0],
  message: 'a long enough explanation of why this control is fine on this cluster',
});
const stale: Finding = {
  check: 'backup-freshness',
  status: 'fail',
  reason: 'BackupStale',
  message: 'newest Completed backup nightly-20261123020000 is 4d old (max 2d1h)',
  resource: 'velero/nightly',
};

function fleet(n: number, failing: number[]) {
  const names = Array.from({ length: n }, (_, i) => `store-${String(i).padStart(4, '0')}`);
  const postures = new Map<string, Posture>(
    names.map((c, i) => [
      c,
      {
        cluster: c,
        status: failing.includes(i) ? 'fail' : 'ok',
        findings: [
          okFinding('backup-location'),
          okFinding('secret-sync'),
          okFinding('gitops'),
          ...(failing.includes(i) ? [stale] : [okFinding('backup-freshness')]),
        ],
        scannedAt: '2026-11-27T04:58:00Z',
        durationMs: 500,
        backups: [],
      },
    ]),
  );
  return { names, postures };
}

describe('/dp status all on a fleet', () => {
  it.each([100, 1000])(
    '%i clusters: worst first, every problem named, within Slack and Teams limits',
    (n) => {
      const { names, postures } = fleet(n, [50, 77]);
      const msg = statusReport(names, postures, now, { updating: true });
      expect(msg.summary).toBe(`${n} clusters: fail — 2 fail, ${n - 2} ok`);
      const table = msg.sections[0];
      if (table.type !== 'table') throw new Error('table first');
      expect(table.rows.slice(0, 2).map((r) => r.slice(0, 2))).toEqual([
        ['store-0050', 'fail'],
        ['store-0077', 'fail'],
      ]);
      const problems = msg.sections.find((s) => s.type === 'findings');
      expect(problems?.type === 'findings' && problems.findings.map((f) => f.message)).toEqual([
        `store-0050: ${stale.message}`,
        `store-0077: ${stale.message}`,
      ]);
      expect(slackLimitViolations(renderSlack(msg))).toEqual([]);
      expect(JSON.stringify(renderSlack(msg))).toContain('store-0077');
      const card = renderCard(msg);
      expect(cardBytes(card)).toBeLessThanOrEqual(CARD_SIZE_LIMIT);
      expect(JSON.stringify(card)).toContain('store-0077: newest Completed backup');
    },
  );

  it(`up to ${DETAILED_CLUSTERS} clusters keep every finding of every cluster`, () => {
    const { names, postures } = fleet(3, [1]);
    const msg = statusReport(names, postures, now);
    const findings = msg.sections.flatMap((s) => (s.type === 'findings' ? s.findings : []));
    expect(findings).toHaveLength(12);
    expect(msg.sections[0]).toMatchObject({ type: 'text', text: 'store-0000: ok (4 ok)' });
  });
});
