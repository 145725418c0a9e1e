/** One private redis-server for the whole test run, unless REDIS_URL is set. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// globalSetup runs outside jest's module mapper, so load the .ts module by its extension-less path.
const { startRedisServer } =
  require('../../adapters/store/redis-launcher') as typeof import('../../adapters/store/redis-launcher.js');

export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const redis = await startRedisServer(join(tmpdir(), `dpbot-test-redis-${process.pid}`));
  process.env.REDIS_URL = redis.url;
  (globalThis as { __dpbotRedis?: unknown }).__dpbotRedis = redis;
}
