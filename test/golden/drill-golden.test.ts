/**
 * Golden Slack Block Kit and Teams Adaptive Cards for the drill card (DESIGN §10.5) at its key steps and
 * for `/dp drills`; `npm run test:update-golden` rewrites them. Each must also fit the platform's limits.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSlack } from '../../adapters/chat/slack/render.js';
import { cardBytes, renderCard } from '../../adapters/chat/teams/render.js';
import type { BotMessage } from '../../bot/message.js';
import type { Proposal } from '../../jobs/approvals/proposal.js';
import { drillCard } from '../../jobs/drill/drill-card.js';
import { drillRestoreAction } from '../../jobs/drill/drill-plan.js';
import type { DrillRecord } from '../../jobs/drill/ports.js';
import { cardProblems } from '../unit/teams/card-validator.js';
import { slackLimitViolations } from './slack/within-slack-limits.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const ID = 'k3j9xq2mva';
const { action, mapping } = drillRestoreAction({
  id: ID,
  veleroNamespace: 'velero',
  backup: 'nightly-20261125020000',
  namespaces: ['pos', 'db'],
});
const proposal: Proposal = {
  id: ID,
  kind: 'drill',
  cluster: 'store-042',
  requester: 'slack:T01/U02',
  requesterName: 'alice',
  reason: 'quarterly restore drill',
  action,
  hash: '9f2c1a0b7d3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8',
  createdAt: '2026-11-26T11:50:00Z',
  expiresAt: '2026-11-26T12:50:00Z',
  required: 1,
  preview: { backupAge: '9h58m ago', backupPhase: 'Completed', backupErrors: 0, backupWarnings: 1 },
  card: { platform: 'slack', channel: 'C0123ABCD', id: '1700000000.000100' },
  drill: { namespaces: mapping },
  status: 'pending',
  approvals: [],
};
const record: DrillRecord = {
  id: ID,
  cluster: 'store-042',
  backup: 'nightly-20261125020000',
  namespaces: mapping,
  restoreName: `dp-drill-${ID}`,
  veleroNamespace: 'velero',
  requester: 'slack:T01/U02',
  stage: 'done',
  approvedAt: '2026-11-26T11:52:00Z',
  restorePhase: 'Completed',
  restoreFinishedAt: '2026-11-26T11:54:03Z',
  itemsRestored: 16,
  totalItems: 16,
  warnings: 1,
  errors: 0,
  readyAt: '2026-11-26T11:58:12Z',
  restoreMs: 123_000,
  readyMs: 372_000,
  finishedAt: '2026-11-26T11:58:12Z',
  verdict: 'passed',
  cleanup: 'done',
  leftovers: [],
};
const running = { ...proposal, status: 'running' as const, approvals: ['slack:T01/U03'], created: true };
const samples: Record<string, BotMessage> = {
  'drill-pending': drillCard(proposal, undefined, NOW),
  'drill-verifying': drillCard(running, { ...record, stage: 'verifying', verdict: undefined, cleanup: undefined, verifyProgress: '9/12 ready' }, NOW),
  'drill-passed': drillCard({ ...running, status: 'succeeded' }, record, NOW),
  'drill-failed-leftovers': drillCard(
    { ...running, status: 'failed' },
    {
      ...record,
      restorePhase: 'PartiallyFailed',
      errors: 2,
      readyMs: undefined,
      verdict: 'failed',
      failures: [
        'Restore PartiallyFailed (2 errors)',
        `PVC dp-drill-${ID}-pos/data Pending`,
        `Deployment dp-drill-${ID}-pos/web 0/2 available`,
      ],
      cleanup: 'failed',
      leftovers: [`Namespace dp-drill-${ID}-pos (HTTP 500 : etcdserver: request timed out)`],
    },
    NOW,
  ),
};

const update = process.env.UPDATE_GOLDEN === '1';
function golden(file: string, json: string): void {
  if (update || !existsSync(file)) {
    if (!update) throw new Error(`missing golden ${file}: run npm run test:update-golden`);
    writeFileSync(file, json);
  }
  expect(json).toBe(readFileSync(file, 'utf8'));
}

describe('drill card goldens', () => {
  it.each(Object.keys(samples))('%s renders for Slack and Teams within limits', (name) => {
    const slack = renderSlack(samples[name]);
    golden(join(__dirname, 'slack', `${name}.json`), `${JSON.stringify(slack, null, 2)}\n`);
    expect(slackLimitViolations(slack)).toEqual([]);
    const card = renderCard(samples[name]);
    golden(join(__dirname, 'teams', `${name}.json`), `${JSON.stringify(card, null, 2)}\n`);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(25 * 1024);
  });

  it('only the pending card has buttons, carrying only the id and the hash', () => {
    expect(samples['drill-pending'].buttons?.map((b) => b.value)).toEqual([
      { id: ID, hash: proposal.hash },
      { id: ID, hash: proposal.hash },
    ]);
    for (const n of ['drill-verifying', 'drill-passed', 'drill-failed-leftovers'])
      expect(samples[n].buttons).toBeUndefined();
    expect(JSON.stringify(samples['drill-passed'])).toContain('recovered in 6m12s (Restore 2m3s, all Ready 6m12s)');
  });
});
