/**
 * Scheduled drills (DESIGN §10): `drills.every` → a BullMQ job scheduler on the action queue → a drill
 * proposal posted to the cluster's alert channel. `drills.approvals: 0` runs it unattended; otherwise
 * an approver clicks as for any drill. Restarts (re-syncs) never propose twice in one interval.
 */
import type { BotMessage } from '../../bot/message.js';
import { DRILL_PROPOSE_JOB, syncDrillSchedulers } from '../../jobs/drill/drill-scheduler.js';
import { waitFor } from './alert-harness.js';
import { text } from './approval-harness.js';
import { type DrillRig, drillConfig, startDrillRig } from './drill-harness.js';

let rig: DrillRig;
const finished = (m: BotMessage) => /Cleaned up|Cleanup incomplete/.test(text(m));

afterEach(async () => {
  rig.velero.stop();
  await rig.h.close();
});

async function proposeRuns(): Promise<string[]> {
  const jobs = await rig.h.action.getJobs(['completed']);
  return jobs.filter((j) => j.name === DRILL_PROPOSE_JOB).map((j) => j.returnvalue?.phase ?? '');
}

it('with drills.approvals: 0 a scheduled drill runs unattended, once per interval across restarts', async () => {
  rig = await startDrillRig(drillConfig({ every: '7d', approvals: 0 }));
  const { h } = rig;
  await h.subscriptions.add('store-1', { platform: 'shell', channel: 'ops' });
  // The schedule's backup holds pos and db: a scheduled drill restores both.
  await syncDrillSchedulers(h.action, h.config.clusters);
  await waitFor('the scheduled drill card', () => h.chat.sent.length === 1, 20_000);
  const [{ ref }] = h.chat.sent;
  expect(ref).toMatchObject({ platform: 'shell', channel: 'ops' });
  const final = await h.chat.waitForCard(ref.id, finished, 30_000);
  expect(text(final)).toContain('Drill PASSED');
  expect(text(final)).toContain('scheduled drill');
  expect(h.chat.updates.filter((u) => u.ref.id === ref.id).some((u) => u.message.buttons?.length)).toBe(
    false,
  );
  const [drill] = await h.drills.latest('store-1', 5);
  expect(drill).toMatchObject({ scheduled: true, verdict: 'passed', requester: 'dpbot' });
  expect(Object.keys(drill.namespaces).sort()).toEqual(['db', 'pos']);
  const proposed = (await h.audit.latest('store-1', 20)).find((e) => e.event === 'proposed');
  expect(proposed?.outcome).toContain('runs unattended');

  // A restart re-syncs the scheduler, which fires again at once: the claim refuses a second drill.
  await h.action.removeJobScheduler('drill:store-1');
  await syncDrillSchedulers(h.action, h.config.clusters);
  await waitFor('the second tick', async () => (await proposeRuns()).length === 2, 20_000);
  expect((await proposeRuns()).sort()).toEqual(['Proposed', 'already proposed this interval']);
  expect(await h.drills.latest('store-1', 5)).toHaveLength(1);
});

it('with drills.approvals: 1 the scheduled drill waits for an approver', async () => {
  rig = await startDrillRig(drillConfig({ every: '30d', approvals: 1 }));
  const { h } = rig;
  await h.subscriptions.add('store-1', { platform: 'shell', channel: 'ops' });
  await syncDrillSchedulers(h.action, h.config.clusters);
  await waitFor('the scheduled drill card', () => h.chat.sent.length === 1, 20_000);
  const [{ ref }] = h.chat.sent;
  const card = await h.chat.waitForCard(ref.id, (m) => Boolean(m.buttons?.length));
  expect(card.title).toContain('approval needed');
  expect(h.fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  await h.click('bob', 'approve', card.buttons![0].value, ref);
  expect(text(await h.chat.waitForCard(ref.id, finished, 30_000))).toContain('Drill PASSED');
});
