/**
 * Run as its own process by test/integration/teams-lazy-botbuilder.test.ts: loads what a dpbot process
 * loads at start (bot/main.ts), wires the chat adapters as a worker does, and prints which botbuilder
 * modules are loaded then, and after one proactive Teams post. botbuilder is CommonJS, so every file of
 * it that is loaded (through import() or require) sits in the CommonJS module cache.
 *
 * Env: REDIS_URL; DPBOT_TEST_PREFIX (redis prefix, where the test saved the conversation ref);
 * DPBOT_TEST_CHANNEL (the Teams conversation to post to).
 */
import { createRequire } from 'node:module';

const cache = createRequire(import.meta.url).cache;
const botbuilderModules = () =>
  Object.keys(cache).filter((path) => path.includes('/node_modules/botbuilder'));

await import('../../bot/main.js');
const { wireChat } = await import('../../bot/wire-chat.js');
const { buildConfig } = await import('../../bot/config.js');
const { loadRuntimeEnv } = await import('../../bot/runtime-env.js');
const { createLogger } = await import('../../bot/logger.js');
const { HttpServer } = await import('../../adapters/http/http-server.js');
const { textMessage } = await import('../../bot/message.js');
const { Redis } = await import('ioredis');

const redis = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
const config = buildConfig(
  { clusters: [{ name: 'store-1' }], redis: { prefix: process.env.DPBOT_TEST_PREFIX } },
  'teams-worker-send',
);
// No chat credentials in the environment: Teams is wired anonymously, as for every dpbot process.
const chat = wireChat({
  env: loadRuntimeEnv({}),
  config,
  role: 'worker',
  redis,
  http: new HttpServer(),
  logger: createLogger('silent'),
});
const platforms = chat.adapters.map((a) => a.platform);
const atStart = botbuilderModules();

const channel = process.env.DPBOT_TEST_CHANNEL ?? '';
const posted = await chat.senders.teams?.send({ platform: 'teams', channel }, textMessage('sent lazily'));
const afterSend = botbuilderModules().length;
redis.disconnect();
process.stdout.write(`${JSON.stringify({ platforms, atStart, afterSend, posted })}\n`);
