/**
 * Microsoft Teams over the Bot Framework (botbuilder CloudAdapter), served at POST /api/messages on the
 * shared HTTP server. Inbound requests are JWT-checked whenever an app id is set (DESIGN §9).
 * botbuilder is loaded on first use (start(), or the first send or update), not when the adapter is
 * built: a worker that scans the fleet and never posts to Teams does not carry it. The credentials are
 * still checked here, at construction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type {
  ChatAdapter,
  ClickListener,
  CommandListener,
  Conversation,
  DeliveryDeduper,
  MessageRef,
} from '../../../bot/chat-port.js';
import { DpbotError } from '../../../bot/errors.js';
import type { BotMessage } from '../../../bot/message.js';
import type { HttpServer } from '../../http/http-server.js';
import type { ConversationRefStore, StoredConversationRef } from '../../store/conversation-refs.js';
import { type BotCredentials, botCredentials } from './bot-credentials.js';
import type { BotFramework } from './bot-framework.js';
import { loadBotFramework } from './botbuilder-lazy.js';
import { MESSAGE_RESPONSE_TYPE, messageActivity } from './message-activity.js';
import { BodyError, readJsonBody, toBotRequest, toBotResponse } from './node-http.js';
import { toOutboundError } from './outbound-errors.js';
import { silentLogger, type TeamsLogger } from './teams-logger.js';

const ALREADY_HANDLED = 'This click was already handled.';

export interface TeamsAdapterOptions {
  http: HttpServer;
  conversationRefs: ConversationRefStore;
  /** `MicrosoftAppId`. Unset: anonymous (Bot Framework Emulator / local tests only), logged loudly. */
  appId?: string;
  /** `MicrosoftAppPassword` (client secret); never logged. */
  appPassword?: string;
  /** `MicrosoftAppTenantId`, required for SingleTenant. */
  tenantId?: string;
  /** `MicrosoftAppType`: `MultiTenant`, `SingleTenant` or `UserAssignedMSI`. @defaultValue `MultiTenant` */
  appType?: string;
  /** @defaultValue `/api/messages` */
  path?: string;
  /**
   * Remembers message activity ids, shared across replicas (Redis), so a message the Bot Framework
   * delivers again (same activity id) runs nothing twice. Unset: every delivery runs (tests only).
   */
  deduper?: DeliveryDeduper;
  /** How long activity ids are remembered. @defaultValue 3600000 */
  dedupeTtlMs?: number;
  logger?: TeamsLogger;
}

export class TeamsAdapter implements ChatAdapter {
  readonly platform = 'teams' as const;
  private readonly credentials: BotCredentials;
  private botFramework?: Promise<BotFramework>;
  private readonly listeners: { command?: CommandListener; click?: ClickListener } = {};
  private readonly logger: TeamsLogger;
  private readonly appId: string;
  private started = false;

  constructor(private readonly options: TeamsAdapterOptions) {
    this.logger = options.logger ?? silentLogger;
    this.appId = options.appId ?? '';
    this.credentials = botCredentials(options);
  }

  /** The CloudAdapter and turn handler, created once, on first use. */
  private framework(): Promise<BotFramework> {
    this.botFramework ??= loadBotFramework().then((bf) =>
      bf.createBotFramework(this.credentials, this.listeners, this.logger),
    );
    return this.botFramework;
  }

