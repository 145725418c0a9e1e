/**
 * Slack over Socket Mode (SLACK_APP_TOKEN): real Bolt and its SocketModeClient open the connection
 * through `apps.connections.open` on the fake Web API, then take slash commands, button clicks and
 * mentions as envelopes over a real WebSocket, acknowledging each by its envelope id.
 */
import type { ButtonClick, CommandRequest } from '../../bot/chat-port.js';
import { textMessage } from '../../bot/message.js';
import type { FakeSlackApi } from '../fakes/slack-api/fake-slack-api.js';
import {
  appMentionPayload,
  blockActionsPayload,
  slashCommandPayload,
} from '../fakes/slack-api/slack-requests.js';
import { type SlackRig, startSlackRig } from './slack-rig.js';

let rig: SlackRig;
let fake: FakeSlackApi;
const commands: CommandRequest[] = [];
const clicks: ButtonClick[] = [];

beforeAll(async () => {
  rig = await startSlackRig('unused-in-socket-mode', { appToken: 'xapp-test' });
  fake = rig.fake;
  rig.adapter.onCommand(async (req) => {
    commands.push(req);
    return { message: textMessage(`answer to ${req.text}`) };
  });
  rig.adapter.onClick(async (click) => {
    clicks.push(click);
    return { message: textMessage('Approved'), replaceOriginal: true };
  });
});

afterAll(async () => {
  await rig.stop();
});

describe('Slack Socket Mode', () => {
  it('opens the connection with the app token, not the bot token', () => {
    expect(fake.callsOf('apps.connections.open').map((c) => c.token)).toEqual(['xapp-test']);
  });

  it('acks a slash command envelope and posts the answer in the channel', async () => {
    const ack = await fake.deliver(
      'slash_commands',
      slashCommandPayload({ text: 'status store-042', channel: 'CS1', responseUrl: fake.responseUrl('s1') }),
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
    const post = await fake.waitFor('chat.postMessage', (c) => c.body.channel === 'CS1');
    expect(post.body).toMatchObject({ text: 'answer to status store-042' });
    expect(post.token).toBe('xoxb-test');
    expect(commands.at(-1)).toMatchObject({
      platform: 'slack',
      text: 'status store-042',
      user: { id: 'slack:T1/U2' },
      conversation: { channel: 'CS1', team: 'T1' },
    });
  });

  it('acks a dp:approve click envelope and replaces the card in place', async () => {
    const ack = await fake.deliver(
      'interactive',
      blockActionsPayload({
        actionId: 'dp:approve',
        value: JSON.stringify({ id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' }),
        channel: 'CS2',
        messageTs: '1700000000.000555',
        responseUrl: fake.responseUrl('s2'),
      }),
    );
    expect(ack.envelope_id).toEqual(expect.any(String));
    const update = await fake.waitFor('chat.update', (c) => c.body.channel === 'CS2');
    expect(update.body).toMatchObject({ ts: '1700000000.000555', text: 'Approved' });
    expect(clicks.at(-1)).toMatchObject({
      verb: 'approve',
      value: { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' },
      user: { id: 'slack:T1/U3' },
    });
  });

  it('answers an @mention event in its thread', async () => {
    await fake.deliver('events_api', appMentionPayload('EvS1', '<@UBOT> clusters', 'U2', 'CS3'));
    const post = await fake.waitFor('chat.postMessage', (c) => c.body.channel === 'CS3');
    expect(post.body).toMatchObject({ thread_ts: '1700000001.000100', text: 'answer to clusters' });
  });
});
