/**
 * restore-verified in the scan (DESIGN §6, §10): the real scan processor reads the cluster through
 * client-node, the drill enricher adds dpbot's drill records from Redis, the pure check judges them,
 * the alert engine opens an alert for RestoreDrillFailed, and a drill's leftovers are retried.
 */
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAlertStore } from '../../adapters/store/redis-alert-state.js';
import { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import { RedisSubscriptions } from '../../adapters/store/redis-subscriptions.js';
import { RedisUpdateWaiters } from '../../adapters/store/redis-update-waiters.js';
import type { BotMessage } from '../../bot/message.js';
import { statusReport } from '../../bot/reports.js';
import { AlertEngine } from '../../jobs/alerts/alert-engine.js';
import type { Finding } from '../../jobs/checks/finding.js';
import { DrillLeftoverRetrier, DrillRecordsEnricher } from '../../jobs/drill/drill-enricher.js';
import type { NotifyJobData } from '../../jobs/notify-job.js';
import { createScanProcessor, type ScanJobData, type ScanResult } from '../../jobs/scan-job.js';
import { uniquePrefix } from '../support/redis.js';
import { text } from './approval-harness.js';
import { type DrillRig, drillConfig, proposeDrill, startDrillRig } from './drill-harness.js';

let rig: DrillRig;
let scan: () => Promise<Finding | undefined>;
let postures: RedisPostureStore;
const notified: NotifyJobData[] = [];
const done = (m: BotMessage) => /Cleaned up|Cleanup incomplete/.test(text(m));

beforeEach(async () => {
  const prefix = uniquePrefix('drill-scan');
  rig = await startDrillRig(drillConfig({ every: '7d', maxAge: '90d' }), { prefix });
  const { h } = rig;
  const keys = new Keys(prefix);
  postures = new RedisPostureStore(h.redis, keys);
  const alerts = new RedisAlertStore(h.redis, keys);
  const subscriptions = new RedisSubscriptions(h.redis, keys);
  await subscriptions.add('store-1', { platform: 'shell', channel: 'ops' });
  const enqueueNotify = async (data: NotifyJobData) => {
    notified.push(data);
  };
  const logger = pino({ level: 'silent' });
  const process = createScanProcessor({
    config: h.config,
    collector: new KubeSnapshotCollector({ logger }),
    enrichers: [new DrillRecordsEnricher(h.drills)],
    listeners: [
      new AlertEngine({ store: alerts, subscriptions, enqueueNotify, clock: h.clock, logger }),
      new DrillLeftoverRetrier(h.drills, h.action),
    ],
    postures,
    waiters: new RedisUpdateWaiters(h.redis, keys),
    enqueueNotify,
    clock: h.clock,
    logger,
  });
  let n = 0;
  scan = async () => {
    const job = { id: `scan-${++n}`, data: { cluster: 'store-1', trigger: 'command' } };
    await process(job as Job<ScanJobData, ScanResult>);
    return (await postures.get('store-1'))?.findings.find((f) => f.check === 'restore-verified');
  };
  notified.length = 0;
});

afterEach(async () => {
  rig.velero.stop();
  await rig.h.close();
});

async function runDrill(scenario: Parameters<DrillRig['velero']['scenario']>[0] = {}) {
  rig.velero.scenario(scenario);
  const { ref, value } = await proposeDrill(rig.h);
  await rig.h.click('bob', 'approve', value, ref);
  await rig.h.chat.waitForCard(ref.id, done);
  return { ref, id: value.id };
}

it('goes NeverVerified → DrillFailed (alert sent) → Verified → VerificationStale', async () => {
  expect(await scan()).toMatchObject({ status: 'warn', reason: 'RestoreNeverVerified' });

  const failed = await runDrill({ phase: 'PartiallyFailed', errors: 1 });
  expect(await scan()).toMatchObject({ status: 'fail', reason: 'RestoreDrillFailed' });
  const posture = await postures.get('store-1');
  const report = JSON.stringify(statusReport(['store-1'], new Map([['store-1', posture!]]), new Date()));
  expect(report).toContain('RestoreDrillFailed');
  expect(report).toContain(failed.id);
  const alert = notified.find(
    (n) => n.op === 'send' && JSON.stringify(n.message).includes('RestoreDrillFailed'),
  );
  expect(alert).toMatchObject({ op: 'send', to: { platform: 'shell', channel: 'ops' } });

  const passed = await runDrill();
  const ok = await scan();
  expect(ok).toMatchObject({ status: 'ok', reason: 'RestoreVerified' });
  expect(ok?.message).toContain(passed.id);
  expect(ok?.message).toContain('recovered in');

  rig.h.clock.offsetMs = 91 * 86_400_000;
  expect(await scan()).toMatchObject({ status: 'warn', reason: 'RestoreVerificationStale' });
});

it('a drill that cannot clean up says so, and the next scan retries its leftovers until they are gone', async () => {
  rig.h.fake.setFault({
    method: 'DELETE',
    pathPrefix: '/api/v1/namespaces/dp-drill-',
    status: 500,
    times: 1,
  });
  const { ref, id } = await runDrill();
  const scratch = `dp-drill-${id}-pos`;
  const card = await rig.h.chat.waitForCard(ref.id, (m) => text(m).includes('Cleanup incomplete'));
  expect(text(card)).toContain(`Namespace ${scratch}`);
  expect(card.tone).toBe('warn'); // the drill passed; the leftovers make it a warning
  const { reply } = await rig.h.command('bob', 'drills store-1');
  expect(text(reply.message)).toContain(`LEFTOVERS: Namespace ${scratch}`);
  const ns = () =>
    rig.h.fake
      .cluster('store-1')
      .list('namespaces')
      .map((n) => n.metadata.name);
  expect(ns()).toContain(scratch);

  await scan(); // the scan's leftover retrier queues the cleanup
  await rig.h.chat.waitForCard(ref.id, (m) => text(m).includes('Cleaned up'));
  expect(ns()).not.toContain(scratch);
  expect(await rig.h.drills.get(id)).toMatchObject({ cleanup: 'done', leftovers: [], cleanupAttempts: 2 });
  expect(await rig.h.drills.withLeftovers('store-1')).toEqual([]);
  const events = (await rig.h.audit.latest('store-1', 5)).map((e) => `${e.event}:${e.outcome}`);
  expect(events[0]).toBe('cleanup:cleaned up on retry 2');
});