  async start(): Promise<void> {
    // Loaded before the route exists, so the first request does not wait for botbuilder.
    await this.framework();
    if (this.started) return;
    this.started = true;
    if (!this.appId) {
      this.logger.warn(
        {},
        'Teams: MicrosoftAppId is not set — /api/messages accepts UNAUTHENTICATED requests (Bot Framework Emulator / local tests only)',
      );
    }
    this.options.http.route('POST', this.options.path ?? '/api/messages', (req, res) =>
      this.process(req, res),
    );
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  onCommand(listener: CommandListener): void {
    this.listeners.command = listener;
  }

  onClick(listener: ClickListener): void {
    this.listeners.click = listener;
  }

  async send(to: Conversation, message: BotMessage): Promise<MessageRef> {
    let id = '';
    await this.continueIn(to, 'posting to Teams', async (context) => {
      id = (await context.sendActivity(messageActivity(message)))?.id ?? '';
    });
    return { ...to, platform: 'teams', id };
  }

  async update(ref: MessageRef, message: BotMessage): Promise<void> {
    await this.continueIn(ref, `updating Teams message ${ref.id}`, async (context) => {
      await context.updateActivity({ ...messageActivity(message), id: ref.id });
    });
  }

  /** Runs `logic` in a proactive turn of the saved conversation (works after a restart: refs live in Redis). */
  private async continueIn(to: Conversation, action: string, logic: (c: TurnContext) => Promise<void>) {
    const saved = await this.options.conversationRefs.get(to.channel);
    if (!saved) {
      throw new DpbotError(
        'TeamsConversationUnknown',
        `no Teams conversation reference for ${to.channel}: install dpbot in that team or chat, or mention it there once`,
      );
    }
    const conversationId = to.thread ? `${to.channel};messageid=${to.thread}` : to.channel;
    const reference = { ...saved, conversation: { ...saved.conversation, id: conversationId } };
    // Caught inside the turn: onTurnError (which logs and swallows, for inbound turns) must not eat
    // a failed proactive post, or the notify job would believe it was delivered.
    let failure: unknown;
    const run = async (context: TurnContext) => {
      // The continuation event carries a made-up id that botbuilder would send as replyToId; without
      // it the post is a plain sendToConversation (a new post, or a reply when `thread` is set).
      context.activity.id = undefined;
      try {
        await logic(context);
      } catch (err) {
        failure = err;
      }
    };
    const { adapter } = await this.framework();
    try {
      await adapter.continueConversationAsync(this.appId, reference as ConversationReference, run);
    } catch (err) {
      failure = err;
    }
    if (failure !== undefined) throw toOutboundError(failure, action);
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.started) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('teams adapter stopped\n');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      res.writeHead(err.status, { 'content-type': 'text/plain' }).end(`${err.message}\n`);
      return;
    }
    const bf = await this.framework();
    await bf.adapter.process(toBotRequest(req, body), toBotResponse(res), async (context) => {
      await this.rememberConversation(context, bf);
      if (await this.isRedelivery(context)) return;
      await bf.turns.run(context);
    });
  }

  // A redelivered command or click would post a second card that no scan ever edits (its waiter and
  // update job ids come from the activity id, DESIGN §5), so it is dropped as Slack's retries are. A
  // dropped click still gets its invoke answer (botbuilder answers 501 to an unanswered invoke).
  private async isRedelivery(context: TurnContext): Promise<boolean> {
    const { deduper } = this.options;
    const activity = context.activity as Activity;
    const click = activity.type === 'invoke' && activity.name === 'adaptiveCard/action';
    if (!deduper || (activity.type !== 'message' && !click) || !activity.id || !activity.conversation?.id)
      return false;
    const key = `${click ? 'invoke' : 'msg'}:${activity.conversation.id}:${activity.id}`;
    if (await deduper.firstTime(key, this.options.dedupeTtlMs ?? 3_600_000)) return false;
    this.logger.info({ activityId: activity.id, type: activity.type }, 'duplicate Teams delivery ignored');
    if (click)
      await context.sendActivity({
        type: 'invokeResponse',
        value: {
          status: 200,
          body: { statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: ALREADY_HANDLED },
        },
      });
    return true;
  }

  // Saved on install (conversationUpdate / installationUpdate) and on every message, so alerts and job
  // updates can reach this conversation later, from any replica; forgotten when dpbot is removed.
  private async rememberConversation(context: TurnContext, bf: BotFramework): Promise<void> {
    const activity = context.activity as Activity;
    if (!activity.serviceUrl || !activity.conversation?.id) return;
    if (botRemoved(activity)) {
      await this.options.conversationRefs.delete(activity.conversation.id);
      return;
    }
    const ref = bf.referenceOf(activity);
    await this.options.conversationRefs.save(ref as StoredConversationRef);
  }
}

/**
 * dpbot uninstalled from a team or chat: `installationUpdate` with action `remove` (or
 * `remove-upgrade`), or a `conversationUpdate` whose membersRemoved holds the bot itself (the activity's recipient).
 */
function botRemoved(activity: Activity): boolean {
  if (activity.type === 'installationUpdate')
    return activity.action === 'remove' || activity.action === 'remove-upgrade';
  if (activity.type !== 'conversationUpdate') return false;
  return (activity.membersRemoved ?? []).some((m) => m.id === activity.recipient?.id);
}
