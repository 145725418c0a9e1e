/**
 * Connector errors → errors the notify job understands. The connector client (Azure core pipeline)
 * already retried 429/5xx a few times honouring Retry-After; what still fails is thrown on so the
 * job retries later with backoff and nothing is lost.
 */
import { RateLimitedError } from '../../../bot/chat-port.js';
import { DpbotError } from '../../../bot/errors.js';

/** Used when a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

interface HeaderBag {
  get?(name: string): string | undefined;
  [name: string]: unknown;
}

interface RestErrorLike {
  statusCode?: number;
  response?: { status?: number; headers?: HeaderBag };
}

export function statusOf(err: unknown): number | undefined {
  const e = err as RestErrorLike | undefined;
  return e?.statusCode ?? e?.response?.status;
}

export function toOutboundError(err: unknown, action: string): Error {
  const status = statusOf(err);
  const cause = err instanceof Error ? err.message : String(err);
  if (status === 429) return new RateLimitedError(retryAfterMs(err) ?? DEFAULT_RETRY_AFTER_MS);
  if (status !== undefined && status >= 500) {
    return new DpbotError('TeamsUnavailable', `Teams connector answered ${status} while ${action}`, {
      cause: err,
    });
  }
  return new DpbotError('TeamsSendFailed', `while ${action}: ${cause}`, { cause: err });
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as RestErrorLike).response?.headers;
  const raw = headers?.get?.('retry-after') ?? (headers?.['retry-after'] as string | undefined);
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
