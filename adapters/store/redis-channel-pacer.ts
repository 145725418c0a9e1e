import type { Pacer } from '../../jobs/notify-job.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/**
 * Takes the channel's next free slot (Redis clock, one step) and returns how long to wait for it:
 * every worker replica shares the schedule, so N workers still post ~1 message per second per channel.
 */
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + interval, 'PX', at - now + interval + 1000)
return at - now`;

export class RedisChannelPacer implements Pacer {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly intervalMs = 1000,
  ) {}

  async wait(channel: string): Promise<void> {
    const waitMs = Number(
      await this.redis.eval(TAKE_SLOT, 1, this.keys.key('pace', channel), this.intervalMs),
    );
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
  }
}
