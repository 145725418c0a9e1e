/**
 * End to end: Teams-shaped activities posted to the real CloudAdapter at /api/messages on the shared
 * HTTP server; replies, updates and proactive posts land on a loopback Bot Framework connector.
 */
import type { Redis } from 'ioredis';
import { cardBytes } from '../../adapters/chat/teams/render.js';
import { TeamsAdapter } from '../../adapters/chat/teams/teams-adapter.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { ConversationRefStore } from '../../adapters/store/conversation-refs.js';
import {
  type ButtonClick,
  type CommandRequest,
  type MessageRef,
  RateLimitedError,
  type Reply,
} from '../../bot/chat-port.js';
import { textMessage } from '../../bot/message.js';
import {
  type ConnectorCall,
  FakeBotConnector,
  type JsonObject,
} from '../fakes/bot-connector/fake-bot-connector.js';
import {
  ALICE,
  BOB,
  botInstalled,
  botUninstalled,
  CHANNEL,
  cardClick,
  GROUP_CHAT,
  PERSONAL_CHAT,
  TENANT,
  teamsMessage,
} from '../fakes/bot-connector/teams-activities.js';
import { sampleMessages } from '../fixtures/sample-messages.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { cardProblems } from '../unit/teams/card-validator.js';

interface Harness {
  http: HttpServer;
  url: string;
  adapter: TeamsAdapter;
  commands: CommandRequest[];
  clicks: ButtonClick[];
}

let redis: Redis;
let prefix: string;
let connector: FakeBotConnector;
const harnesses: Harness[] = [];

