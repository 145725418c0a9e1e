/**
 * Turns Slack deliveries into neutral requests and posts the listeners' replies:
 * slash commands (acked at once, then answered), `dp:<verb>` button clicks and @mentions.
 * The order in which inbound work is deferred (ack, AfterAcks, the gate) is described in slack-adapter.ts.
 */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import type {
  ButtonClick,
  ClickListener,
  CommandListener,
  CommandRequest,
  Conversation,
  DeliveryDeduper,
  MessageRef,
  Reply,
} from '../../../bot/chat-port.js';
import { newErrorId, UserFacingError } from '../../../bot/errors.js';
import { isButtonVerb, textMessage } from '../../../bot/message.js';
import type { AfterAcks } from '../../http/after-acks.js';
import { ACTION_PREFIX, renderSlack } from './render.js';
import type { SlackIdentityResolver } from './slack-identity.js';
import type { SlackLogger } from './slack-options.js';
import { CANNOT_POST_HERE, responseUrlRef, type SlackWeb, slackErrorCode } from './slack-web.js';

export interface SlackInteractionDeps {
  web: SlackWeb;
  identities: SlackIdentityResolver;
  deduper: DeliveryDeduper;
  logger: SlackLogger;
  ackBudgetMs: number;
  dedupeTtlMs: number;
  commandListener: () => CommandListener | undefined;
  /** Where answers wait for the acks of deliveries still arriving (the HTTP server's; see after-acks.ts). */
  afterAcks: AfterAcks;
  clickListener: () => ClickListener | undefined;
}

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ClickArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

export class SlackInteractions {
  /**
   * Commands thinking at once (deferral 3, slack-adapter.ts): with 50 answers at once a burst's acks
   * took ~1 s, with 4 the later ones ~100 ms. The next holder starts only once deliveries still
   * arriving have been acked (AfterAcks).
   */
  private readonly gate: Gate;

  constructor(private readonly d: SlackInteractionDeps) {
    this.gate = new Gate(4, () => d.afterAcks.turn());
  }

  async command({ command, ack }: CommandArgs): Promise<void> {
    // Ack first, before any work (deferral 1, slack-adapter.ts; over HTTP the fast ack already answered
    // and this ack is a no-op). Every answer then goes out through chat.postMessage or the response_url.
    await ack();
    try {
      await this.answerCommand(command);
    } catch (err) {
      // After the ack nothing reaches Slack by itself: say so privately (Redis down, for one).
      const id = newErrorId();
      this.d.logger.error(
        { err, errorId: id, channel: command.channel_id },
        'Slack command failed after its ack',
      );
      await this.d.web
        .respond(command.response_url, {
          response_type: 'ephemeral',
          text: `Internal error, logged as ${id}.`,
        })
        .catch(() => undefined);
    }
  }

  private async answerCommand(command: CommandArgs['command']): Promise<void> {
    // trigger_id is unique per invocation: a replayed or retried delivery finds it taken.
    if (!(await this.d.deduper.firstTime(`cmd:${command.trigger_id}`, this.d.dedupeTtlMs))) {
      this.d.logger.info({ trigger: command.trigger_id }, 'duplicate Slack command delivery ignored');
      return;
    }
    const conversation: Conversation = {
      platform: 'slack',
      channel: command.channel_id,
      team: command.team_id,
    };
    const start = () =>
      this.run(async () => {
        const listener = this.d.commandListener();
        if (!listener)
          return {
            message: textMessage('dpbot is starting; try again in a moment.', 'error'),
            ephemeral: true,
          };
        const req: CommandRequest = {
          platform: 'slack',
          user: await this.d.identities.identify(command.team_id, command.user_id, command.user_name),
          conversation,
          text: command.text.trim(),
          deliveryId: command.trigger_id,
        };
        return listener(req);
      });
    // The gate bounds the thinking (router, Redis reads, rendering), not the network waits: a slow answer
    // (a scan running) leaves it and first gets a private "working…" note; posting happens outside it.
    await this.gate.acquire();
    let held = true;
    const release = () => {
      if (held) this.gate.release();
      held = false;
    };
    let reply: Reply;
    let working = false;
    try {
      const pending = start();
      const early = await withinBudget(pending, this.d.ackBudgetMs);
      if (!early) {
        release();
        working = await this.d.web
          .respond(command.response_url, { response_type: 'ephemeral', text: '⏳ working…' })
          .then(
            () => true,
            (err: unknown) => {
              this.d.logger.warn({ err, channel: conversation.channel }, 'cannot post "working…" note');
              return false;
            },
          );
      }
      reply = early ?? (await pending);
    } finally {
      release();
    }
    const ref = await this.post(reply, conversation, command.response_url, working).catch((err: unknown) => {
      this.d.logger.error({ err, channel: conversation.channel }, 'cannot post Slack reply');
      return undefined;
    });
    if (ref) await this.after(reply, ref);
  }

