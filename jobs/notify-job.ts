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
  /** The update was dropped: a newer one of the same message had been delivered. */
  superseded?: boolean;
}

/** The part of a chat adapter the notify worker uses. */
export interface ChatSender {
  send(to: Conversation, message: BotMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: BotMessage): Promise<void>;
}

/** Spaces sends to one channel about `intervalMs` apart. */
export interface Pacer {
  wait(channel: string): Promise<void>;
}

/** In-process pacing (tests, a single worker); production paces through Redis (RedisChannelPacer). */
export class ChannelPacer implements Pacer {
  private readonly next = new Map<string, number>();
  constructor(private readonly intervalMs = 1000) {}
  async wait(channel: string): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next.get(channel) ?? 0);
    this.next.set(channel, at + this.intervalMs);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/**
 * Keeps updates of one message in order: a 429 (Retry-After) or a retry delays an update, and without
 * this the delayed older one would land after a newer one (a card left at "running" after "Completed").
 */
export interface UpdateOrder {
  /** True when an update created later than `createdAt` was already delivered to `ref`. */
  superseded(ref: MessageRef, createdAt: number): Promise<boolean>;
  delivered(ref: MessageRef, createdAt: number): Promise<void>;
}

/** Told where an alert card landed, so later edits and thread replies can find it (jobs/alerts). */
export type AlertSentHook = (delivery: AlertDelivery, ref: MessageRef) => Promise<void>;

export function createNotifyProcessor(
  senders: Partial<Record<Platform, ChatSender>>,
  pacer: Pacer = new ChannelPacer(),
  onAlertSent?: AlertSentHook,
  order?: UpdateOrder,
) {
  return async (job: Job<NotifyJobData, NotifyResult>, token?: string): Promise<NotifyResult> => {
    const target = job.data.op === 'send' ? job.data.to : job.data.ref;
    const sender = senders[target.platform];
    // The platform may be disabled on this replica (e.g. Slack not configured): fail so it is visible.
    if (!sender) throw new Error(`no ${target.platform} adapter is configured on this worker`);
    if (job.data.op === 'update' && (await order?.superseded(job.data.ref, job.timestamp)))
      return { superseded: true };
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
      await order?.delivered(job.data.ref, job.timestamp);
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
