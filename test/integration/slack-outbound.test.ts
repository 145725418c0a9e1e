/** Outbound Slack: rate limits, outages, proxies, events; the notify job relies on these behaviours. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { SlackAdapter } from '../../adapters/chat/slack/slack-adapter.js';
import type { SlackAdapterOptions } from '../../adapters/chat/slack/slack-options.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { RedisDeduper } from '../../adapters/store/redis-deduper.js';
import { RateLimitedError } from '../../bot/chat-port.js';
import { textMessage } from '../../bot/message.js';
import { FakeSlackApi } from '../fakes/slack-api/fake-slack-api.js';
import { appMentionBody, postSigned } from '../fakes/slack-api/slack-requests.js';
import { sampleMessages } from '../fixtures/sample-messages.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

const secret = 'test-signing-secret';
const to = { platform: 'slack' as const, channel: 'C0123ABCD' };
let fake: FakeSlackApi;
let http: HttpServer;
let redis: Redis;

function adapterWith(extra: Partial<SlackAdapterOptions> = {}): SlackAdapter {
  return new SlackAdapter({
    botToken: 'xoxb-test',
    signingSecret: secret,
    http,
    apiUrl: fake.apiUrl,
    deduper: new RedisDeduper(redis, uniquePrefix('slack')),
    proxyEnv: {},
    ...extra,
  });
}

beforeEach(async () => {
  fake = new FakeSlackApi();
  await fake.start();
  http = new HttpServer();
  redis = newRedis();
});

afterEach(async () => {
  await http.close();
  await fake.stop();
  await redis.quit();
});

describe('Slack outbound', () => {
  it('sends and updates through the Web API', async () => {
    const adapter = adapterWith();
    const ref = await adapter.send(to, sampleMessages.alert);
    expect(ref).toMatchObject({ platform: 'slack', channel: 'C0123ABCD' });
    await adapter.update(ref, sampleMessages.text);
    expect(fake.callsOf('chat.update')[0].body).toMatchObject({ channel: 'C0123ABCD', ts: ref.id });
  });

  it('turns HTTP 429 into RateLimitedError carrying Retry-After, without retrying inside the client', async () => {
    const adapter = adapterWith();
    fake.answerNext('chat.postMessage', { status: 429, retryAfterSec: 7 });
    const err = await adapter.send(to, sampleMessages.alert).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(7000);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('fails fast while Slack is down so the notify job retries, and the next attempt delivers', async () => {
    const adapter = adapterWith();
    fake.answerNext('chat.postMessage', { status: 503 });
    await expect(adapter.send(to, sampleMessages.alert)).rejects.toThrow(/503/);
    await expect(adapter.send(to, sampleMessages.alert)).resolves.toMatchObject({ channel: 'C0123ABCD' });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('tunnels through HTTPS_PROXY/HTTP_PROXY (CONNECT) and bypasses it for NO_PROXY hosts', async () => {
    // A CONNECT proxy that records each tunnel target and connects every tunnel to the fake Slack.
    const tunnels: string[] = [];
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const upstream = connect(Number(new URL(fake.apiUrl).port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
      }
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const proxied = adapterWith({
        apiUrl: 'http://slack.example.invalid/api/',
        proxyEnv: { HTTP_PROXY: proxyUrl },
      });
      await proxied.send(to, textMessage('via proxy'));
      expect(tunnels).toEqual(['slack.example.invalid:80']);
      expect(fake.callsOf('chat.postMessage')[0].body).toMatchObject({ text: 'via proxy' });
      const direct = adapterWith({ proxyEnv: { HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
      await direct.send(to, textMessage('direct'));
      expect(tunnels).toHaveLength(1);
      expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});

describe('Slack events', () => {
  it('answers an @mention in its thread once, however often Slack retries the event', async () => {
    const adapter = adapterWith();
    const calls = jest.fn(async () => ({ message: textMessage('store-042: ok') }));
    adapter.onCommand(calls);
    const port = await http.listen(0, '127.0.0.1');
    await adapter.start();
    const url = `http://127.0.0.1:${port}/slack/events`;
    const body = appMentionBody('Ev01', '<@UBOT> status store-042');
    const opts = { secret, contentType: 'application/json' };
    expect((await postSigned(url, body, opts)).status).toBe(200);
    const post = await fake.waitFor('chat.postMessage');
    expect((await postSigned(url, body, { ...opts, retryNum: 1 })).status).toBe(200);
    expect((await postSigned(url, body, { ...opts, retryNum: 2 })).status).toBe(200);
    expect(post.body).toMatchObject({ channel: 'C1', thread_ts: '1700000001.000100', text: 'store-042: ok' });
    expect(calls).toHaveBeenCalledTimes(1);
    expect(calls.mock.calls[0]).toEqual([expect.objectContaining({ text: 'status store-042' })]);
  });
});
