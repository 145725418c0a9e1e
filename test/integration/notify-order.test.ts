/**
 * Updates of one message stay in order through the real BullMQ notify queue: an older update delayed by
 * a 429 (Retry-After) must not land after a newer one — the card would end at "running" after "Completed".
 */
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Keys } from '../../adapters/store/keys.js';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { RedisUpdateOrder } from '../../adapters/store/redis-update-order.js';
import { type MessageRef, RateLimitedError } from '../../bot/chat-port.js';
import { type BotMessage, textMessage } from '../../bot/message.js';
import {
  ChannelPacer,
  type ChatSender,
  createNotifyProcessor,
  type NotifyJobData,
  type NotifyResult,
} from '../../jobs/notify-job.js';
import { newRedisClient, uniquePrefix } from '../support/redis.js';

let redis: RedisClient;
let eventsRedis: RedisClient;
let workerRedis: RedisClient;
let queue: Queue<NotifyJobData, NotifyResult>;
let events: QueueEvents;
let worker: Worker<NotifyJobData, NotifyResult>;
const prefix = uniquePrefix('notify-order');
const ref: MessageRef = { platform: 'slack', channel: 'C1', id: '1700000000.000100' };

/** Shows every update; the first attempt of "running" is rate limited for 400 ms. */
const shown: string[] = [];
let limited = false;
const sender: ChatSender = {
  send: async () => ref,
  update: async (_ref: MessageRef, message: BotMessage) => {
    if (message.summary === 'running' && !limited) {
      limited = true;
      throw new RateLimitedError(400);
    }
    shown.push(message.summary);
  },
};

beforeAll(async () => {
  redis = newRedisClient();
  queue = new Queue('notify', { connection: redis, prefix });
  eventsRedis = newRedisClient();
  workerRedis = newRedisClient();
  events = new QueueEvents('notify', { connection: eventsRedis, prefix });
  await events.waitUntilReady();
  worker = new Worker(
    'notify',
    createNotifyProcessor(
      { slack: sender },
      new ChannelPacer(0),
      undefined,
      new RedisUpdateOrder(redis, new Keys(prefix)),
    ),
    { connection: workerRedis, prefix },
  );
});

afterAll(async () => {
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all([redis.quit(), eventsRedis.quit(), workerRedis.quit()]);
});

it('drops an older update that a 429 delayed behind a newer one of the same message', async () => {
  const running = await queue.add('notify', { op: 'update', ref, message: textMessage('running') });
  await new Promise((r) => setTimeout(r, 20));
  const done = await queue.add('notify', { op: 'update', ref, message: textMessage('Completed') });
  await done.waitUntilFinished(events, 5000);
  const late = await running.waitUntilFinished(events, 5000);
  expect(limited).toBe(true);
  expect(late).toEqual({ superseded: true });
  expect(shown).toEqual(['Completed']);
});
