/**
 * A restore drill through Slack: a signed `/dp drill` slash command into real Bolt (HTTP receiver),
 * the card posted and edited with chat.update on the fake Slack Web API, the Approve button clicked
 * by a second person, and the verdict card — with real BullMQ, Redis and client-node underneath.
 */
import { buildConfig } from '../../bot/config.js';
import type { RecordedCall } from '../fakes/slack-api/fake-slack-api.js';
import { blockActionsBody, postSigned, slashCommandBody } from '../fakes/slack-api/slack-requests.js';
import { type DrillRig, startDrillRig } from './drill-harness.js';
import { type SlackRig, startSlackRig } from './slack-rig.js';

const secret = 'drill-signing-secret';
let slack: SlackRig;
let rig: DrillRig;

beforeAll(async () => {
  slack = await startSlackRig(secret);
  const config = buildConfig(
    {
      defaults: { drills: { timeout: '5s' } },
      clusters: [
        {
          name: 'store-1',
          access: { viewers: ['*'], operators: ['slack:T1/U2'], approvers: ['slack:T1/U2', 'slack:T1/U3'] },
        },
      ],
    },
    'test',
  );
  rig = await startDrillRig(config, { senders: { slack: slack.adapter } });
  slack.adapter.onCommand((req) => rig.h.router.handle(req));
  slack.adapter.onClick((click) => rig.h.router.handleClick(click));
});

afterAll(async () => {
  rig.velero.stop();
  await rig.h.close();
  await slack.stop();
});

const updates = () => slack.fake.calls.filter((c) => c.method === 'chat.update');
const bodyText = (c: RecordedCall) => JSON.stringify(c.body);

it('/dp drill in Slack → approval card → Approve by a second person → verdict card edited in place', async () => {
  const res = await postSigned(
    slack.url,
    slashCommandBody({
      text: 'drill store-1 --namespaces pos',
      user: 'U2',
      responseUrl: slack.fake.responseUrl('cmd'),
    }),
    { secret },
  );
  expect(res.status).toBe(200);
  const card = await slack.fake.waitFor('chat.update', (c) => bodyText(c).includes('approval needed'));
  const ts = String(card.body.ts);
  const raw = card.body.blocks;
  const blocks = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
    elements?: { action_id?: string; value?: string }[];
  }[];
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'dp:approve');
  const value = JSON.parse(button?.value ?? '{}') as { id: string; hash: string };
  expect(Object.keys(value).sort()).toEqual(['hash', 'id']);

  const click = await postSigned(
    slack.url,
    blockActionsBody({
      actionId: 'dp:approve',
      value: JSON.stringify(value),
      user: 'U3',
      messageTs: ts,
      responseUrl: slack.fake.responseUrl('act'),
    }),
    { secret },
  );
  expect(click.status).toBe(200);
  const final = await slack.fake.waitFor(
    'chat.update',
    (c) => c.body.ts === ts && bodyText(c).includes('Drill PASSED') && bodyText(c).includes('Cleaned up'),
  );
  expect(bodyText(final)).toContain(`dp-drill-${value.id}-pos`);
  // Every edit went to the same message: the card was edited in place at each step.
  const edits = updates()
    .filter((c) => c.body.ts === ts)
    .map((c) => String(c.body.text));
  expect(edits.some((t) => t.includes('verifying'))).toBe(true);
  expect(await rig.h.drills.get(value.id)).toMatchObject({ verdict: 'passed', requester: 'slack:T1/U2' });
  expect(
    rig.h.fake
      .cluster('store-1')
      .list('namespaces')
      .map((n) => n.metadata.name),
  ).not.toContain(`dp-drill-${value.id}-pos`);
});
