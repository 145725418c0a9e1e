/**
 * DESIGN §5: "Job ids make every enqueue idempotent (a second click, a Slack retry, a redelivered job
 * do nothing new)". The Bot Framework delivers a message again (same activity id) when the bot's
 * answer was slow or lost; the real bot (startDpbot, real botbuilder) answers it once.
 */
import { FakeBotConnector, type JsonObject } from '../fakes/bot-connector/fake-bot-connector.js';
import { ALICE, botInstalled, cardClick, teamsMessage } from '../fakes/bot-connector/teams-activities.js';
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

async function post(activity: JsonObject): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  return text;
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

it('a card click delivered twice (same invoke id) runs once; the repeat still gets an invoke answer', async () => {
  await post(teamsMessage(connector.url, `status ${CLUSTER}`, { mention: true, from: ALICE }));
  const card = connector.delivered('reply').at(-1)!;
  await connector.waitFor((c) => c.kind === 'update' && c.activityId === card.id);
  const calls = () => connector.delivered().filter((c) => c.kind === 'reply' || c.kind === 'update').length;
  const click = cardClick(connector.url, card.id!, 'dp:status', { cluster: CLUSTER }, { from: ALICE });
  await post(click);
  // The Refresh click's own card, and the scan's edit of it.
  await connector.waitFor((c) => c.kind === 'update' && c.activityId !== card.id);
  const before = calls();
  const again = JSON.parse(await post(click)) as { statusCode: number; type: string; value: unknown };
  expect(again).toEqual({
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: 'This click was already handled.',
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(calls()).toBe(before);
});
