import type { KekFirstSeenStore } from '../../jobs/kek-first-seen-enricher.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/**
 * `kek-first-seen:<cluster>` is a hash: field = key id hash, value = ISO time first seen. HSETNX in
 * one MULTI with the read, so concurrent scans (several workers) keep the earliest writer's time.
 * Retired hashes stay: one a month per cluster is a few hundred bytes a year, and kek-rotation uses
 * the oldest entry to know when tracking began.
 */
export class RedisKekFirstSeen implements KekFirstSeenStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async recordFirstSeen(
    cluster: string,
    keyIdHashes: readonly string[],
    at: Date,
  ): Promise<Record<string, string>> {
    const key = this.keys.key('kek-first-seen', cluster);
    const tx = this.redis.multi();
    for (const hash of keyIdHashes) tx.hsetnx(key, hash, at.toISOString());
    tx.hgetall(key);
    const results = await tx.exec();
    if (!results) throw new Error(`transaction on ${key} was aborted`);
    const [err, all] = results[results.length - 1];
    if (err) throw err;
    return (all ?? {}) as Record<string, string>;
  }
}
