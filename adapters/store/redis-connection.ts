/** dpbot's Redis connection: REDIS_URL / REDIS_CLUSTER_NODES (redis-env.ts), or a private redis-server under ./.dpbot/ (DESIGN §4). */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from '../../bot/errors.js';
import type { Logger } from '../../bot/logger.js';
import type { RedisClient } from './redis-client.js';
import { parseRedisUrl, type RedisTarget, redisTargetFromEnv } from './redis-env.js';
import { type RedisProcess, startRedisServer } from './redis-launcher.js';

export interface RedisEndpoint {
  url: string;
  /** Set when dpbot started its own server; stopped on shutdown. */
  private?: RedisProcess;
}

export async function resolveRedis(
  url: string | undefined,
  logger: Logger,
  dataDir = './.dpbot',
): Promise<RedisEndpoint> {
  if (url) return { url };
  try {
    const proc = await startRedisServer(resolve(dataDir, 'redis'));
    logger.warn(
      { url: proc.url, dir: resolve(dataDir, 'redis') },
      'REDIS_URL is not set: started a private redis-server for this process',
    );
    return { url: proc.url, private: proc };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RedisUnavailableError(
      missing
        ? 'dpbot needs Redis: set REDIS_URL=redis://host:6379, or install redis-server (e.g. `apt-get install redis-server`) so dpbot can start a private one.'
        : `dpbot needs Redis: REDIS_URL is not set and a private redis-server could not start (${(err as Error).message.split('\n')[0]}). Set REDIS_URL=redis://host:6379.`,
    );
  }
}

/**
 * On Redis Cluster every dpbot key (BullMQ's included) must hash to one slot, so Lua scripts and
 * MULTI work: the prefix needs a `{…}` hash tag. A prefix without one is wrapped (`dpbot` → `{dpbot}`).
 */
export function clusterPrefix(prefix: string): string {
  const open = prefix.indexOf('{');
  const close = open >= 0 ? prefix.indexOf('}', open + 1) : -1;
  return close > open + 1 ? prefix : `{${prefix}}`;
}

export interface ClientOptions {
  /** Extra ioredis options for every connection (tests: `connectTimeout`, `lazyConnect`…). */
  redisOptions?: RedisOptions;
}

/** Builds the client for `target`; BullMQ needs `maxRetriesPerRequest: null` on every connection. */
export function createRedisClient(target: RedisTarget, opts: ClientOptions = {}): RedisClient {
  const common: RedisOptions = {
    maxRetriesPerRequest: null,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: { ...target.tls } } : {}),
    ...opts.redisOptions,
  };
  if (!target.cluster) {
    const [{ host, port }] = target.nodes;
    return new Redis({ host, port, ...(target.db ? { db: target.db } : {}), ...common });
  }
  // Nodes announce IPs, but a managed cluster's certificate names the seed host (Azure Cache for
  // Redis: *.redis.cache.windows.net): check every node's certificate against that name.
  const seed = target.nodes[0].host;
  const servername = target.tls && !isIP(seed) ? { servername: seed } : {};
  return new Cluster(target.nodes, {
    redisOptions: { ...common, ...(common.tls ? { tls: { ...common.tls, ...servername } } : {}) },
    // Nodes announce IPs; resolving them again is pointless (and with TLS the seed's name is checked).
    dnsLookup: (address, callback) => callback(null, address),
    slotsRefreshTimeout: 2000,
    // While a replica is promoted (cluster_node_timeout + election) retry instead of failing jobs.
    retryDelayOnClusterDown: 300,
    retryDelayOnFailover: 300,
    maxRedirections: 64,
  });
}

export interface RedisConnection {
  client: RedisClient;
  /** Key prefix to use: the configured one, hash-tagged on Redis Cluster. */
  prefix: string;
  cluster: boolean;
  close(): Promise<void>;
}

/** The one place dpbot connects to Redis (bot/main.ts); without REDIS_URL it starts its own server. */
export async function connectRedis(
  env: NodeJS.ProcessEnv,
  prefix: string,
  logger: Logger,
  dataDir = './.dpbot',
): Promise<RedisConnection> {
  let target = redisTargetFromEnv(env);
  let endpoint: RedisEndpoint | undefined;
  if (!target) {
    endpoint = await resolveRedis(undefined, logger, dataDir);
    target = parseRedisUrl(endpoint.url);
  }
  const client = createRedisClient(target);
  const keyPrefix = target.cluster ? clusterPrefix(prefix) : prefix;
  if (keyPrefix !== prefix)
    logger.warn(
      { prefix: keyPrefix },
      'Redis Cluster: the redis.prefix has no {hash tag}; using it in braces',
    );
  logger.info(
    { cluster: target.cluster, nodes: target.nodes.length, tls: Boolean(target.tls), user: target.username },
    'Redis connection configured',
  );
  return {
    client,
    prefix: keyPrefix,
    cluster: target.cluster,
    close: async () => {
      await client.quit().catch(() => undefined);
      await endpoint?.private?.stop();
    },
  };
}

export type { RedisClient };
