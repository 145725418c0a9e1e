/**
 * Pictures end to end through the real platform libraries: `/dp chart` and `/dp digest` answered by the
 * real Router; Slack uploads through Bolt's filesUploadV2 to the fake Slack (bytes recorded), Teams
 * posts an inline image/png attachment through botbuilder to the fake connector, the shell writes a file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Redis } from 'ioredis';
import { PNG } from 'pngjs';
import { ShellAdapter } from '../../adapters/chat/shell/shell-adapter.js';
import { TeamsAdapter } from '../../adapters/chat/teams/teams-adapter.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { ConversationRefStore } from '../../adapters/store/conversation-refs.js';
import type { BotMessage } from '../../bot/message.js';
import { FakeBotConnector, type JsonObject } from '../fakes/bot-connector/fake-bot-connector.js';
import { botInstalled, CHANNEL, teamsMessage } from '../fakes/bot-connector/teams-activities.js';
import { postSigned, slashCommandBody } from '../fakes/slack-api/slack-requests.js';
import { newRedis } from '../support/redis.js';
import { type ChartHarness, startChartHarness } from './chart-harness.js';
import { type SlackRig, startSlackRig } from './slack-rig.js';

const secret = 'test-signing-secret';
let redis: Redis;
let h: ChartHarness;

beforeEach(async () => {
  redis = newRedis();
  h = await startChartHarness(redis);
});
afterEach(async () => {
  await redis.quit();
});

function decode(bytes: Buffer): PNG {
  const png = PNG.sync.read(bytes);
  expect(png.width).toBeLessThanOrEqual(1000);
  expect(png.height).toBeLessThanOrEqual(1000);
  return png;
}

async function ask(text: string, platform: 'slack' | 'teams' | 'shell' = 'slack'): Promise<BotMessage> {
  const reply = await h.router.handle({
    platform,
    user: { id: 'slack:T1/U1', groups: [] },
    conversation: { platform, channel: 'C1' },
    text,
  });
  return reply.message;
}

describe('Slack: pictures are uploaded with files.getUploadURLExternal / completeUploadExternal', () => {
  let rig: SlackRig;
  beforeEach(async () => {
    rig = await startSlackRig(secret);
    rig.adapter.onCommand((req) => h.router.handle(req));
  });
  afterEach(() => rig.stop());

  it('/dp chart all: the PNG bytes reach the upload URL and the file is shared into the channel with the blocks', async () => {
    const res = await postSigned(
      rig.url,
      slashCommandBody({ text: 'chart all', channel: 'C0123ABCD', responseUrl: rig.fake.responseUrl('c1') }),
      { secret },
    );
    expect(res.status).toBe(200);
    const complete = await rig.fake.waitFor('files.completeUploadExternal');
    const [asked] = rig.fake.callsOf('files.getUploadURLExternal');
    const [upload] = rig.fake.callsOf('upload');
    expect(asked.body).toMatchObject({ filename: expect.stringMatching(/^dpbot-fleet-.*\.png$/) });
    expect(Number(asked.body.length)).toBe(upload.bytes!.length);
    expect(asked.body.alt_text).toMatch(/^Heatmap of 12 clusters/);
    const png = decode(upload.bytes!);
    expect(png.width).toBeGreaterThan(300);
    expect(complete.body).toMatchObject({ channel_id: 'C0123ABCD', files: [{ id: upload.responseId }] });
    expect(JSON.stringify(complete.body.blocks)).toContain('Fleet heatmap: 12 clusters');
    expect(rig.fake.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it.each([
    ['files.getUploadURLExternal', 'missing_scope', 'dpbot lacks the files:write scope'],
    ['files.completeUploadExternal', 'not_in_channel', 'invite dpbot to this channel for pictures'],
  ])(
    '%s answering %s: the answer still arrives, as text that says why the picture is missing',
    async (method, error, why) => {
      rig.fake.answerNext(method, { error });
      const message = await ask('chart store-0000');
      await rig.adapter.send({ platform: 'slack', channel: 'C0123ABCD' }, message);
      const [post] = rig.fake.callsOf('chat.postMessage');
      expect(JSON.stringify(post.body.blocks)).toContain(`picture not uploaded (${why})`);
    },
  );

  it('/dp digest: one message with the heatmap, counts, the ten worst findings and the changes', async () => {
    const message = await ask('digest');
    const ref = await rig.adapter.send({ platform: 'slack', channel: 'C0123ABCD' }, message);
    expect(ref.id).toMatch(/^file:F/);
    const complete = await rig.fake.waitFor('files.completeUploadExternal');
    const blocks = JSON.stringify(complete.body.blocks);
    expect(blocks).toContain('12 clusters:');
    expect(blocks).toContain('First digest');
    decode(rig.fake.callsOf('upload')[0].bytes!);
  });
});

describe('Teams: an inline image/png attachment next to the card', () => {
  let http: HttpServer;
  let connector: FakeBotConnector;
  let adapter: TeamsAdapter;
  let url: string;
  beforeEach(async () => {
    connector = new FakeBotConnector();
    await connector.start();
    http = new HttpServer();
    adapter = new TeamsAdapter({
      http,
      conversationRefs: new ConversationRefStore(redis, { prefix: h.prefix }),
    });
    adapter.onCommand((req) => h.router.handle(req));
    await adapter.start();
    url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}/api/messages`;
  });
  afterEach(async () => {
    await adapter.stop();
    await http.close();
    await connector.stop();
  });
  const post = (activity: JsonObject) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  function imageOf(activity: JsonObject): Buffer {
    const attachments = activity.attachments as { contentType: string; contentUrl?: string }[];
    expect(attachments.map((a) => a.contentType)).toEqual([
      'application/vnd.microsoft.card.adaptive',
      'image/png',
    ]);
    const dataUrl = attachments[1].contentUrl!;
    expect(dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    return Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  }

  it('"chart all" is answered with the card and the PNG as a data URL under 1 MB', async () => {
    expect((await post(teamsMessage(connector.url, 'chart all', { mention: true }))).status).toBe(200);
    const reply = await connector.waitFor((c) => c.kind === 'reply');
    const png = imageOf(reply.activity);
    expect(png.length).toBeLessThan(1024 * 1024);
    decode(png);
  });

  it('the digest posted proactively carries the heatmap; a picture over 1 MB is left out and the card says so', async () => {
    expect((await post(botInstalled(connector.url))).status).toBe(200);
    const digest = await ask('digest', 'teams');
    await adapter.send({ platform: 'teams', channel: CHANNEL }, digest);
    decode(imageOf(connector.delivered('send')[0].activity));

    const huge = {
      ...digest,
      image: { ...digest.image!, pngBase64: Buffer.alloc(1100 * 1024, 7).toString('base64') },
    };
    await adapter.send({ platform: 'teams', channel: CHANNEL }, huge);
    const second = connector.delivered('send')[1].activity;
    const attachments = second.attachments as { contentType: string }[];
    expect(attachments.map((a) => a.contentType)).toEqual(['application/vnd.microsoft.card.adaptive']);
    expect(JSON.stringify(attachments[0])).toContain("over Teams' 1 MB limit for inline images");
  });
});

describe('shell: the PNG is written under the chart directory and its path printed', () => {
  it('/dp chart store-0000 writes a decodable PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpbot-charts-'));
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => {
      printed += d.toString();
    });
    const shell = new ShellAdapter({
      user: 'alice',
      input: new PassThrough(),
      output,
      interactive: false,
      chartDir: dir,
    });
    await shell.send({ platform: 'shell', channel: 'shell' }, await ask('chart store-0000', 'shell'));
    const path = /picture: (\S+\.png)/.exec(printed)?.[1];
    expect(path).toBeDefined();
    expect(path!.startsWith(dir)).toBe(true);
    expect(path).toMatch(/dpbot-backups-store-0000-20261203T0800Z\.png$/);
    decode(readFileSync(path!));
    expect(printed).toContain('Backup history of store-0000');
  });
});
