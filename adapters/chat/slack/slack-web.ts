/**
 * Outbound Slack calls: Web API through WebClient, and `response_url` posts. Rate limits surface as
 * RateLimitedError (WebClient's own blocking 429 retries and 5xx retries are off: the notify job retries
 * with backoff instead of a worker sleeping inside the client).
 */
import { webApi } from '@slack/bolt';
import type { Conversation, MessageRef } from '../../../bot/chat-port.js';
import { RateLimitedError } from '../../../bot/chat-port.js';
import type { MessageImage } from '../../../bot/message.js';
import type { FetchFunction } from './proxy-fetch.js';
import type { SlackPayload } from './render.js';
import { FILE_REF, uploadImage } from './slack-upload.js';

/** Refs to messages only reachable through their response_url (DMs, channels the bot is not in). */
const RESPONSE_URL_REF = 'response_url:';

export function responseUrlRef(conversation: Conversation, responseUrl: string): MessageRef {
  return { ...conversation, id: `${RESPONSE_URL_REF}${responseUrl}` };
}

/** The response_url of a ref, or undefined for a ts ref. The URL is a credential: never log a ref's id. */
export function responseUrlOf(ref: MessageRef): string | undefined {
  return ref.id.startsWith(RESPONSE_URL_REF) ? ref.id.slice(RESPONSE_URL_REF.length) : undefined;
}

/** Web API errors that mean "the bot cannot post here", where the response_url still works. */
export const CANNOT_POST_HERE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);

export type ResponseBody = Partial<SlackPayload> & {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
};

export function webClientOptions(
  apiUrl: string | undefined,
  fetch: FetchFunction | undefined,
): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
    ...(fetch ? { fetch } : {}),
  };
}

export class SlackWeb {
  constructor(
    readonly client: webApi.WebClient,
    private readonly fetchFn: FetchFunction = globalThis.fetch,
  ) {}

  async post(to: Conversation, payload: SlackPayload, image?: MessageImage): Promise<MessageRef> {
    if (image) return this.postImage(to, payload, image);
    const res = await call(() =>
      this.client.chat.postMessage({ channel: to.channel, thread_ts: to.thread, ...payload }),
    );
    return {
      platform: 'slack',
      channel: res.channel ?? to.channel,
      thread: to.thread,
      team: to.team,
      id: res.ts!,
    };
  }

  /**
   * The picture with the message's blocks. Where the upload is refused (no `files:write`, the bot not in
   * the channel — chat:write.public may still post there —, a file error) the text goes out alone and
   * says why, so the answer is never lost; rate limits are left to the caller's retry.
   */
  private async postImage(to: Conversation, payload: SlackPayload, image: MessageImage): Promise<MessageRef> {
    try {
      return await call(() => uploadImage(this.client, to, payload, image));
    } catch (err) {
      if (err instanceof RateLimitedError) throw err;
      const code = slackErrorCode(err);
      const why =
        code === 'missing_scope'
          ? 'dpbot lacks the files:write scope'
          : code === 'not_in_channel'
            ? 'invite dpbot to this channel for pictures'
            : (code ?? 'upload failed');
      const note = {
        type: 'context' as const,
        elements: [{ type: 'mrkdwn' as const, text: `picture not uploaded (${why})` }],
      };
      return this.post(to, { ...payload, blocks: [...payload.blocks, note] });
    }
  }

  async postEphemeral(to: Conversation, user: string, payload: SlackPayload): Promise<void> {
    await call(() =>
      this.client.chat.postEphemeral({ channel: to.channel, user, thread_ts: to.thread, ...payload }),
    );
  }

  async update(ref: MessageRef, payload: SlackPayload): Promise<void> {
    const url = responseUrlOf(ref);
    if (url) return this.respond(url, { replace_original: true, ...payload });
    if (ref.id.startsWith(FILE_REF)) throw new Error('a picture message cannot be edited');
    await call(() => this.client.chat.update({ channel: ref.channel, ts: ref.id, ...payload }));
  }

  /** POSTs to a response_url (valid 30 min, 5 uses). Errors never include the URL. */
  async respond(responseUrl: string, body: ResponseBody): Promise<void> {
    const res = await this.fetchFn(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 429) throw new RateLimitedError(retryAfterMs(res.headers.get('retry-after')));
    const text = await res.text();
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
    const parsed = safeJson(text);
    if (parsed && parsed.ok === false) throw new Error(`response_url answered error ${String(parsed.error)}`);
  }

  async groupMembers(usergroup: string): Promise<string[]> {
    const res = await call(() => this.client.usergroups.users.list({ usergroup }));
    return res.users ?? [];
  }
}

/** Slack error code of a Web API platform error (`not_in_channel`…), else undefined. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e?.code === webApi.ErrorCode.PlatformError ? e.data?.error : undefined;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; retryAfter?: number };
    if (e?.code === webApi.ErrorCode.RateLimitedError) throw new RateLimitedError((e.retryAfter ?? 1) * 1000);
    throw err;
  }
}

function retryAfterMs(header: string | null): number {
  const sec = Number.parseInt(header ?? '', 10);
  return (Number.isNaN(sec) ? 1 : sec) * 1000;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // response_url answers plain "ok" in some cases
  }
}
