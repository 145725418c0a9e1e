/** CardPoster over the notify queue: a `send` job, awaited for the ref of the message it posted. */
import type { Queue, QueueEvents } from 'bullmq';
import type { Conversation, MessageRef } from '../../bot/chat-port.js';
import type { DpbotConfig } from '../../bot/config.js';
import { findCluster } from '../../bot/config.js';
import type { BotMessage } from '../../bot/message.js';
import { alertTargets } from '../alerts/alert-engine.js';
import type { SubscriptionStore } from '../alerts/alert-state.js';
import type { NotifyJobData, NotifyResult } from '../notify-job.js';
import type { CardPoster } from './scheduled-drill.js';

export class QueueCardPoster implements CardPoster {
  constructor(
    private readonly config: DpbotConfig,
    private readonly subscriptions: SubscriptionStore,
    private readonly notify: Queue<NotifyJobData, NotifyResult>,
    private readonly events: QueueEvents,
    private readonly timeoutMs = 60_000,
  ) {}

  async targets(cluster: string): Promise<Conversation[]> {
    const c = findCluster(this.config, cluster);
    return c ? alertTargets(c, this.subscriptions) : [];
  }

  async post(to: Conversation, message: BotMessage): Promise<MessageRef> {
    const job = await this.notify.add('notify', { op: 'send', to, message });
    const result = await job.waitUntilFinished(this.events, this.timeoutMs);
    if (!result?.ref) throw new Error(`the drill card was not posted to ${to.platform}:${to.channel}`);
    return result.ref;
  }
}
