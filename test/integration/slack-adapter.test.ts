/** Real Bolt on the real HTTP server, signed Slack requests, a loopback fake Slack Web API, real Redis. */
import { renderSlack } from '../../adapters/chat/slack/render.js';
import type { SlackAdapter } from '../../adapters/chat/slack/slack-adapter.js';
import type { ButtonClick, CommandRequest, DeliveryDeduper, MessageRef } from '../../bot/chat-port.js';
import { textMessage } from '../../bot/message.js';
import type { FakeSlackApi } from '../fakes/slack-api/fake-slack-api.js';
import { blockActionsBody, postSigned, slashCommandBody } from '../fakes/slack-api/slack-requests.js';
import { sampleMessages } from '../fixtures/sample-messages.js';
import { type SlackRig, startSlackRig } from './slack-rig.js';

const secret = 'test-signing-secret';
let rig: SlackRig;
let fake: FakeSlackApi;
let adapter: SlackAdapter;
let url: string;

async function setup(ackBudgetMs = 2000, deduper?: DeliveryDeduper): Promise<void> {
  rig = await startSlackRig(secret, { groupIds: ['S0ABC'], ackBudgetMs, ...(deduper ? { deduper } : {}) });
  ({ fake, adapter, url } = rig);
  fake.groups = { S0ABC: ['U2', 'U9'] };
}

afterEach(async () => {
  await rig.stop();
});

const command = (text: string, extra: Partial<Parameters<typeof slashCommandBody>[0]> = {}) =>
  postSigned(url, slashCommandBody({ text, responseUrl: fake.responseUrl('cmd1'), ...extra }), { secret });

