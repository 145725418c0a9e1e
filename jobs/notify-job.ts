/** notify (target, message) → chat adapter; retries, honours Retry-After, ~1 msg/s per channel. */
import { DelayedError, type Job } from 'bullmq';
import type { Conversation, MessageRef, Platform } from '../bot/chat-port.js';
import { RateLimitedError } from '../bot/chat-port.js';
import type { BotMessage } from '../bot/message.js';
import { recordChatSend } from '../bot/metrics.js';
import type { AlertDelivery } from './alerts/alert-state.js';

export const NOTIFY_QUEUE = 'notify';

export type NotifyJobData =
  | { op: 'send'; to: Conversation; message: BotMessage; alert?: AlertDelivery }
  | { op: 'update'; ref: MessageRef; message: BotMessage };
export interface NotifyResult {
  ref?: MessageRef;
}

/** The part of a chat adapter the notify worker uses. */
export interface ChatSender {
  send(to: Conversation, message: BotMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: BotMessage): Promise<void>;
}

/** Spaces sends to one channel about `intervalMs` apart (in-process: one per worker). */
export class ChannelPacer {
  private readonly next = new Map<string, number>();
  constructor(private readonly intervalMs = 1000) {}
  async wait(channel: string): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + this.intervalMs);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** Told where an alert card landed, so later edits and thread replies can find it (jobs/alerts). */
export type AlertSentHook = (delivery: AlertDelivery, ref: MessageRef) => Promise<void>;

export function createNotifyProcessor(
  senders: Partial<Record<Platform, ChatSender>>,
  pacer = new ChannelPacer(),
  onAlertSent?: AlertSentHook,
) {
  return async (job: Job<NotifyJobData, NotifyResult>, token?: string): Promise<NotifyResult> => {
    const target = job.data.op === 'send' ? job.data.to : job.data.ref;
    const sender = senders[target.platform];
    // The platform may be disabled on this replica (e.g. Slack not configured): fail so it is visible.
    if (!sender) throw new Error(`no ${target.platform} adapter is configured on this worker`);
    await pacer.wait(`${target.platform}:${target.channel}`);
    try {
      if (job.data.op === 'send') {
        const ref = await sender.send(job.data.to, job.data.message);
        // A retry after this point would post twice, so recording failures are only logged by the hook.
        recordChatSend(target.platform, 'ok');
        if (job.data.alert) await onAlertSent?.(job.data.alert, ref);
        return { ref };
      }
      await sender.update(job.data.ref, job.data.message);
      recordChatSend(target.platform, 'ok');
      return {};
    } catch (err) {
      recordChatSend(target.platform, err instanceof RateLimitedError ? 'rate_limited' : 'error');
      if (err instanceof RateLimitedError && token) {
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      throw err;
    }
  };
}
