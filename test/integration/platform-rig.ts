/**
 * One simulated fleet member per platform of the matrix (test/fixtures/platforms), scanned the way
 * production scans: fake Kubernetes API → real KubeSnapshotCollector (@kubernetes/client-node over
 * HTTPS) → Key Vault metadata through the real SecretClient against the fake vault → KEK first-seen
 * times in real Redis → every check. With `alerts`, the real AlertEngine, BullMQ notify queue and
 * notify processor post to a recording chat sender.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { KeyVaultMetadataSource } from '../../adapters/keyvault/key-vault-metadata-source.js';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAlertStore } from '../../adapters/store/redis-alert-state.js';
import { RedisKekFirstSeen } from '../../adapters/store/redis-kek-first-seen.js';
import { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import { RedisSubscriptions } from '../../adapters/store/redis-subscriptions.js';
import { RedisUpdateWaiters } from '../../adapters/store/redis-update-waiters.js';
import { buildConfig, type DpbotConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { healthyOnPlatform } from '../../demo/scenarios.js';
import { AlertEngine } from '../../jobs/alerts/alert-engine.js';
import { createAlertRefRecorder } from '../../jobs/alerts/alert-ref-recorder.js';
import type { Finding } from '../../jobs/checks/finding.js';
import { KekFirstSeenEnricher } from '../../jobs/kek-first-seen-enricher.js';
import { KeyVaultEnricher } from '../../jobs/keyvault-enricher.js';
import { ChannelPacer, createNotifyProcessor, type NotifyJobData } from '../../jobs/notify-job.js';
import type { Posture } from '../../jobs/posture.js';
import {
  createScanProcessor,
  type PostureListener,
  type ScanJobData,
  type ScanResult,
} from '../../jobs/scan-job.js';
import { FakeKeyVault } from '../fakes/key-vault/fake-key-vault.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import type { Platform } from '../fixtures/platforms/platforms.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { RecordingSender, settled } from './alert-harness.js';

const DAY = 86_400_000;

export interface PlatformRig {
  config: DpbotConfig;
  sender: RecordingSender;
  /** Scans one platform's cluster through the real pipeline; returns every finding (not compacted). */
  scan(cluster: string): Promise<Finding[]>;
  close(): Promise<void>;
}

export async function startPlatformRig(
  platforms: readonly Platform[],
  opts: { clock: { now: () => Date }; alerts?: boolean; scanInterval?: string },
): Promise<PlatformRig> {
  const { clock } = opts;
  const logger = createLogger('silent');
  const kube = await FakeKubeApi.start();
  const vault = await FakeKeyVault.start();
  const redis: Redis = newRedis();
  const prefix = uniquePrefix('platforms');
  const keys = new Keys(prefix);
  const dir = mkdtempSync(join(tmpdir(), 'dpbot-platforms-'));
  const names = platforms.map((p) => p.name);
  kube.writeKubeconfig(join(dir, 'kubeconfig'), names);
  const world = { kube, vault, now: clock.now().getTime() };
  for (const p of platforms) healthyOnPlatform(world, p.name, p.name);

  const kek = new RedisKekFirstSeen(redis, keys);
  for (const p of platforms) {
    // Oldest first: the store keeps the first writer's time, and tracking starts at the oldest entry.
    const seen = Object.entries(p.kekFirstSeenDaysAgo ?? {}).sort(([, a], [, b]) => b - a);
    for (const [hash, days] of seen)
      await kek.recordFirstSeen(p.name, [hash], new Date(world.now - days * DAY));
  }

  const config = buildConfig(
    {
      defaults: { scanInterval: opts.scanInterval ?? '5m' },
      clusters: platforms.map((p) => ({
        name: p.name,
        kubeconfig: join(dir, 'kubeconfig'),
        context: p.name,
        keyVaults: { [`kv-${p.name}`]: vault.url },
        encryption: { attestedStorageClasses: p.attestedStorageClasses ?? [] },
        alerts: { slack: ['C1'], teams: ['19:abc@thread.tacv2'] },
        access: { viewers: ['*'] },
      })),
      keyVault: { verifyChallengeResource: false },
    },
    'test',
  );
  const secretMetadataSource = new KeyVaultMetadataSource({
    credential: {
      getToken: async () => ({ token: vault.token, expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
    verifyChallengeResource: false,
    clientOptions: { tlsOptions: { ca: vault.caCert }, retryOptions: { maxRetries: 0 } },
  });

  const sender = new RecordingSender();
  const notifyQueue = new Queue<NotifyJobData>('notify', { connection: redis, prefix });
  const enqueueNotify = async (data: NotifyJobData, jobId: string) => {
    await notifyQueue.add('notify', data, { jobId });
  };
  const listeners: PostureListener[] = [];
  let worker: Worker | undefined;
  if (opts.alerts) {
    const store = new RedisAlertStore(redis, keys);
    const recorder = createAlertRefRecorder({ store, enqueueNotify, clock, logger });
    worker = new Worker(
      'notify',
      createNotifyProcessor({ slack: sender, teams: sender }, new ChannelPacer(0), recorder),
      { connection: redis, prefix },
    );
    const subscriptions = new RedisSubscriptions(redis, keys);
    listeners.push(new AlertEngine({ store, subscriptions, enqueueNotify, clock, logger }));
  }
  let last: Posture | undefined;
  listeners.push({
    onPosture: async (_cluster, posture) => {
      last = posture;
    },
  });
  const process = createScanProcessor({
    config,
    collector: new KubeSnapshotCollector(),
    enrichers: [
      new KeyVaultEnricher(secretMetadataSource, { dnsSuffix: config.keyVault.dnsSuffix }),
      new KekFirstSeenEnricher(kek, logger),
    ],
    listeners,
    postures: new RedisPostureStore(redis, keys),
    waiters: new RedisUpdateWaiters(redis, keys),
    enqueueNotify,
    clock,
    logger,
  });
  let seq = 0;
  return {
    config,
    sender,
    async scan(cluster) {
      last = undefined;
      await process({ id: `scan-${++seq}`, data: { cluster, trigger: 'schedule' } } as Job<
        ScanJobData,
        ScanResult
      >);
      if (opts.alerts) await settled(notifyQueue);
      // Set by the listener during the scan (TypeScript cannot see that through the closure).
      const posture = last as Posture | undefined;
      if (!posture) throw new Error(`no posture for ${cluster}`);
      return posture.findings;
    },
    async close() {
      await worker?.close();
      await notifyQueue.close();
      await redis.quit();
      await vault.close();
      await kube.close();
    },
  };
}
