/**
 * Teams for the contract suite: activities as Teams sends them (an @mention in a channel, the
 * `adaptiveCard/action` invoke of an Action.Execute button) posted to real botbuilder at
 * `/api/messages` on the bot's HTTP server; what the user sees is read off the fake Bot Framework
 * connector (replies, sends, updates) and the invoke responses (the clicker-only toast).
 */
import {
  type ConnectorCall,
  FakeBotConnector,
  type JsonObject,
} from '../../fakes/bot-connector/fake-bot-connector.js';
import {
  ALICE,
  BOB,
  botInstalled,
  CHANNEL,
  cardClick,
  TENANT,
  teamsMessage,
} from '../../fakes/bot-connector/teams-activities.js';
import { startContractBot } from './contract-bot.js';
import type { ChatDriver, ChatPlatformDriver, ContractUser, Seen, SeenButton } from './driver.js';
import { textsOf } from './driver.js';

const USERS: Record<ContractUser, typeof ALICE> = { alice: ALICE, bob: BOB };

export const teamsDriver: ChatPlatformDriver = {
  platform: 'teams',
  // Teams has no ephemeral channel messages: a command's private reply goes to the thread. A click's
  // does have one, the invoke response's toast.
  can: { ephemeralCommands: false, buttons: true },
  async start(): Promise<ChatDriver> {
    const connector = new FakeBotConnector();
    await connector.start();
    const ids = { alice: `teams:${ALICE.aadObjectId}`, bob: `teams:${BOB.aadObjectId}` };
    const contract = await startContractBot({ ids, env: { PORT: '0' } });
    const url = `http://127.0.0.1:${contract.bot.httpPort}/api/messages`;
    const post = async (activity: JsonObject) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}: ${text}`);
      return text;
    };
    /** The thread each message is in (its root activity), for clicks on it. */
    const rootOf = new Map<string, string>();
    /** The first post since call `start`, or an update of `edited`; later edits of other cards do not count. */
    const newSince = (start: number, edited?: string) =>
      connector
        .delivered()
        .find((c) => connector.calls.indexOf(c) >= start && (c.kind !== 'update' || c.activityId === edited));
    // Installing dpbot in the team saves the channel's conversation reference (needed to post there).
    await post(botInstalled(connector.url));
    return {
      ids,
      async command(text) {
        const start = connector.calls.length;
        const activity = teamsMessage(connector.url, text, { mention: true, from: ALICE });
        await post(activity);
        const reply = newSince(start);
        if (!reply) throw new Error(`no reply to "${text}"`);
        rootOf.set(reply.id ?? '', String(activity.id));
        return seen(reply, false);
      },
      async updateOf(message, match) {
        const call = await connector.waitFor(
          (c) => c.kind === 'update' && c.activityId === message.id && match(textsOf(cardOf(c))),
        );
        return seen(call, true);
      },
      async post(message) {
        const start = connector.calls.length;
        await contract.notify({ platform: 'teams', channel: CHANNEL, team: TENANT }, message);
        const call = await connector.waitFor((c) => c.kind === 'send' && connector.calls.indexOf(c) >= start);
        rootOf.set(call.id ?? '', call.id ?? '');
        return seen(call, false);
      },
      async click(user, message, button) {
        const start = connector.calls.length;
        const invoke = cardClick(connector.url, message.id, button.handle, button.value ?? {}, {
          from: USERS[user],
          rootId: rootOf.get(message.id),
        });
        const response = JSON.parse(await post(invoke)) as {
          statusCode: number;
          type: string;
          value: unknown;
        };
        if (response.statusCode !== 200) throw new Error(`click answered ${JSON.stringify(response)}`);
        const answer = newSince(start, message.id);
        if (answer?.kind === 'update') return seen(answer, true);
        if (answer) {
          rootOf.set(answer.id ?? '', rootOf.get(message.id) ?? '');
          return seen(answer, false);
        }
        // Nothing posted: the answer is the toast only the clicker sees.
        return { id: '', text: String(response.value), ephemeral: true, replaced: false, buttons: [] };
      },
      async close() {
        await contract.close();
        await connector.stop();
      },
    };
  },
};

function cardOf(call: ConnectorCall): JsonObject {
  const attachments = (call.activity.attachments ?? []) as { contentType: string; content: JsonObject }[];
  return attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content ?? {};
}

function seen(call: ConnectorCall, replaced: boolean): Seen {
  const card = cardOf(call);
  return {
    id: (call.kind === 'update' ? call.activityId : call.id) ?? '',
    text: textsOf(card.body),
    ephemeral: false,
    replaced,
    buttons: ((card.actions ?? []) as { type: string; verb: string; title: string; data: JsonObject }[])
      .filter((a) => a.type === 'Action.Execute')
      .map(
        (a): SeenButton => ({
          verb: a.verb.replace(/^dp:/, ''),
          label: a.title,
          value: a.data as Record<string, string>,
          handle: a.verb,
        }),
      ),
  };
}