  async click({ ack, body, action }: ClickArgs): Promise<void> {
    await ack();
    if (!(await this.d.deduper.firstTime(`act:${body.trigger_id}`, this.d.dedupeTtlMs))) return;
    const verb = action.action_id.slice(ACTION_PREFIX.length).split(':')[0];
    const container = body.container as { channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
    const team = body.user.team_id ?? body.team?.id ?? '';
    const conversation: Conversation = {
      platform: 'slack',
      channel: body.channel?.id ?? container.channel_id ?? '',
      team,
    };
    const message: MessageRef =
      container.is_ephemeral || !container.message_ts
        ? responseUrlRef(conversation, body.response_url)
        : { ...conversation, id: container.message_ts };
    const reply = await this.run(async () => {
      const listener = this.d.clickListener();
      const value = parseValue(action.value);
      if (!listener || !isButtonVerb(verb) || !value) {
        return {
          message: textMessage('This button is not understood by this dpbot.', 'error'),
          ephemeral: true,
        };
      }
      const click: ButtonClick = {
        platform: 'slack',
        user: await this.d.identities.identify(team, body.user.id, body.user.name),
        conversation,
        message,
        verb,
        value,
        deliveryId: body.trigger_id,
      };
      return listener(click);
    });
    const ref = await this.postClickReply(reply, conversation, message, body.response_url).catch(
      (err: unknown) => {
        this.d.logger.error({ err, channel: conversation.channel }, 'cannot post Slack click reply');
        return undefined;
      },
    );
    if (ref) await this.after(reply, ref);
  }

  /** `@dpbot status store-042`: same grammar, answered in the mention's thread. */
  async mention({ event, body }: MentionArgs): Promise<void> {
    const key = `evt:${(body as { event_id?: string }).event_id ?? event.ts}`;
    if (!(await this.d.deduper.firstTime(key, this.d.dedupeTtlMs))) return;
    const team = event.team ?? (body as { team_id?: string }).team_id ?? '';
    const conversation: Conversation = {
      platform: 'slack',
      channel: event.channel,
      team,
      thread: event.thread_ts ?? event.ts,
    };
    const user = event.user ?? '';
    const reply = await this.run(async () => {
      const listener = this.d.commandListener();
      if (!listener)
        return {
          message: textMessage('dpbot is starting; try again in a moment.', 'error'),
          ephemeral: true,
        };
      const text = event.text.replace(/<@[A-Z0-9]+>/g, '').trim();
      return listener({
        platform: 'slack',
        user: await this.d.identities.identify(team, user),
        conversation,
        text,
        deliveryId: key,
      });
    });
    try {
      if (reply.ephemeral) await this.d.web.postEphemeral(conversation, user, renderSlack(reply.message));
      else
        await this.after(
          reply,
          await this.d.web.post(conversation, renderSlack(reply.message), reply.message.image),
        );
    } catch (err) {
      this.d.logger.error({ err, channel: conversation.channel }, 'cannot answer Slack mention');
    }
  }

  /** Visible replies go through chat.postMessage (a ts to update later), else through the response_url. */
  private async post(
    reply: Reply,
    to: Conversation,
    responseUrl: string,
    replacesWorking: boolean,
  ): Promise<MessageRef> {
    const payload = renderSlack(reply.message);
    if (reply.ephemeral) {
      await this.d.web.respond(responseUrl, {
        response_type: 'ephemeral',
        replace_original: replacesWorking,
        ...payload,
      });
      return responseUrlRef(to, responseUrl);
    }
    try {
      const ref = await this.d.web.post(to, payload, reply.message.image);
      // Best effort: remove our private "working…" note now that the answer is visible.
      if (replacesWorking)
        await this.d.web.respond(responseUrl, { delete_original: true }).catch(() => undefined);
      return ref;
    } catch (err) {
      // DMs and channels the bot is not in, and a rate-limited or failing chat.postMessage: the command's
      // response_url (its own limits) can still post visibly, so the answer is never lost.
      if (!CANNOT_POST_HERE.has(slackErrorCode(err) ?? ''))
        this.d.logger.warn(
          { err, channel: to.channel },
          'chat.postMessage failed; answering through the response_url',
        );
      await this.d.web.respond(responseUrl, {
        response_type: 'in_channel',
        replace_original: false,
        ...payload,
      });
      return responseUrlRef(to, responseUrl);
    }
  }

  private async postClickReply(
    reply: Reply,
    to: Conversation,
    card: MessageRef,
    responseUrl: string,
  ): Promise<MessageRef> {
    const payload = renderSlack(reply.message);
    if (reply.ephemeral) {
      await this.d.web.respond(responseUrl, {
        response_type: 'ephemeral',
        replace_original: false,
        ...payload,
      });
      return responseUrlRef(to, responseUrl);
    }
    if (reply.replaceOriginal) {
      await this.d.web.update(card, payload);
      return card;
    }
    return this.post(reply, to, responseUrl, false);
  }

  private async after(reply: Reply, ref: MessageRef): Promise<void> {
    try {
      await reply.afterPost?.(ref);
    } catch (err) {
      this.d.logger.error({ err, channel: ref.channel }, 'afterPost failed for a Slack reply');
    }
  }

  /** Listener failures become a private reply; only UserFacingError text reaches chat. */
  private async run(fn: () => Promise<Reply>): Promise<Reply> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof UserFacingError)
        return { message: textMessage(err.message, 'error'), ephemeral: true };
      const id = newErrorId();
      this.d.logger.error({ err, errorId: id }, 'Slack listener failed');
      return { message: textMessage(`Internal error, logged as ${id}.`, 'error'), ephemeral: true };
    }
  }
}

/** A counting semaphore: at most `limit` holders, the rest wait in arrival order. */
class Gate {
  private held = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    private readonly limit: number,
    private readonly nextTurn: () => Promise<void>,
  ) {}
  acquire(): Promise<void> {
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    // The next holder starts on a later turn of the event loop, after new deliveries have their acks.
    if (next) void this.nextTurn().then(next);
    else this.held--;
  }
}

function withinBudget<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Button values are JSON objects of ids (render.ts); anything else is refused, not guessed at. */
function parseValue(raw: string | undefined): Record<string, string> | undefined {
  try {
    const v = JSON.parse(raw ?? '') as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.every(([, x]) => typeof x === 'string') ? (v as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}
