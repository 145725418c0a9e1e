/** Audit trail: one capped Redis stream per cluster (XADD MAXLEN ~) plus a JSON log line per event. */

import type { Logger } from '../../bot/logger.js';
import type { AuditEvent, AuditLog } from '../../jobs/approvals/ports.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

export interface RedisAuditOptions {
  /** Approximate cap of each cluster's stream. @defaultValue 10000 */
  maxLen?: number;
}

const FIELDS = ['at', 'cluster', 'actor', 'event', 'what', 'outcome', 'proposal'] as const;

export class RedisAuditLog implements AuditLog {
  private readonly maxLen: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly logger: Logger,
    opts: RedisAuditOptions = {},
  ) {
    this.maxLen = opts.maxLen ?? 10_000;
  }

  async append(e: AuditEvent): Promise<void> {
    const fields = FIELDS.flatMap((f) => (e[f] === undefined ? [] : [f, String(e[f])]));
    this.logger.info({ audit: e }, `audit: ${e.event} ${e.outcome}`);
    await this.redis.xadd(
      this.keys.key('audit', e.cluster),
      'MAXLEN',
      '~',
      String(this.maxLen),
      '*',
      ...fields,
    );
  }

  async latest(cluster: string, limit: number): Promise<AuditEvent[]> {
    const entries = await this.redis.xrevrange(this.keys.key('audit', cluster), '+', '-', 'COUNT', limit);
    return entries.map(([, flat]) => {
      const o: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) o[flat[i]] = flat[i + 1];
      return o as unknown as AuditEvent;
    });
  }
}
