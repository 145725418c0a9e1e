/**
 * Teams conversation references in Redis, so proactive posts (alerts, job updates) and card updates
 * still reach Teams after a restart or from another replica. Keyed by conversation id.
 */
import type { RedisClient } from './redis-client.js';

/**
 * The serializable part of a Bot Framework ConversationReference that proactive messaging needs.
 * Declared here (not imported from botbuilder) so the store stays platform-library free.
 */
export interface StoredConversationRef {
  serviceUrl: string;
  channelId: string;
  conversation: {
    id: string;
    conversationType?: string;
    tenantId?: string;
    isGroup?: boolean;
    name?: string;
  };
  bot: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  activityId?: string;
  locale?: string;
}

export interface ConversationRefStoreOptions {
  /** Key prefix shared by all dpbot keys, e.g. `dpbot` or `{dpbot}` on Redis Cluster. */
  prefix: string;
}

export class ConversationRefStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: ConversationRefStoreOptions,
  ) {}

  /** Saves (or refreshes) the reference; a channel thread is saved as its channel. */
  async save(ref: StoredConversationRef): Promise<void> {
    const stored = stripActivity(ref);
    await this.redis.set(this.key(stored.conversation.id), JSON.stringify(stored));
  }

  /** Looks up by conversation id; a thread id (`…;messageid=…`) finds its channel's reference. */
  async get(conversationId: string): Promise<StoredConversationRef | undefined> {
    const json = await this.redis.get(this.key(channelIdOf(conversationId)));
    return json ? (JSON.parse(json) as StoredConversationRef) : undefined;
  }

  /** Forgets the reference (dpbot removed from that team or chat): nothing is posted there any more. */
  async delete(conversationId: string): Promise<void> {
    await this.redis.del(this.key(channelIdOf(conversationId)));
  }

  private key(conversationId: string): string {
    return `${this.options.prefix}:teams:conversation-ref:${conversationId}`;
  }
}

/** `19:abc@thread.tacv2;messageid=169…` (a reply chain) → `19:abc@thread.tacv2` (the channel). */
export function channelIdOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0];
}

/** The reply-chain id of a channel thread conversation id, if any. */
export function threadIdOf(conversationId: string): string | undefined {
  return conversationId.split(';messageid=')[1];
}

// The channel-level ref must not carry the thread or activity it was captured from: a proactive post
// to the channel starts a new post instead of replying to an old one.
function stripActivity(ref: StoredConversationRef): StoredConversationRef {
  const { activityId: _activityId, user: _user, ...rest } = ref;
  return { ...rest, conversation: { ...ref.conversation, id: channelIdOf(ref.conversation.id) } };
}
