import type { MessageRef } from '../../bot/chat-port.js';
import type { UpdateOrder } from '../../jobs/notify-job.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

const TTL_MS = 7 * 24 * 3_600_000;

/** Raises the stored time to ARGV[1] only if it is later (one step, whichever worker delivers). */
const RAISE = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;

/** updated:<platform>:<channel>:<id> = creation time (ms) of the newest update delivered to that message. */
export class RedisUpdateOrder implements UpdateOrder {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private key(ref: MessageRef): string {
    return this.keys.key('updated', ref.platform, ref.channel, ref.id);
  }

  async superseded(ref: MessageRef, createdAt: number): Promise<boolean> {
    const newest = Number((await this.redis.get(this.key(ref))) ?? 0);
    return newest > createdAt;
  }

  async delivered(ref: MessageRef, createdAt: number): Promise<void> {
    await this.redis.eval(RAISE, 1, this.key(ref), String(createdAt), String(TTL_MS));
  }
}
