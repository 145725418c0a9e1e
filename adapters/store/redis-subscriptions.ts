/** `/dp subscribe` routes: one Redis set per cluster of the channels that asked for its alerts. */

import type { Conversation } from '../../bot/chat-port.js';
import type { SubscriptionStore } from '../../jobs/alerts/alert-state.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** Only the channel: alerts start their own threads. */
const member = (to: Conversation) =>
  JSON.stringify({ platform: to.platform, channel: to.channel, ...(to.team ? { team: to.team } : {}) });

export class RedisSubscriptions implements SubscriptionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private set(cluster: string): string {
    return this.keys.key('subscriptions', cluster);
  }

  async list(cluster: string): Promise<Conversation[]> {
    const members = await this.redis.smembers(this.set(cluster));
    return members.sort().map((m) => JSON.parse(m) as Conversation);
  }

  async add(cluster: string, to: Conversation): Promise<boolean> {
    return (await this.redis.sadd(this.set(cluster), member(to))) === 1;
  }

  async remove(cluster: string, to: Conversation): Promise<boolean> {
    return (await this.redis.srem(this.set(cluster), member(to))) === 1;
  }
}
