/** The last digest's summary (one JSON value), so the next digest can say what changed. */

import type { DigestStore, DigestSummary } from '../../jobs/digest/digest-summary.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

export class RedisDigestStore implements DigestStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private get key(): string {
    return this.keys.key('digest', 'last');
  }

  async last(): Promise<DigestSummary | undefined> {
    const raw = await this.redis.get(this.key);
    return raw ? (JSON.parse(raw) as DigestSummary) : undefined;
  }

  async save(summary: DigestSummary): Promise<void> {
    await this.redis.set(this.key, JSON.stringify(summary));
  }
}
