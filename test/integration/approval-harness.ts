/** Shared parts of the approval tests: real Redis + BullMQ + Router, the fake Kubernetes API, a recording chat. */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { pino } from 'pino';
import { KubeDrillActions } from '../../adapters/kube/drill-actions.js';
import { KubeVeleroActions } from '../../adapters/kube/velero-actions.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisAuditLog } from '../../adapters/store/redis-audit.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { RedisDrillStore } from '../../adapters/store/redis-drills.js';
import { RedisProposalStore } from '../../adapters/store/redis-proposals.js';
import { RedisSubscriptions } from '../../adapters/store/redis-subscriptions.js';
import type { ButtonClick, Conversation, MessageRef, Platform, Reply } from '../../bot/chat-port.js';
import type { Clock } from '../../bot/clock.js';
import { buildConfig, type DpbotConfig } from '../../bot/config.js';
import type { BotMessage } from '../../bot/message.js';
import type { Router } from '../../bot/router.js';
import { createActionProcessor } from '../../jobs/action-job.js';
import { QueueActionRequests } from '../../jobs/approvals/action-requests.js';
import { QueueCardPoster } from '../../jobs/drill/queue-card-poster.js';
import {
  type ChatSender,
  createNotifyProcessor,
  type NotifyJobData,
  type NotifyResult,
} from '../../jobs/notify-job.js';
import { ACTION_QUEUE, type ActionJobData, type ActionResult } from '../../jobs/queues.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';
import { startRouterRig } from '../support/router-rig.js';

/** Records card edits and lets a test await the one it expects. */
export class RecordingChat extends EventEmitter {
  readonly updates: { ref: MessageRef; message: BotMessage }[] = [];
  readonly sent: { ref: MessageRef; message: BotMessage }[] = [];
  async send(to: Conversation, message: BotMessage): Promise<MessageRef> {
    const ref = { ...to, id: `sent-${this.sent.length + 1}` };
    this.sent.push({ ref, message });
    this.emit('sent', ref, message);
    return ref;
  }
  async update(ref: MessageRef, message: BotMessage): Promise<void> {
    this.updates.push({ ref, message });
    this.emit('update', ref, message);
  }
  /** Resolves with the first edit of `refId` (past or future) that satisfies `ok`. */
  waitForCard(refId: string, ok: (m: BotMessage) => boolean, timeoutMs = 20_000): Promise<BotMessage> {
    const seen = this.updates.find((u) => u.ref.id === refId && ok(u.message));
    if (seen) return Promise.resolve(seen.message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('update', on);
        reject(new Error(`no card update of ${refId} matched; last: ${text(this.updates.at(-1)?.message)}`));
      }, timeoutMs);
      const on = (ref: MessageRef, m: BotMessage) => {
        if (ref.id !== refId || !ok(m)) return;
        clearTimeout(timer);
        this.off('update', on);
        resolve(m);
      };
      this.on('update', on);
    });
  }
}

export const text = (m: BotMessage | undefined) => JSON.stringify(m ?? null);

export function approvalConfig(
  opts: { required?: number; expiresAfter?: string; approvers?: string[]; viewers?: string[] } = {},
): DpbotConfig {
  return buildConfig(
    {
      defaults: { approvals: { required: opts.required ?? 1, expiresAfter: opts.expiresAfter ?? '1h' } },
      clusters: [
        {
          name: 'store-1',
          access: {
            viewers: opts.viewers ?? ['*'],
            operators: ['shell:alice', 'shell:dave'],
            approvers: opts.approvers ?? ['shell:alice', 'shell:bob', 'shell:carol'],
          },
        },
      ],
    },
    'test',
  );
}

/** A mutable clock so tests can step past expiresAt without waiting. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export interface Harness {
  fake: FakeKubeApi;
  redis: RedisClient;
  router: Router;
  chat: RecordingChat;
  proposals: RedisProposalStore;
  audit: RedisAuditLog;
  drills: RedisDrillStore;
  subscriptions: RedisSubscriptions;
  clock: TestClock;
  config: DpbotConfig;
  action: Queue<ActionJobData, ActionResult>;
  /** The stores' key builder (its prefix is hash-tagged on Redis Cluster). */
  keys: Keys;
  /** Runs `/dp <text>` as `user`; with `post`, plays the adapter: posts the reply and runs afterPost. */
  command(user: string, text: string): Promise<{ reply: Reply; ref: MessageRef }>;
  click(
    user: string,
    verb: 'approve' | 'reject' | 'backup',
    value: Record<string, string>,
    card: MessageRef,
  ): Promise<Reply>;
  close(): Promise<void>;
}

