/** The chat-adapter port: Slack, Teams and the shell implement it; nothing else knows a platform. */
import type { BotMessage, ButtonVerb } from './message.js';

export type Platform = 'slack' | 'teams' | 'shell';

/** Where to post: a channel (and optionally a thread in it). Serializable. */
export interface Conversation {
  platform: Platform;
  /** Slack channel id, Teams conversation id, `shell`. */
  channel: string;
  /** Slack thread ts / Teams reply-chain id. */
  thread?: string;
  /** Slack team id / Teams tenant id, when known. */
  team?: string;
}

/** A message that was posted, so it can be updated later. Serializable (job data, Redis). */
export interface MessageRef extends Conversation {
  /** Slack ts, Teams activity id, shell sequence number. */
  id: string;
}

/** Who is acting: immutable ids only (DESIGN §3). */
export interface Identity {
  /** `slack:<team>/<user>`, `teams:<aadObjectId>`, `shell:<os-user>`. */
  id: string;
  /** Group identities the user belongs to, e.g. `slack-group:S0ABC`; resolved lazily by the adapter. */
  groups: string[];
  /** For display in cards only; never used for authorization. */
  displayName?: string;
}

export interface CommandRequest {
  platform: Platform;
  user: Identity;
  conversation: Conversation;
  /**
   * What was typed, e.g. `status store-042 --refresh`, with or without the command word (`/dp`, `dp`:
   * the router strips it); empty for the context of a button click.
   */
  text: string;
  /** Platform delivery id used to make retries idempotent. */
  deliveryId?: string;
}

export interface ButtonClick {
  platform: Platform;
  user: Identity;
  conversation: Conversation;
  /** The message that carried the button. */
  message: MessageRef;
  verb: ButtonVerb;
  value: Record<string, string>;
  deliveryId?: string;
}

/** What a command or click produces; the adapter posts `reply`, then calls `afterPost` with its ref. */
export interface Reply {
  message: BotMessage;
  /** Only the caller sees it (denials, usage). Approval cards are never ephemeral. */
  ephemeral?: boolean;
  /** Replace the message that carried the clicked button instead of posting a new one. */
  replaceOriginal?: boolean;
  /** Runs after the reply is posted (e.g. enqueue a scan that will update this message). */
  afterPost?: (ref: MessageRef) => Promise<FollowUp | undefined>;
}

/** Tells adapters that an update of the posted message is on its way (the shell waits for it). */
export interface FollowUp {
  expectUpdate: boolean;
}

export type CommandListener = (req: CommandRequest) => Promise<Reply>;
export type ClickListener = (click: ButtonClick) => Promise<Reply>;

export interface ChatAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  stop(): Promise<void>;
  send(to: Conversation, message: BotMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: BotMessage): Promise<void>;
  onCommand(listener: CommandListener): void;
  onClick(listener: ClickListener): void;
}

/** Raised by adapters when the platform asks us to slow down; the notify job honours it. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited, retry after ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/**
 * Port (adapters/store/redis-deduper.ts): remembers delivery keys so a platform's retry or redelivery
 * (a Slack retry, a Bot Framework activity sent again) never runs a command or click twice.
 */
export interface DeliveryDeduper {
  /** True the first time `key` is seen within `ttlMs`; false for every repeat. */
  firstTime(key: string, ttlMs: number): Promise<boolean>;
}
