/**
 * Shared setup of the operations tests (metrics, logging): the real bot on real Redis and BullMQ,
 * reading demo clusters from the fake Kubernetes API, with scans run on demand through the queue.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Queue, QueueEvents } from 'bullmq';
import { buildConfig, type DpbotConfig } from '../../bot/config.js';
import type { Logger } from '../../bot/logger.js';
import { type Dpbot, type Role, startDpbot } from '../../bot/main.js';
import { scenarios } from '../../demo/scenarios.js';
import type { ScanJobData, ScanResult } from '../../jobs/scan-job.js';
import { SCAN_QUEUE } from '../../jobs/scan-job.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

export interface OpsHarness {
  fake: FakeKubeApi;
  config: DpbotConfig;
  bot: Dpbot;
  /** Runs one scan through the scan queue and waits for its result. */
  scan(cluster: string, jobId: string): Promise<ScanResult>;
  startRole(role: Role, env?: NodeJS.ProcessEnv): Promise<Dpbot>;
  close(): Promise<void>;
}

/** `healthy` and `stale` clusters; alerts open after one failing scan. */
export async function startOpsHarness(logger: Logger, env: NodeJS.ProcessEnv = {}): Promise<OpsHarness> {
  const fake = await FakeKubeApi.start();
  const now = Date.now();
  scenarios.healthy(fake, 'store-ok', now);
  scenarios['stale-backup'](fake, 'store-stale', now);
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-ops-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, ['store-ok', 'store-stale']);
  const config = buildConfig(
    {
      defaults: { alerts: { openAfter: 1, renotifyAfter: '4h' } },
      clusters: ['store-ok', 'store-stale'].map((name) => ({ name, kubeconfig, context: name })),
      redis: { prefix: uniquePrefix('ops') },
    },
    'test',
  );
  const bots: Dpbot[] = [];
  const startRole = async (role: Role, extra: NodeJS.ProcessEnv = {}) => {
    const stdin = new PassThrough();
    const b = await startDpbot({
      config,
      role,
      env: { REDIS_URL: redisUrl(), DPBOT_SHELL_USER: 'tester', PORT: '0', ...env, ...extra },
      logger,
      stdin,
      stdout: new PassThrough(),
    });
    bots.push(b);
    return b;
  };
  const bot = await startRole('all');
  const connection = { url: redisUrl() };
  const queue = new Queue<ScanJobData, ScanResult>(SCAN_QUEUE, { connection, prefix: config.redisPrefix });
  const events = new QueueEvents(SCAN_QUEUE, { connection, prefix: config.redisPrefix });
  await events.waitUntilReady();
  return {
    fake,
    config,
    bot,
    startRole,
    async scan(cluster, jobId) {
      const job = await queue.add('scan', { cluster, trigger: 'command' }, { jobId });
      return job.waitUntilFinished(events, 20_000);
    },
    async close() {
      for (const b of bots) await b.stop();
      await events.close();
      await queue.close();
      await fake.close();
    },
  };
}
