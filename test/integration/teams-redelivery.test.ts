/**
 * DESIGN §5: "Job ids make every enqueue idempotent (a second click, a Slack retry, a redelivered job
 * do nothing new)". The Bot Framework delivers a message again (same activity id) when the bot's
 * answer was slow or lost; the real bot (startDpbot, real botbuilder) answers it once.
 */
import { FakeBotConnector, type JsonObject } from '../fakes/bot-connector/fake-bot-connector.js';
import { ALICE, botInstalled, teamsMessage } from '../fakes/bot-connector/teams-activities.js';
import { CLUSTER, type ContractBot, startContractBot } from '../support/chat-contract/contract-bot.js';

jest.setTimeout(60_000);

let connector: FakeBotConnector;
let contract: ContractBot;
let url: string;

beforeAll(async () => {
  connector = new FakeBotConnector();
  await connector.start();
  const ids = { alice: `teams:${ALICE.aadObjectId}`, bob: 'teams:nobody' };
  contract = await startContractBot({ ids, env: { PORT: '0' } });
  url = `http://127.0.0.1:${contract.bot.httpPort}/api/messages`;
  await post(botInstalled(connector.url));
});

afterAll(async () => {
  await contract?.close();
  await connector?.stop();
});

async function post(activity: JsonObject): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await res.text();
  expect(res.status).toBe(200);
}

it('a message delivered twice (same activity id) is answered once, and that card is edited by the scan', async () => {
  const activity = teamsMessage(connector.url, `status ${CLUSTER}`, { mention: true, from: ALICE });
  await post(activity);
  const [reply] = connector.delivered('reply');
  expect(reply).toBeDefined();
  await connector.waitFor((c) => c.kind === 'update' && c.activityId === reply.id);
  await post(activity);
  // A second command's reply would be posted inside its turn, before the 200 above.
  expect(connector.delivered('reply')).toHaveLength(1);
  // Another message (new activity id) is still answered.
  await post(teamsMessage(connector.url, `status ${CLUSTER}`, { mention: true, from: ALICE }));
  expect(connector.delivered('reply')).toHaveLength(2);
});
