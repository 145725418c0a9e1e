/**
 * DeliveryDeduper on Redis: one `SET NX PX` per delivery, shared by every web replica; Slack and Teams
 * each under their own keys (`<prefix>:slack:delivery:…`, `<prefix>:teams:delivery:…`).
 */
import type { Redis } from 'ioredis';
import type { DeliveryDeduper } from '../../bot/chat-port.js';

export class RedisDeduper implements DeliveryDeduper {
  constructor(
    private readonly redis: Pick<Redis, 'set'>,
    /** Key prefix, e.g. `dpbot`; use a `{dpbot}` hash tag on Redis Cluster. */
    private readonly prefix: string,
    /** Whose deliveries these are; part of the key. @defaultValue `slack` */
    private readonly platform: 'slack' | 'teams' = 'slack',
  ) {}

  async firstTime(key: string, ttlMs: number): Promise<boolean> {
    const res = await this.redis.set(
      `${this.prefix}:${this.platform}:delivery:${key}`,
      '1',
      'PX',
      ttlMs,
      'NX',
    );
    return res === 'OK';
  }
}
