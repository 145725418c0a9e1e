/**
 * One Teams turn → neutral CommandRequest / ButtonClick → the listener's Reply, posted back to Teams.
 * Extends botbuilder's ActivityHandler, so only ./bot-framework.ts imports it (loaded on first use).
 */
import {
  type Activity,
  ActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import type {
  ButtonClick,
  ClickListener,
  CommandListener,
  Identity,
  MessageRef,
  Reply,
} from '../../../bot/chat-port.js';
import { newErrorId } from '../../../bot/errors.js';
import { type ButtonVerb, isButtonVerb, textMessage } from '../../../bot/message.js';
import { commandText } from './command-text.js';
import { conversationOf, MESSAGE_RESPONSE_TYPE, messageActivity } from './message-activity.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderCard } from './render.js';
import type { TeamsLogger } from './teams-logger.js';

export interface TeamsTurnListeners {
  command?: CommandListener;
  click?: ClickListener;
}

// Identities are immutable ids (DESIGN §3). The Emulator sends no aadObjectId; its channel user id is
// stable and set by the (authenticated) channel, never typed by the user.
function identityOf(activity: Partial<Activity>): Identity {
  const from = activity.from;
  return { id: `teams:${from?.aadObjectId ?? from?.id ?? 'unknown'}`, groups: [], displayName: from?.name };
}

export class TeamsTurns extends ActivityHandler {
  constructor(
    private readonly listeners: TeamsTurnListeners,
    private readonly logger: TeamsLogger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const text = commandText(context.activity);
    if (text === undefined || !this.listeners.command) return;
    const reply = await this.guard(context, () =>
      this.listeners.command!({
        platform: 'teams',
        user: identityOf(context.activity),
        conversation: conversationOf(context.activity),
        text,
        deliveryId: context.activity.id,
      }),
    );
    // Teams has no ephemeral channel messages: an ephemeral reply goes to the same thread.
    const posted = await context.sendActivity(messageActivity(reply.message));
    await reply.afterPost?.(this.refOf(context, posted?.id ?? ''));
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const verb = invokeValue.action.verb?.replace(/^dp:/, '') as ButtonVerb;
    if (!isButtonVerb(verb) || !this.listeners.click) {
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest' } };
    }
    const original = this.refOf(context, context.activity.replyToId ?? '');
    const click: ButtonClick = {
      platform: 'teams',
      user: identityOf(context.activity),
      conversation: conversationOf(context.activity),
      message: original,
      verb,
      value: idsOnly(invokeValue.action.data),
      deliveryId: context.activity.id,
    };
    const reply = await this.guard(context, () => this.listeners.click!(click));
    if (reply.replaceOriginal && original.id) {
      // The invoke response refreshes the clicker's card at once; the update shows it to everyone else.
      await context.updateActivity({ ...messageActivity(reply.message), id: original.id });
      await reply.afterPost?.(original);
      return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: { ...renderCard(reply.message) } };
    }
    if (!reply.ephemeral) {
      const posted = await context.sendActivity(messageActivity(reply.message));
      await reply.afterPost?.(this.refOf(context, posted?.id ?? ''));
    }
    // A denial (ephemeral) is shown only to the clicker, as Teams' message toast.
    return messageResponse(reply.message.summary);
  }

  private refOf(context: TurnContext, id: string): MessageRef {
    return { ...conversationOf(context.activity), id };
  }

  // Listeners should answer every error themselves; this catches what slipped through, so the user
  // never meets silence or a stack trace (STYLE §8).
  private async guard(context: TurnContext, run: () => Promise<Reply>): Promise<Reply> {
    try {
      return await run();
    } catch (err) {
      const errorId = newErrorId();
      this.logger.error({ err, errorId, activityId: context.activity.id }, 'teams listener failed');
      return { message: textMessage(`internal error, logged as ${errorId}`, 'error'), ephemeral: true };
    }
  }
}

function messageResponse(text: string): AdaptiveCardInvokeResponse {
  // The schema types `value` as an object; for this content type Teams expects the plain string.
  return { statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: text as unknown as Record<string, unknown> };
}

// Button data carries ids only; Teams may merge other fields in, which are dropped here.
function idsOnly(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!data || typeof data !== 'object') return out;
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out[k] = v;
  return out;
}
