/** Per-test Redis helpers: a unique key prefix per test so tests never see each other's data. */
import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../../adapters/store/redis-client.js';
import { createRedisClient } from '../../adapters/store/redis-connection.js';
import { redisTargetFromEnv } from '../../adapters/store/redis-env.js';

export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: jest globalSetup starts a private redis-server');
  return url;
}

/** `DPBOT_TEST_REDIS=cluster` (jest.cluster.config.cjs): the suites run on a real Redis Cluster. */
export function clusterMode(): boolean {
  return process.env.DPBOT_TEST_REDIS === 'cluster';
}

/** On Redis Cluster the prefix is a `{hash tag}`, like dpbot's own `{dpbot}`, so all keys share a slot. */
export function uniquePrefix(name = 't'): string {
  const prefix = `dpbot-test-${name}-${randomBytes(4).toString('hex')}`;
  return clusterMode() ? `{${prefix}}` : prefix;
}

/** A standalone client; suites that also run on Redis Cluster (jest.cluster.config.cjs) use newRedisClient. */
export function newRedis(): Redis {
  if (clusterMode()) throw new Error('this suite runs on Redis Cluster: use newRedisClient()');
  return new Redis(redisUrl(), { maxRetriesPerRequest: null });
}

/** A client like dpbot's own (adapters/store/redis-connection.ts): Redis, or Cluster in cluster mode. */
export function newRedisClient(): RedisClient {
  if (!clusterMode()) return newRedis();
  const target = redisTargetFromEnv(process.env);
  if (!target?.cluster) throw new Error('DPBOT_TEST_REDIS=cluster needs REDIS_CLUSTER_NODES');
  return createRedisClient(target);
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