describe('Slack slash commands', () => {
  it('acks /dp status at once, posts the card visibly, then updates the same message', async () => {
    await setup();
    const seen: CommandRequest[] = [];
    let posted: MessageRef | undefined;
    adapter.onCommand(async (req) => {
      seen.push(req);
      return {
        message: sampleMessages['status-report'],
        afterPost: async (ref) => {
          posted = ref;
          await adapter.update(ref, sampleMessages.fleet);
          return { expectUpdate: true };
        },
      };
    });
    const res = await command('status store-042 --refresh');
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(3000);
    const post = await fake.waitFor('chat.postMessage');
    expect(post.token).toBe('xoxb-test');
    expect(post.body).toMatchObject({ channel: 'C1', ...renderSlack(sampleMessages['status-report']) });
    const update = await fake.waitFor('chat.update');
    expect(update.body).toMatchObject({
      channel: 'C1',
      ts: posted!.id,
      text: 'Fleet: 1 fail, 1 unknown, 1 ok',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      platform: 'slack',
      text: 'status store-042 --refresh',
      user: { id: 'slack:T1/U2', groups: ['slack-group:S0ABC'] },
      conversation: { platform: 'slack', channel: 'C1', team: 'T1' },
    });
    expect(fake.callsOf('response_url')).toHaveLength(0);
  });

  it('acks at once, notes "working…" after the budget and posts the answer when ready', async () => {
    await setup(100);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    adapter.onCommand(async () => {
      await gate;
      return { message: textMessage('done') };
    });
    const res = await command('clusters');
    expect([res.status, res.body]).toEqual([200, '']);
    expect((await fake.waitFor('response_url')).body).toMatchObject({
      response_type: 'ephemeral',
      text: '⏳ working…',
    });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
    release();
    expect((await fake.waitFor('chat.postMessage')).body).toMatchObject({ channel: 'C1', text: 'done' });
    // The private "working…" note is removed once the visible answer is there.
    expect((await fake.waitFor('response_url', (c) => c.body.delete_original === true)).body).toEqual({
      delete_original: true,
    });
  });

  it('thinks about at most 4 commands at once; the rest wait their turn and are all answered', async () => {
    await setup();
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    let running = 0;
    let most = 0;
    adapter.onCommand(async (req) => {
      running++;
      most = Math.max(most, running);
      await blocked;
      running--;
      return { message: textMessage(`done ${req.conversation.channel}`) };
    });
    const channels = Array.from({ length: 10 }, (_, i) => `C${i}`);
    const acks = await Promise.all(
      channels.map((channel, i) => command('clusters', { channel, triggerId: `trig-gate-${i}` })),
    );
    expect(acks.map((r) => r.status)).toEqual(channels.map(() => 200));
    await new Promise((r) => setTimeout(r, 200));
    expect(running).toBe(4);
    release();
    await Promise.all(
      channels.map((c) => fake.waitFor('chat.postMessage', (call) => call.body.channel === c)),
    );
    expect(most).toBe(4);
  });

  it('answers through the response_url when chat.postMessage is rate limited (429), so nothing is lost', async () => {
    await setup();
    fake.answerNext('chat.postMessage', { status: 429, retryAfterSec: 30 });
    adapter.onCommand(async () => ({ message: textMessage('the answer') }));
    const res = await command('clusters');
    expect(res.status).toBe(200);
    expect((await fake.waitFor('response_url')).body).toMatchObject({
      response_type: 'in_channel',
      text: 'the answer',
    });
  });

  it('falls back to the response_url where the bot cannot post, and updates through it', async () => {
    await setup();
    fake.answerNext('chat.postMessage', { error: 'channel_not_found' });
    adapter.onCommand(async () => ({
      message: sampleMessages.approval,
      afterPost: async (ref) => {
        await adapter.update(ref, textMessage('approved'));
        return { expectUpdate: true };
      },
    }));
    await command('restore store-042 --backup nightly-20261125020000', { channel: 'D1' });
    const first = await fake.waitFor('response_url');
    expect(first.body).toMatchObject({
      response_type: 'in_channel',
      replace_original: false,
      text: sampleMessages.approval.summary,
    });
    const second = await fake.waitFor('response_url', (c) => c.body.replace_original === true);
    expect(second.body).toMatchObject({ text: 'approved' });
    expect(fake.callsOf('chat.update')).toHaveLength(0);
  });

  it('acks with an empty body and answers an ephemeral reply (usage, denial) through the response_url', async () => {
    await setup();
    adapter.onCommand(async () => ({
      message: textMessage('You are not an operator of store-042.', 'error'),
      ephemeral: true,
    }));
    const res = await command('backup store-042');
    expect([res.status, res.body]).toEqual([200, '']);
    expect((await fake.waitFor('response_url')).body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'You are not an operator of store-042.',
    });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('turns a listener crash into a private "internal error" reply, never silence', async () => {
    await setup();
    adapter.onCommand(async () => {
      throw new Error('boom with xoxb-secret');
    });
    await command('status store-042');
    const reply = JSON.stringify((await fake.waitFor('response_url')).body);
    expect(reply).toMatch(/Internal error, logged as [0-9a-f]{8}/);
    expect(reply).not.toContain('xoxb-secret');
  });

  it('says "internal error" privately when the work after the ack fails (Redis down)', async () => {
    const down: DeliveryDeduper = {
      firstTime: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      },
    };
    await setup(2000, down);
    const calls = jest.fn(async () => ({ message: textMessage('x') }));
    adapter.onCommand(calls);
    const res = await command('status store-042');
    expect(res.status).toBe(200);
    expect((await fake.waitFor('response_url')).body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Internal error, logged as [0-9a-f]{8}\.$/),
    });
    expect(calls).not.toHaveBeenCalled();
  });

  it('resolves usergroups once per cache period', async () => {
    await setup();
    const users: string[][] = [];
    adapter.onCommand(async (req) => {
      users.push(req.user.groups);
      return { message: textMessage('ok'), ephemeral: true };
    });
    const answered = async (n: number) => {
      while (fake.callsOf('response_url').length < n) await new Promise((r) => setTimeout(r, 10));
    };
    await command('whoami');
    await answered(1);
    await command('whoami', { user: 'U5' });
    await answered(2);
    expect(users).toEqual([['slack-group:S0ABC'], []]);
    expect(fake.callsOf('usergroups.users.list')).toHaveLength(1);
  });
});

