/**
 * Slack for the contract suite: signed slash commands and block_actions posted to real Bolt at
 * `POST /slack/events` on the bot's HTTP server; what the user sees is read off the fake Slack Web API
 * (chat.postMessage / chat.update) and the commands' response_urls (ephemeral replies).
 */
import type { RecordedCall } from '../../fakes/slack-api/fake-slack-api.js';
import { FakeSlackApi } from '../../fakes/slack-api/fake-slack-api.js';
import { blockActionsBody, postSigned, slashCommandBody } from '../../fakes/slack-api/slack-requests.js';
import { startContractBot } from './contract-bot.js';
import type { ChatDriver, ChatPlatformDriver, ContractUser, Seen, SeenButton } from './driver.js';
import { textsOf } from './driver.js';

const SECRET = 'contract-signing-secret';
const CHANNEL = 'C1';
const USERS: Record<ContractUser, string> = { alice: 'UALICE', bob: 'UBOB' };

export const slackDriver: ChatPlatformDriver = {
  platform: 'slack',
  can: { ephemeralCommands: true, buttons: true },
  async start(): Promise<ChatDriver> {
    const fake = new FakeSlackApi();
    await fake.start();
    const ids = { alice: `slack:T1/${USERS.alice}`, bob: `slack:T1/${USERS.bob}` };
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl };
    const contract = await startContractBot({ ids, env: { ...env, PORT: '0' } });
    const url = `http://127.0.0.1:${contract.bot.httpPort}/slack/events`;
    let seq = 0;
    const after = (start: number) => (c: RecordedCall) => fake.calls.indexOf(c) >= start;
    /** The first visible post, or the first answer through this delivery's response_url. */
    const replyTo = (start: number, responseId: string) =>
      Promise.race([
        fake.waitFor('chat.postMessage', after(start)).then((c) => seen(c, false)),
        fake
          .waitFor('response_url', (c) => c.responseId === responseId && c.body.text !== '⏳ working…')
          .then((c) => seen(c, false)),
      ]);
    return {
      ids,
      async command(text) {
        const start = fake.calls.length;
        const responseId = `cmd-${++seq}`;
        const body = slashCommandBody({
          text,
          user: USERS.alice,
          channel: CHANNEL,
          responseUrl: fake.responseUrl(responseId),
        });
        const res = await postSigned(url, body, { secret: SECRET });
        if (res.status !== 200 || res.body !== '') throw new Error(`slash command answered ${res.status}`);
        return replyTo(start, responseId);
      },
      async updateOf(message, match) {
        const call = await fake.waitFor(
          'chat.update',
          (c) => c.body.ts === message.id && match(unescapeMrkdwn(textsOf(c.body))),
        );
        return seen(call, true);
      },
      async post(message) {
        const start = fake.calls.length;
        await contract.notify({ platform: 'slack', channel: CHANNEL, team: 'T1' }, message);
        return seen(await fake.waitFor('chat.postMessage', after(start)), false);
      },
      async click(user, message, button) {
        const start = fake.calls.length;
        const responseId = `act-${++seq}`;
        const body = blockActionsBody({
          actionId: button.handle,
          value: JSON.stringify(button.value),
          user: USERS[user],
          channel: CHANNEL,
          messageTs: message.id,
          responseUrl: fake.responseUrl(responseId),
        });
        const res = await postSigned(url, body, { secret: SECRET });
        if (res.status !== 200) throw new Error(`block_actions answered ${res.status}`);
        return Promise.race([
          replyTo(start, responseId),
          fake
            .waitFor('chat.update', (c) => after(start)(c) && c.body.ts === message.id)
            .then((c) => seen(c, true)),
        ]);
      },
      async close() {
        await contract.close();
        await fake.stop();
      },
    };
  },
};

function seen(call: RecordedCall, replaced: boolean): Seen {
  return {
    id: String(call.method === 'response_url' ? call.responseId : (call.ts ?? call.body.ts)),
    text: unescapeMrkdwn(textsOf({ text: call.body.text, blocks: call.body.blocks })),
    ephemeral: call.body.response_type === 'ephemeral',
    replaced,
    buttons: buttonsOf(call.body.blocks),
  };
}

/** What Slack shows for its mrkdwn escapes (render.ts escapes `&`, `<`, `>`). */
function unescapeMrkdwn(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Block Kit buttons: action id `dp:<verb>`, value the JSON of ids. */
function buttonsOf(raw: unknown): SeenButton[] {
  const blocks = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as {
    elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[];
  }[];
  return blocks
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button' && e.action_id)
    .map((e) => ({
      verb: (e.action_id ?? '').replace(/^dp:/, ''),
      label: e.text?.text ?? '',
      value: JSON.parse(e.value ?? '{}') as Record<string, string>,
      handle: e.action_id ?? '',
    }));
}
