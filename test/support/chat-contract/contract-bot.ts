/**
 * The bot every contract driver talks to: `startDpbot` itself (the production wiring of adapters,
 * router, stores, queues and workers) on real Redis, watching two healthy clusters served by the fake
 * Kubernetes API. alice operates store-1 and only views store-2; approvals need two approvers, so an
 * Approve click counts and starts nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { Conversation } from '../../../bot/chat-port.js';
import { buildConfig } from '../../../bot/config.js';
import { createLogger } from '../../../bot/logger.js';
import { type Dpbot, startDpbot } from '../../../bot/main.js';
import type { BotMessage } from '../../../bot/message.js';
import { scenarios } from '../../../demo/scenarios.js';
import { NOTIFY_QUEUE, type NotifyJobData } from '../../../jobs/notify-job.js';
import { FakeKubeApi } from '../../fakes/kube-api/fake-kube-api.js';
import { redisUrl, uniquePrefix } from '../redis.js';
import type { ContractUser } from './driver.js';

export const CLUSTER = 'store-1';
/** Where alice is a viewer only. */
export const VIEWED_CLUSTER = 'store-2';

export interface ContractBot {
  bot: Dpbot;
  /** Posts `message` to `to` through the notify queue, as alerts and digests are posted. */
  notify(to: Conversation, message: BotMessage): Promise<void>;
  close(): Promise<void>;
}

export async function startContractBot(o: {
  ids: Record<ContractUser, string>;
  env: NodeJS.ProcessEnv;
  /** The shell's streams; other platforms get a shell that never reads a line. */
  stdin?: PassThrough;
  stdout?: Writable;
}): Promise<ContractBot> {
  const kube = await FakeKubeApi.start();
  for (const name of [CLUSTER, VIEWED_CLUSTER]) scenarios.healthy(kube, name, Date.now());
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-contract-')), 'kubeconfig');
  kube.writeKubeconfig(kubeconfig, [CLUSTER, VIEWED_CLUSTER]);
  const config = buildConfig(
    {
      defaults: { approvals: { required: 2 } },
      clusters: [
        {
          name: CLUSTER,
          kubeconfig,
          context: CLUSTER,
          access: { viewers: ['*'], operators: [o.ids.alice], approvers: [o.ids.alice, o.ids.bob] },
        },
        { name: VIEWED_CLUSTER, kubeconfig, context: VIEWED_CLUSTER, access: { viewers: ['*'] } },
      ],
      redis: { prefix: uniquePrefix('contract') },
    },
    'test',
  );
  const stdin = o.stdin ?? new PassThrough();
  const bot = await startDpbot({
    config,
    env: { REDIS_URL: redisUrl(), ...o.env },
    logger: createLogger('silent'),
    stdin,
    stdout: o.stdout ?? new Writable({ write: (_c, _e, done) => done() }),
  });
  const notify = new Queue<NotifyJobData>(NOTIFY_QUEUE, {
    connection: { url: redisUrl() },
    prefix: bot.config.redisPrefix,
  });
  return {
    bot,
    notify: async (to, message) => {
      await notify.add('notify', { op: 'send', to, message });
    },
    async close() {
      stdin.end();
      await notify.close();
      await bot.stop();
      await kube.close();
    },
  };
}