let refSeq = 0;

export interface HarnessOptions {
  fake?: FakeKubeApi;
  /** Redis/BullMQ prefix. @defaultValue a unique one */
  prefix?: string;
  /** Run the action and notify workers in this process. @defaultValue true */
  workers?: boolean;
  /** Kubeconfig path to write. @defaultValue a temp file */
  kubeconfig?: string;
  /** More chat senders for the notify worker (e.g. a real SlackAdapter). @defaultValue shell only */
  senders?: Partial<Record<Platform, ChatSender>>;
}

export async function startHarness(config: DpbotConfig, opts: HarnessOptions = {}): Promise<Harness> {
  const fake = opts.fake;
  const ownFake = !fake;
  const api = fake ?? (await FakeKubeApi.start());
  const kubeconfig = opts.kubeconfig ?? join(mkdtempSync(join(tmpdir(), 'dpbot-approval-')), 'kubeconfig');
  api.writeKubeconfig(
    kubeconfig,
    config.clusters.map((c) => c.name),
  );
  for (const c of config.clusters) [c.kubeconfig, c.context] = [kubeconfig, c.name];
  const prefix = opts.prefix ?? uniquePrefix('approval');
  const redis = newRedisClient();
  const keys = new Keys(prefix);
  const logger = pino({ level: 'silent' });
  const clock = new TestClock();
  const proposals = new RedisProposalStore(redis, keys);
  const audit = new RedisAuditLog(redis, keys, logger);
  const drills = new RedisDrillStore(redis, keys);
  const chat = new RecordingChat();
  const connection = { connection: redis, prefix };
  const action = new Queue<ActionJobData, ActionResult>(ACTION_QUEUE, {
    ...connection,
    defaultJobOptions: { attempts: 3, backoff: { type: 'fixed', delay: 200 } },
  });
  const notify = new Queue<NotifyJobData, NotifyResult>('notify', connection);
  const actions = new QueueActionRequests(action, notify);
  const subscriptions = new RedisSubscriptions(redis, keys);
  const eventsRedis = redis.duplicate();
  const notifyEvents = new QueueEvents('notify', { connection: eventsRedis, prefix });
  const workers =
    opts.workers === false
      ? []
      : [
          new Worker<ActionJobData, ActionResult>(
            ACTION_QUEUE,
            createActionProcessor({
              config,
              proposals,
              audit,
              velero: new KubeVeleroActions(),
              requests: actions,
              clock,
              logger,
              pollMs: { initial: 50, max: 200 },
              drills: new KubeDrillActions(),
              drillStore: drills,
              cardPoster: new QueueCardPoster(config, subscriptions, notify, notifyEvents),
            }),
            { ...connection, concurrency: 5 },
          ),
          new Worker<NotifyJobData, NotifyResult>(
            'notify',
            createNotifyProcessor({ shell: chat, ...opts.senders }),
            {
              ...connection,
              concurrency: 1,
            },
          ),
        ];
  const rig = startRouterRig({
    redis,
    prefix,
    config,
    clock,
    logger,
    replace: {
      postures: {
        get: async () => undefined,
        getMany: async () => new Map(),
        put: async () => undefined,
      } as never,
      scans: { request: async () => undefined },
      proposals,
      audit,
      actions,
      drills,
      subscriptions,
    },
  });
  const { router } = rig;
  const channel: Conversation = { platform: 'shell', channel: 'ops' };
  const identity = (user: string) => ({ id: `shell:${user}`, groups: [], displayName: user });
  return {
    fake: api,
    redis,
    router,
    chat,
    proposals,
    audit,
    drills,
    subscriptions,
    clock,
    config,
    action,
    keys,
    async command(user, text) {
      const reply = await router.handle({
        platform: 'shell',
        user: identity(user),
        conversation: channel,
        text,
      });
      const ref = { ...channel, id: `m${++refSeq}` };
      await reply.afterPost?.(ref);
      return { reply, ref };
    },
    click(user, verb, value, card) {
      const click: ButtonClick = {
        platform: 'shell',
        user: identity(user),
        conversation: channel,
        message: card,
        verb,
        value,
      };
      return router.handleClick(click);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await action.close();
      await notify.close();
      await notifyEvents.close();
      await eventsRedis.quit();
      await redis.quit();
      if (ownFake) await api.close();
    },
  };
}
