/** One private redis-server for the whole test run, unless REDIS_URL is set. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from './redis-process.js';

export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const redis = await startRedisServer(join(tmpdir(), `dpbot-test-redis-${process.pid}`));
  process.env.REDIS_URL = redis.url;
  (globalThis as { __dpbotRedis?: unknown }).__dpbotRedis = redis;
}
