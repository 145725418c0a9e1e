/**
 * A restore drill through Microsoft Teams: `@dpbot drill …` into real botbuilder (CloudAdapter, anonymous
 * as the Emulator), the approval card replied in the thread and updated on the fake Bot Framework
 * connector, the Approve button (Action.Execute invoke) clicked by a second person, and the verdict card —
 * with real BullMQ, Redis and client-node underneath.
 */
import type { Redis } from 'ioredis';
import { TeamsAdapter } from '../../adapters/chat/teams/teams-adapter.js';
import { HttpServer } from '../../adapters/http/http-server.js';
import { ConversationRefStore } from '../../adapters/store/conversation-refs.js';
import { buildConfig } from '../../bot/config.js';
import {
  type ConnectorCall,
  FakeBotConnector,
  type JsonObject,
} from '../fakes/bot-connector/fake-bot-connector.js';
import { ALICE, BOB, cardClick, teamsMessage } from '../fakes/bot-connector/teams-activities.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { type DrillRig, startDrillRig } from './drill-harness.js';

let redis: Redis;
let connector: FakeBotConnector;
let http: HttpServer;
let adapter: TeamsAdapter;
let url: string;
let rig: DrillRig;

beforeAll(async () => {
  redis = newRedis();
  connector = new FakeBotConnector();
  await connector.start();
  http = new HttpServer();
  adapter = new TeamsAdapter({
    http,
    conversationRefs: new ConversationRefStore(redis, { prefix: uniquePrefix('teams') }),
  });
  const config = buildConfig(
    {
      defaults: { drills: { timeout: '5s' } },
      clusters: [
        {
          name: 'store-1',
          access: {
            viewers: ['*'],
            operators: [`teams:${ALICE.aadObjectId}`],
            approvers: [`teams:${ALICE.aadObjectId}`, `teams:${BOB.aadObjectId}`],
          },
        },
      ],
    },
    'test',
  );
  rig = await startDrillRig(config, { senders: { teams: adapter } });
  adapter.onCommand((req) => rig.h.router.handle(req));
  adapter.onClick((click) => rig.h.router.handleClick(click));
  await adapter.start();
  url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}/api/messages`;
});

afterAll(async () => {
  rig.velero.stop();
  await rig.h.close();
  await adapter.stop();
  await http.close();
  await connector.stop();
  redis.disconnect();
});

const post = async (activity: JsonObject) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
const cardText = (c: ConnectorCall) => JSON.stringify(c.activity.attachments ?? c.activity.text ?? '');

/** The `data` of the card's Action.Execute button with this verb, wherever it sits in the card. */
function buttonData(c: ConnectorCall, verb: string): Record<string, string> | undefined {
  let found: Record<string, string> | undefined;
  JSON.stringify(c.activity.attachments, (_k, v: unknown) => {
    const a = v as { type?: string; verb?: string; data?: Record<string, string> };
    if (a && a.type === 'Action.Execute' && a.verb === verb) found ??= a.data;
    return v;
  });
  return found;
}

it('@dpbot drill in Teams → approval card → Approve by a second person → verdict card updated in place', async () => {
  const command = teamsMessage(connector.url, 'drill store-1 --namespaces pos', { mention: true });
  expect((await post(command)).status).toBe(200);
  // The reply is edited into the approval card once preflight passed.
  const card = await connector.waitFor((c) => c.kind !== 'send' && cardText(c).includes('approval needed'));
  const cardId = card.kind === 'update' ? card.activityId! : card.id!;
  const data = buttonData(card, 'dp:approve');
  expect(data && Object.keys(data).sort()).toEqual(['hash', 'id']);

  // The requester cannot approve her own drill: refused, nothing runs.
  const own = await post(
    cardClick(connector.url, cardId, 'dp:approve', data!, { from: ALICE, rootId: String(command.id) }),
  );
  expect(await own.text()).toContain('a second person must approve it');

  const click = await post(
    cardClick(connector.url, cardId, 'dp:approve', data!, { from: BOB, rootId: String(command.id) }),
  );
  expect(click.status).toBe(200);
  const final = await connector.waitFor(
    (c) =>
      c.kind === 'update' &&
      c.activityId === cardId &&
      cardText(c).includes('Drill PASSED') &&
      cardText(c).includes('Cleaned up'),
  );
  expect(cardText(final)).toContain(`dp-drill-${data!.id}-pos`);
  expect(await rig.h.drills.get(data!.id)).toMatchObject({
    verdict: 'passed',
    requester: `teams:${ALICE.aadObjectId}`,
  });
  expect(
    rig.h.fake
      .cluster('store-1')
      .list('namespaces')
      .map((n) => n.metadata.name),
  ).not.toContain(`dp-drill-${data!.id}-pos`);
});