async function startHarness(
  opts: { appId?: string; onCommand?: (r: CommandRequest) => Promise<Reply> } = {},
) {
  const http = new HttpServer();
  const adapter = new TeamsAdapter({
    http,
    conversationRefs: new ConversationRefStore(redis, { prefix }),
    appId: opts.appId,
    appPassword: opts.appId ? 'not-a-real-secret' : undefined,
  });
  const h: Harness = { http, adapter, url: '', commands: [], clicks: [] };
  adapter.onCommand(async (req) => {
    h.commands.push(req);
    return opts.onCommand ? opts.onCommand(req) : { message: sampleMessages['status-report'] };
  });
  await adapter.start();
  h.url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}/api/messages`;
  harnesses.push(h);
  return h;
}

async function post(h: Harness, activity: JsonObject, headers: Record<string, string> = {}) {
  const res = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, text };
}

function cardOf(call: ConnectorCall) {
  const attachments = call.activity.attachments as { contentType: string; content: JsonObject }[];
  expect(attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachments[0].content;
}

beforeEach(async () => {
  redis = newRedis();
  prefix = uniquePrefix('teams');
  connector = new FakeBotConnector();
  await connector.start();
});

afterEach(async () => {
  // Every card that reached "Teams" parses cleanly with the adaptivecards package and fits the limit.
  for (const call of connector.delivered()) {
    if (call.kind === 'reply' || call.kind === 'send' || call.kind === 'update') {
      const card = cardOf(call);
      expect(cardProblems(card as never)).toEqual([]);
      expect(cardBytes(card as never)).toBeLessThan(25 * 1024);
    }
  }
  for (const h of harnesses.splice(0)) {
    await h.adapter.stop();
    await h.http.close();
  }
  await connector.stop();
  redis.disconnect();
});

describe('Teams commands', () => {
  test('@dpbot status in a channel: mention stripped, identity teams:<aadObjectId>, card replied in the thread', async () => {
    let posted: MessageRef | undefined;
    const h = await startHarness({
      onCommand: async () => ({
        message: sampleMessages['status-report'],
        afterPost: async (ref) => {
          posted = ref;
          return { expectUpdate: true };
        },
      }),
    });
    const activity = teamsMessage(connector.url, 'status store-042', { mention: true });
    expect((await post(h, activity)).status).toBe(200);

    expect(h.commands).toHaveLength(1);
    expect(h.commands[0]).toMatchObject({
      platform: 'teams',
      text: 'status store-042',
      user: { id: `teams:${ALICE.aadObjectId}`, displayName: 'Alice' },
      conversation: { platform: 'teams', channel: CHANNEL, thread: activity.id, team: TENANT },
      deliveryId: activity.id,
    });
    const [reply] = connector.delivered('reply');
    expect(reply.conversationId).toBe(`${CHANNEL};messageid=${activity.id}`);
    expect(reply.activityId).toBe(activity.id);
    expect(reply.authorization).toBeUndefined(); // anonymous mode sends no token
    expect(JSON.stringify(cardOf(reply))).toContain('BackupStale');
    expect(posted).toEqual({
      platform: 'teams',
      channel: CHANNEL,
      thread: activity.id,
      team: TENANT,
      id: reply.id,
    });
  });

  test.each([
    ['dp in a channel', teamsMessage('', 'dp status store-042'), 'status store-042'],
    ['@dpbot dp … in a channel', teamsMessage('', 'dp status all', { mention: true }), 'status all'],
    [
      'dp in a group chat',
      teamsMessage('', 'dp backups store-042 --limit 5', { scope: 'groupChat' }),
      'backups store-042 --limit 5',
    ],
    ['bare command in personal chat', teamsMessage('', 'whoami', { scope: 'personal' }), 'whoami'],
    ['dp alone asks for help', teamsMessage('', 'dp', { scope: 'personal' }), ''],
  ])('%s reaches the listener', async (_name, activity, text) => {
    const h = await startHarness();
    expect((await post(h, { ...activity, serviceUrl: connector.url })).status).toBe(200);
    expect(h.commands.map((c) => c.text)).toEqual([text]);
    expect(connector.delivered()).toHaveLength(1);
  });

  test('channel chatter that is neither dp nor a mention is ignored', async () => {
    const h = await startHarness();
    expect((await post(h, teamsMessage(connector.url, 'deploy status looks fine'))).status).toBe(200);
    expect(h.commands).toEqual([]);
    expect(connector.calls).toEqual([]);
  });

  test('a listener that throws still gets an answer with an error id, not silence', async () => {
    const h = await startHarness({ onCommand: async () => Promise.reject(new Error('boom')) });
    await post(h, teamsMessage(connector.url, 'whoami', { scope: 'personal' }));
    const [reply] = connector.delivered('reply');
    expect(reply.conversationId).toBe(PERSONAL_CHAT);
    expect(JSON.stringify(cardOf(reply))).toMatch(/internal error, logged as [0-9a-f]{8}/);
  });
});

describe('Teams authentication', () => {
  test('with an app id, a request without a Bot Framework token is refused and never reaches the bot', async () => {
    const h = await startHarness({ appId: '00000000-0000-0000-0000-0000000a0001' });
    const res = await post(h, teamsMessage(connector.url, 'dp status store-042'));
    expect(res.status).toBe(401);
    expect(h.commands).toEqual([]);
    expect(connector.calls).toEqual([]);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  test('a body that is not JSON is answered 400', async () => {
    const h = await startHarness();
    const res = await fetch(h.url, { method: 'POST', body: 'not json' });
    expect(res.status).toBe(400);
  });
});

describe('Teams proactive messages', () => {
  test.each(['channel', 'groupChat'] as const)(
    'removing dpbot (%s) forgets the conversation: later alerts there fail loudly, nothing is posted',
    async (scope) => {
      const h = await startHarness();
      const to = scope === 'channel' ? CHANNEL : GROUP_CHAT;
      expect((await post(h, botInstalled(connector.url, scope))).status).toBe(200);
      await h.adapter.send({ platform: 'teams', channel: to }, textMessage('installed'));
      expect(connector.delivered('send')).toHaveLength(1);
      expect((await post(h, botUninstalled(connector.url, scope))).status).toBe(200);
      await expect(h.adapter.send({ platform: 'teams', channel: to }, textMessage('after'))).rejects.toThrow(
        /no Teams conversation reference/,
      );
      expect(connector.delivered('send')).toHaveLength(1);
    },
  );

  test('install saves the conversation ref; after a restart alerts are posted and updated in place', async () => {
    const first = await startHarness();
    expect((await post(first, botInstalled(connector.url))).status).toBe(200);
    await first.adapter.stop();
    await first.http.close();

    // A new process: nothing in memory, only Redis.
    const second = await startHarness();
    const ref = await second.adapter.send(
      { platform: 'teams', channel: CHANNEL, team: TENANT },
      sampleMessages.alert,
    );
    const sent = connector.delivered('send');
    expect(sent).toHaveLength(1);
    expect(sent[0].conversationId).toBe(CHANNEL);
    expect(ref).toEqual({ platform: 'teams', channel: CHANNEL, team: TENANT, id: sent[0].id });
    expect(JSON.stringify(cardOf(sent[0]))).toContain('dp:snooze');

    await second.adapter.update(ref, textMessage('store-042: backup-freshness resolved'));
    const [update] = connector.delivered('update');
    expect(update).toMatchObject({ conversationId: CHANNEL, activityId: ref.id });
    expect(JSON.stringify(cardOf(update))).toContain('resolved');

    // Thread replies go to the reply chain of the alert.
    await second.adapter.send(
      { platform: 'teams', channel: CHANNEL, thread: ref.id },
      textMessage('still failing'),
    );
    expect(connector.delivered('send')[1].conversationId).toBe(`${CHANNEL};messageid=${ref.id}`);
  });

  test('a message in a group chat also saves its ref', async () => {
    const h = await startHarness();
    await post(h, teamsMessage(connector.url, 'dp whoami', { scope: 'groupChat' }));
    await h.adapter.send({ platform: 'teams', channel: GROUP_CHAT }, sampleMessages.text);
    expect(connector.delivered('send').map((c) => c.conversationId)).toEqual([GROUP_CHAT]);
  });

  test('an unknown conversation is a clear error, not a silent drop', async () => {
    const h = await startHarness();
    await expect(
      h.adapter.send({ platform: 'teams', channel: '19:nobody@thread.tacv2' }, sampleMessages.text),
    ).rejects.toMatchObject({
      code: 'TeamsConversationUnknown',
    });
  });
});

describe('Teams card clicks (adaptiveCard/action)', () => {
  async function postApprovalCard() {
    const h = await startHarness({ onCommand: async () => ({ message: sampleMessages.approval }) });
    const command = teamsMessage(connector.url, 'restore store-042 --backup nightly-20261125020000', {
      mention: true,
    });
    await post(h, command);
    const [card] = connector.delivered('reply');
    return { h, card, rootId: String(command.id) };
  }

  test('Approve: the click listener gets ids only and the card is replaced by its updated version', async () => {
    const { h, card, rootId } = await postApprovalCard();
    let replacedRef: MessageRef | undefined;
    h.adapter.onClick(async (click) => {
      h.clicks.push(click);
      return {
        replaceOriginal: true,
        message: {
          ...sampleMessages.approval,
          buttons: [],
          sections: [{ type: 'text', text: `approved by ${click.user.id}` }],
        },
        afterPost: async (ref) => {
          replacedRef = ref;
          return undefined;
        },
      };
    });
    const res = await post(
      h,
      cardClick(connector.url, card.id!, 'dp:approve', { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' }, { rootId }),
    );

    expect(res.status).toBe(200);
    expect(h.clicks).toHaveLength(1);
    expect(h.clicks[0]).toMatchObject({
      platform: 'teams',
      verb: 'approve',
      value: { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' },
      user: { id: `teams:${BOB.aadObjectId}` },
      conversation: { channel: CHANNEL, thread: rootId },
      message: { platform: 'teams', channel: CHANNEL, thread: rootId, id: card.id },
    });
    const invokeResponse = JSON.parse(res.text) as { statusCode: number; type: string; value: JsonObject };
    expect(invokeResponse.statusCode).toBe(200);
    expect(invokeResponse.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(invokeResponse.value as never)).toEqual([]);
    expect(JSON.stringify(invokeResponse.value)).toContain(`approved by teams:${BOB.aadObjectId}`);
    // Everyone else sees the new card too: the original activity was updated in place.
    const [update] = connector.delivered('update');
    expect(update.activityId).toBe(card.id);
    expect(JSON.stringify(cardOf(update))).toContain('approved by');
    expect(JSON.stringify(cardOf(update))).not.toContain('dp:approve');
    expect(replacedRef?.id).toBe(card.id);
  });

  test('a denied click is answered to the clicker only, the card stays as it was', async () => {
    const { h, card, rootId } = await postApprovalCard();
    h.adapter.onClick(async () => ({
      ephemeral: true,
      message: textMessage('You cannot approve your own request.', 'error'),
    }));
    const res = await post(
      h,
      cardClick(
        connector.url,
        card.id!,
        'dp:approve',
        { id: 'k3J9xQ2m', hash: 'x' },
        { from: ALICE, rootId },
      ),
    );
    expect(JSON.parse(res.text)).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'You cannot approve your own request.',
    });
    expect(connector.delivered('update')).toEqual([]);
    expect(connector.delivered()).toHaveLength(1); // only the original card
  });

  test('a non-ephemeral reply to a click is posted in the conversation', async () => {
    const { h, card, rootId } = await postApprovalCard();
    h.adapter.onClick(async () => ({ message: sampleMessages['status-report'] }));
    await post(h, cardClick(connector.url, card.id!, 'dp:status', { cluster: 'store-042' }, { rootId }));
    const posted = connector.delivered().filter((c) => c.id !== card.id);
    expect(posted).toHaveLength(1);
    expect(posted[0].conversationId).toBe(`${CHANNEL};messageid=${rootId}`);
  });

  test('an unknown verb is refused without calling the listener', async () => {
    const { h, card } = await postApprovalCard();
    h.adapter.onClick(async (click) => {
      h.clicks.push(click);
      return { message: textMessage('no') };
    });
    const res = await post(h, cardClick(connector.url, card.id!, 'dp:drop-database', { id: 'x' }));
    expect(JSON.parse(res.text)).toMatchObject({ statusCode: 400 });
    expect(h.clicks).toEqual([]);
  });
});

describe('Teams outbound retries', () => {
  async function installed() {
    const h = await startHarness();
    await post(h, botInstalled(connector.url));
    return h;
  }

  test('a 429 with Retry-After is retried and the message is delivered once', async () => {
    const h = await installed();
    connector.failNext(429, 2, { 'retry-after': '0' });
    const ref = await h.adapter.send({ platform: 'teams', channel: CHANNEL }, sampleMessages.alert);
    expect(connector.calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(connector.delivered('send').map((c) => c.id)).toEqual([ref.id]);
  });

  test('a 5xx is retried too', async () => {
    const h = await installed();
    connector.failNext(503, 1, { 'retry-after-ms': '1' });
    await h.adapter.update({ platform: 'teams', channel: CHANNEL, id: 'activity-9' }, sampleMessages.text);
    expect(connector.calls.map((c) => c.status)).toEqual([503, 200]);
  });

  test('when Teams keeps throttling, send throws RateLimitedError with its Retry-After for the notify job', async () => {
    const h = await installed();
    // retry-after-ms keeps the client's own retries fast; Retry-After is what the job is told.
    connector.failNext(429, 10, { 'retry-after-ms': '1', 'retry-after': '7' });
    const err = await h.adapter
      .send({ platform: 'teams', channel: CHANNEL }, sampleMessages.text)
      .catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.retryAfterMs).toBe(7000);
    expect(connector.delivered()).toEqual([]);
  });

  test('a persistent 5xx surfaces as a retryable TeamsUnavailable error', async () => {
    const h = await installed();
    connector.failNext(503, 10, { 'retry-after-ms': '1' });
    await expect(
      h.adapter.send({ platform: 'teams', channel: CHANNEL }, sampleMessages.text),
    ).rejects.toMatchObject({
      code: 'TeamsUnavailable',
    });
  });
});
