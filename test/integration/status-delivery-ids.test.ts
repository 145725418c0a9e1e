/**
 * DESIGN §1/§5: `/dp status` answers at once and the same message is edited when the scan lands, however
 * the command arrived. Job ids come from the delivery id, and BullMQ refuses ids with a `:` in them: a
 * Slack @mention (delivery `evt:<event_id>`) or a Teams click whose invoke id has one (`f:<guid>`) used
 * to post a card that no scan ever edited. Real Bolt and botbuilder inside startDpbot.
 */
import { FakeBotConnector, type JsonObject } from '../fakes/bot-connector/fake-bot-connector.js';
import { ALICE, botInstalled, cardClick } from '../fakes/bot-connector/teams-activities.js';
import { FakeSlackApi } from '../fakes/slack-api/fake-slack-api.js';
import { appMentionBody, postSigned } from '../fakes/slack-api/slack-requests.js';
import { CLUSTER, type ContractBot, startContractBot } from '../support/chat-contract/contract-bot.js';

jest.setTimeout(20_000);

const SECRET = 'delivery-ids-secret';
const SCANNING = 'scanning now… this message will update';
let slack: FakeSlackApi;
let connector: FakeBotConnector;
let contract: ContractBot;
let base: string;

beforeAll(async () => {
  slack = new FakeSlackApi();
  await slack.start();
  connector = new FakeBotConnector();
  await connector.start();
  const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl };
  contract = await startContractBot({
    ids: { alice: 'slack:T1/U2', bob: `teams:${ALICE.aadObjectId}` },
    env: { ...env, PORT: '0' },
  });
  base = `http://127.0.0.1:${contract.bot.httpPort}`;
});

afterAll(async () => {
  await contract?.close();
  await slack?.stop();
  await connector?.stop();
});

it('Slack: "@dpbot status" is answered in its thread, then that message is edited with the scan', async () => {
  const body = appMentionBody('Ev0123ABCD', `<@UBOT> status ${CLUSTER}`);
  const ack = await postSigned(`${base}/slack/events`, body, {
    secret: SECRET,
    contentType: 'application/json',
  });
  expect(ack.status).toBe(200);
  const post = await slack.waitFor('chat.postMessage');
  expect(JSON.stringify(post.body.blocks)).toContain(SCANNING);
  const update = await slack.waitFor('chat.update', (c) => c.body.ts === post.ts);
  expect(JSON.stringify(update.body.blocks)).not.toContain(SCANNING);
  expect(JSON.stringify(update.body.blocks)).toContain('BackupFresh');
});

it('Teams: the Refresh click (invoke id "f:…") posts the report, then that message is edited', async () => {
  const post = async (activity: JsonObject) => {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    return { status: res.status, text: await res.text() };
  };
  await post(botInstalled(connector.url));
  const click = {
    ...cardClick(connector.url, 'activity-card', 'dp:status', { cluster: CLUSTER }, { from: ALICE }),
    id: 'f:6b3e2a1c-0000-4000-8000-000000000001',
  };
  const answer = await post(click);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toMatchObject({ statusCode: 200 });
  const [reply] = connector.delivered('reply');
  expect(reply).toBeDefined();
  const update = await connector.waitFor((c) => c.kind === 'update' && c.activityId === reply.id);
  expect(JSON.stringify(update.activity)).not.toContain(SCANNING);
});
