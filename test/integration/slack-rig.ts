/**
 * A started SlackAdapter on real Bolt against the loopback fake Slack (Web API, response_url, Socket
 * Mode), with the Redis deduper on real Redis: over the shared HTTP server at `url`, or over Socket Mode
 * when `appToken` is given.
 */
import type { Redis } from 'ioredis';
import { SlackAdapter } from '../../adapters/chat/slack/slack-adapter.js';
import type { SlackAdapterOptions } from '../../adapters/chat/slack/slack-options.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { RedisDeduper } from '../../adapters/store/redis-deduper.js';
import { FakeSlackApi } from '../fakes/slack-api/fake-slack-api.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

export interface SlackRig {
  fake: FakeSlackApi;
  redis: Redis;
  adapter: SlackAdapter;
  /** `POST /slack/events` on the shared HTTP server; empty in Socket Mode. */
  url: string;
  stop(): Promise<void>;
}

export async function startSlackRig(
  signingSecret: string,
  options: Partial<SlackAdapterOptions> = {},
): Promise<SlackRig> {
  const fake = new FakeSlackApi();
  await fake.start();
  const redis = newRedis();
  const http = options.appToken ? undefined : new HttpServer();
  const adapter = new SlackAdapter({
    botToken: 'xoxb-test',
    signingSecret,
    http,
    apiUrl: fake.apiUrl,
    deduper: new RedisDeduper(redis, uniquePrefix('slack')),
    proxyEnv: {},
    ...options,
  });
  const port = await http?.listen(0, '127.0.0.1');
  await adapter.start();
  return {
    fake,
    redis,
    adapter,
    url: port ? `http://127.0.0.1:${port}/slack/events` : '',
    stop: async () => {
      // In Socket Mode, wait for the close handshake, else the client waits out its close timer.
      const closed = fake.socketClosed();
      await adapter.stop();
      await closed;
      await http?.close();
      await fake.stop();
      await redis.quit();
    },
  };
}
