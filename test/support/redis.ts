/** Per-test Redis helpers: a unique key prefix per test so tests never see each other's data. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: jest globalSetup starts a private redis-server');
  return url;
}

export function uniquePrefix(name = 't'): string {
  return `dpbot-test-${name}-${randomBytes(4).toString('hex')}`;
}

export function newRedis(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: null });
}
