/** REDIS_URL, or a private redis-server from PATH with its data under ./.dpbot/ (DESIGN §4). */
import { resolve } from 'node:path';
import { RedisUnavailableError } from '../../bot/errors.js';
import type { Logger } from '../../bot/logger.js';
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
