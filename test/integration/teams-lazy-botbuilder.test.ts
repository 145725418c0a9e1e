/**
 * botbuilder (~50 MB of RSS) loads on first use: a dpbot worker process that has loaded bot/main.ts and
 * wired its chat adapters carries none of it, and its first Teams post still reaches the connector.
 * A real child process (test/support/teams-worker-send.ts), since jest's own module registry would
 * hide what Node loaded.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { ConversationRefStore } from '../../adapters/store/conversation-refs.js';
import { FakeBotConnector } from '../fakes/bot-connector/fake-bot-connector.js';
import { BOT, CHANNEL, TENANT } from '../fakes/bot-connector/teams-activities.js';
import { newRedis, redisUrl, uniquePrefix } from '../support/redis.js';

jest.setTimeout(90_000);

const root = resolve(__dirname, '../..');

interface ChildReport {
  platforms: string[];
  atStart: string[];
  afterSend: number;
  posted?: { platform: string; channel: string; id: string };
}

let redis: Redis;
let connector: FakeBotConnector;

beforeEach(async () => {
  redis = newRedis();
  connector = new FakeBotConnector();
  await connector.start();
});

afterEach(async () => {
  await connector.stop();
  redis.disconnect();
});

async function runWorker(prefix: string): Promise<ChildReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/teams-worker-send.ts'], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: redisUrl(),
      DPBOT_TEST_PREFIX: prefix,
      DPBOT_TEST_CHANNEL: CHANNEL,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`worker exited ${code}:\n${stderr}\n${stdout}`);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildReport;
}

test('a worker wires Teams without loading botbuilder; its first Teams post loads it and is delivered', async () => {
  const prefix = uniquePrefix('teams-lazy');
  // Saved as an earlier install in the web role would have saved it.
  await new ConversationRefStore(redis, { prefix }).save({
    serviceUrl: connector.url,
    channelId: 'msteams',
    conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    bot: BOT,
  });

  const report = await runWorker(prefix);

  expect(report.platforms).toContain('teams');
  expect(report.atStart).toEqual([]);
  // The same check sees botbuilder once it is used: the empty list above is not a blind spot.
  expect(report.afterSend).toBeGreaterThan(0);
  const [sent] = connector.delivered('send');
  expect(sent.conversationId).toBe(CHANNEL);
  expect(JSON.stringify(sent.activity.attachments)).toContain('sent lazily');
  expect(report.posted).toEqual({ platform: 'teams', channel: CHANNEL, id: sent.id });
  expect(connector.delivered()).toHaveLength(1);
});
