/**
 * What the chat-adapter contract suite (test/integration/chat-adapter-contract.test.ts) asks of each
 * platform. A driver plays the user on one platform against the real adapter inside the real bot
 * (`startDpbot`: router, stores, queues, workers), and reports what that user sees in neutral terms.
 * What a platform cannot do is said by its `can` flags, and the suite skips those cases by name.
 */
import type { Platform } from '../../../bot/chat-port.js';
import type { BotMessage } from '../../../bot/message.js';

/**
 * The people of the contract: alice types the commands; she operates and approves store-1 and only
 * views store-2. bob approves store-1 and clicks. Each driver maps them to its platform's identities
 * (`slack:T1/…`, `teams:<aadObjectId>`, `shell:…`).
 */
export type ContractUser = 'alice' | 'bob';

/** A button as the platform shows it. */
export interface SeenButton {
  /** The verb the platform carries back (`dp:<verb>` action id / Action.Execute verb, or the shell command's word). */
  verb: string;
  label: string;
  /** The ids the platform carries back on a click; undefined where there is nothing to click (shell). */
  value?: Record<string, string>;
  /** What the driver needs to click it (Slack action id, Teams verb, the shell's command text). */
  handle: string;
}

/** One message as its user sees it. */
export interface Seen {
  /** Slack ts (or response_url id), Teams activity id, shell reply number. */
  id: string;
  /** Every piece of text on it, one per line. */
  text: string;
  /** Only the caller sees it. */
  ephemeral: boolean;
  /** For click replies: the clicked message itself was replaced. */
  replaced: boolean;
  buttons: SeenButton[];
}

export interface ChatDriver {
  /** Identity strings for the bot's access lists. */
  readonly ids: Record<ContractUser, string>;
  /** alice types `/dp <text>` (Slack slash command, Teams @mention, a shell line); resolves with the first reply. */
  command(text: string): Promise<Seen>;
  /** Resolves with the first edit of `message` whose text satisfies `match`. */
  updateOf(message: Seen, match: (text: string) => boolean): Promise<Seen>;
  /** Delivers `message` to the contract's conversation the way alerts go out (the notify queue). */
  post(message: BotMessage): Promise<Seen>;
  /** Clicks `button` on `message` as `user`; resolves with the reply (new, ephemeral or the replaced card). */
  click(user: ContractUser, message: Seen, button: SeenButton): Promise<Seen>;
  close(): Promise<void>;
}

export interface ChatPlatformDriver {
  platform: Platform;
  can: {
    /** Replies only the caller sees (Slack's ephemeral messages; Teams has them for clicks only). */
    ephemeralCommands: boolean;
    /** Clickable buttons; without them a card shows the command to type instead. */
    buttons: boolean;
  };
  start(): Promise<ChatDriver>;
}

/** Every string in a platform payload (Block Kit, an Adaptive Card), in order, one per line. */
export function textsOf(payload: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(payload);
  return out.join('\n');
}
