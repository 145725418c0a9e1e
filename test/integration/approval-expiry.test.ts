/** Expiry (issue 6.6): a delayed job at expiresAt marks the proposal expired, edits the card; clicks are refused. */
import * as b from '../fakes/kube-api/builders.js';
import { approvalConfig, type Harness, startHarness, text } from './approval-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness(approvalConfig({ expiresAfter: '1s' }));
  h.fake.cluster('store-1').put(b.backupStorageLocation());
  h.fake.cluster('store-1').put(b.backup('nightly-1'));
});

afterEach(async () => {
  await h.close();
});

it('marks an unapproved proposal expired at expiresAt, updates its card and refuses a later click', async () => {
  const { ref } = await h.command('alice', 'restore store-1 --backup nightly-1');
  const card = await h.chat.waitForCard(ref.id, (m) => Boolean(m.buttons?.length));
  const value = card.buttons?.[0].value ?? {};
  expect(text((await h.command('bob', 'approvals')).reply.message)).toContain(value.id);

  const expired = await h.chat.waitForCard(ref.id, (m) => text(m).includes('Expired without approval'));
  expect(expired.buttons).toBeUndefined();
  expect((await h.proposals.get(value.id))?.status).toBe('expired');

  const late = await h.click('bob', 'approve', value, ref);
  expect(late.ephemeral).toBe(true);
  expect(text(late.message)).toContain('expired');
  expect(text((await h.command('bob', 'approvals')).reply.message)).toContain('No pending approvals');
  const events = (await h.audit.latest('store-1', 10)).map((e) => e.event);
  expect(events.slice(0, 2)).toEqual(['refused', 'expire']);
  expect(h.fake.cluster('store-1').list('restores')).toHaveLength(0);
});