describe('Slack request security', () => {
  it('answers 401 to a forged signature and runs nothing', async () => {
    await setup();
    const calls = jest.fn(async () => ({ message: textMessage('x') }));
    adapter.onCommand(calls);
    const body = slashCommandBody({ text: 'status all', responseUrl: fake.responseUrl('x') });
    const res = await postSigned(url, body, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const unsigned = await postSigned(url, body, { secret, signature: '' });
    expect(unsigned.status).toBe(401);
    expect(calls).not.toHaveBeenCalled();
    expect(fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('answers 413 to a body over 4 MB without reading the rest, and runs nothing', async () => {
    await setup();
    const calls = jest.fn(async () => ({ message: textMessage('x') }));
    adapter.onCommand(calls);
    const body = `${slashCommandBody({ text: 'status all', responseUrl: fake.responseUrl('x') })}&pad=${'a'.repeat(4 * 1024 * 1024)}`;
    const res = await postSigned(url, body, { secret });
    expect(res.status).toBe(413);
    expect(calls).not.toHaveBeenCalled();
  });

  it("answers Slack's ssl_check (unsigned) with 200 and runs nothing", async () => {
    await setup();
    const calls = jest.fn(async () => ({ message: textMessage('x') }));
    adapter.onCommand(calls);
    const res = await postSigned(url, 'ssl_check=1&command=%2Fdp&token=x', { secret, signature: '' });
    expect(res.status).toBe(200);
    expect(calls).not.toHaveBeenCalled();
  });

  it('answers 401 to a correctly signed request older than 5 minutes', async () => {
    await setup();
    const calls = jest.fn(async () => ({ message: textMessage('x') }));
    adapter.onCommand(calls);
    const body = slashCommandBody({ text: 'status all', responseUrl: fake.responseUrl('x') });
    const res = await postSigned(url, body, { secret, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    expect(calls).not.toHaveBeenCalled();
  });

  it('never runs a command twice when Slack retries the same delivery', async () => {
    await setup();
    const calls = jest.fn(async () => ({ message: textMessage('scan queued') }));
    adapter.onCommand(calls);
    const body = slashCommandBody({
      text: 'status store-042',
      responseUrl: fake.responseUrl('r'),
      triggerId: '123.456.abc',
    });
    const first = await postSigned(url, body, { secret });
    const retry = await postSigned(url, body, { secret, retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await fake.waitFor('chat.postMessage');
    expect(calls).toHaveBeenCalledTimes(1);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('Slack buttons', () => {
  const click = (
    actionId: string,
    value: object,
    extra: Partial<Parameters<typeof blockActionsBody>[0]> = {},
  ) =>
    postSigned(
      url,
      blockActionsBody({
        actionId,
        value: JSON.stringify(value),
        responseUrl: fake.responseUrl('act'),
        ...extra,
      }),
      {
        secret,
      },
    );

  it('turns dp:approve into a ButtonClick and replaces the card in place', async () => {
    await setup();
    const clicks: ButtonClick[] = [];
    adapter.onClick(async (c) => {
      clicks.push(c);
      return { message: textMessage('Approved by slack:T1/U3'), replaceOriginal: true };
    });
    const res = await click(
      'dp:approve',
      { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' },
      { messageTs: '1700000000.000777' },
    );
    expect(res.status).toBe(200);
    const update = await fake.waitFor('chat.update');
    expect(update.body).toMatchObject({
      channel: 'C1',
      ts: '1700000000.000777',
      text: 'Approved by slack:T1/U3',
    });
    expect(clicks[0]).toMatchObject({
      verb: 'approve',
      value: { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' },
      user: { id: 'slack:T1/U3', groups: [] },
      message: { platform: 'slack', channel: 'C1', id: '1700000000.000777' },
    });
  });

  it('maps a repeated verb (dp:snooze:2) to the verb and answers a denial privately', async () => {
    await setup();
    const verbs: string[] = [];
    adapter.onClick(async (c) => {
      verbs.push(c.verb);
      return { message: textMessage('Only operators of store-042 can snooze.', 'error'), ephemeral: true };
    });
    await click('dp:snooze', { key: 'store-042/backup-freshness/velero/nightly', for: '1d' });
    const denial = await fake.waitFor('response_url');
    expect(denial.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(denial.body.text).toBe('Only operators of store-042 can snooze.');
    expect(verbs).toEqual(['snooze']);
  });

  it('refuses a button value that is not an object of ids, without calling the listener', async () => {
    await setup();
    const listener = jest.fn();
    adapter.onClick(listener);
    await click('dp:approve', ['not', 'an', 'object']);
    expect((await fake.waitFor('response_url')).body.response_type).toBe('ephemeral');
    expect(listener).not.toHaveBeenCalled();
  });
});
