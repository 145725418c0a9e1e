/** DESIGN §7 end to end: restore/backup proposals, re-authorized approval, the Velero object, the card. */
import type { BotMessage } from '../../bot/message.js';
import { renderMetrics } from '../../bot/metrics.js';
import { alertButtons } from '../../jobs/alerts/alert-message.js';
import * as b from '../fakes/kube-api/builders.js';
import { approvalConfig, type Harness, startHarness, text } from './approval-harness.js';

let h: Harness;
const BACKUP = 'nightly-20261125020000';
const restores = () => h.fake.cluster('store-1').list('restores', 'velero');
const backups = () => h.fake.cluster('store-1').list('backups', 'velero');
const hasButtons = (m: BotMessage) => Boolean(m.buttons?.length);

beforeEach(async () => {
  h = await startHarness(approvalConfig());
  const c = h.fake.cluster('store-1');
  c.put(b.backupStorageLocation());
  c.put(
    b.schedule('nightly', {
      labels: { team: 'pos' },
      spec: { template: { includedNamespaces: ['pos', 'db'], ttl: '720h0m0s', snapshotVolumes: true } },
    }),
  );
  c.put(b.backup(BACKUP, { schedule: 'nightly', spec: { includedNamespaces: ['pos', 'db'] } }));
  c.put(b.backup('broken-1', { phase: 'PartiallyFailed', status: { errors: 3 } }));
});

afterEach(async () => {
  await h.close();
});

/** alice asks for a restore; resolves with the card once preflight turned the reply into it. */
async function proposeRestore(flags = '--namespaces pos --map pos:pos-restored --existing update') {
  const { reply, ref } = await h.command('alice', `restore store-1 --backup ${BACKUP} ${flags}`);
  expect(reply.ephemeral).toBeFalsy();
  expect(reply.message.kind).toBe('approval');
  const card = await h.chat.waitForCard(ref.id, hasButtons);
  const [approve] = card.buttons ?? [];
  return { ref, card, value: approve.value };
}

describe('restore approval', () => {
  it('shows the preview, creates exactly the approved Restore after a second person approves, and follows it to Completed', async () => {
    const { ref, card, value } = await proposeRestore();
    expect(Object.keys(value).sort()).toEqual(['hash', 'id']);
    expect(value.hash).toMatch(/^[0-9a-f]{64}$/);
    const fields = card.sections.find((s) => s.type === 'fields');
    expect(fields).toMatchObject({
      fields: expect.arrayContaining([
        expect.objectContaining({ label: 'existingResourcePolicy', highlight: true }),
        expect.objectContaining({ label: 'Mapping', value: 'pos → pos-restored' }),
      ]),
    });
    expect(text(card)).toContain('0 errors, 0 warnings');

    const reply = await h.click('bob', 'approve', value, ref);
    expect(reply.replaceOriginal).toBe(true);
    expect(reply.message.buttons).toBeUndefined();
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'));
    expect(restores()).toHaveLength(1);
    const [restore] = restores();
    expect(restore.metadata.name).toMatch(new RegExp(`^${BACKUP}-\\d{14}$`));
    expect(restore.spec).toEqual({
      backupName: BACKUP,
      includedNamespaces: ['pos'],
      namespaceMapping: { pos: 'pos-restored' },
      existingResourcePolicy: 'update',
    });
    const posts = h.fake.requests.filter((r) => r.method === 'POST');
    expect(posts).toEqual([
      expect.objectContaining({ path: '/apis/velero.io/v1/namespaces/velero/restores', status: 201 }),
    ]);
    expect(posts[0].statusSent).toBeUndefined();

    h.fake
      .cluster('store-1')
      .patchStatus(restore, { phase: 'InProgress', progress: { itemsRestored: 3, totalItems: 10 } });
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('3/10 items'));
    h.fake.cluster('store-1').patchStatus(restore, {
      phase: 'Completed',
      progress: { itemsRestored: 10, totalItems: 10 },
      warnings: 2,
      errors: 0,
    });
    const final = await h.chat.waitForCard(ref.id, (m) =>
      text(m).includes('Completed: 0 errors, 2 warnings'),
    );
    expect(final.tone).toBe('ok');
    expect((await h.proposals.get(value.id))?.status).toBe('succeeded');

    const events = (await h.audit.latest('store-1', 20)).map((e) => `${e.event}:${e.actor}`).reverse();
    expect(events).toEqual([
      'request:shell:alice',
      'proposed:shell:alice',
      'approved:shell:bob',
      'create:dpbot',
      'outcome:dpbot',
    ]);
    const { reply: auditReply } = await h.command('bob', 'audit store-1 --limit 2');
    expect(text(auditReply.message)).toContain('Completed (0 errors, 2 warnings)');
  });

  it('refuses self-approval, viewers and operators, answers each and audits the refusals', async () => {
    const refusedBefore = await refusedCount();
    const { ref, value } = await proposeRestore();
    const self = await h.click('alice', 'approve', value, ref);
    expect(self).toMatchObject({ ephemeral: true });
    expect(text(self.message)).toContain('a second person must approve');
    for (const user of ['dave', 'erin']) {
      const r = await h.click(user, 'approve', value, ref);
      expect(r.ephemeral).toBe(true);
      expect(text(r.message)).toContain(`shell:${user} is not an approver of store-1`);
    }
    const { reply: typed } = await h.command('dave', `approve ${value.id}`);
    expect(text(typed.message)).toContain('not an approver');
    const refusals = (await h.audit.latest('store-1', 20)).filter((e) => e.event === 'refused');
    expect(refusals.map((e) => e.actor).sort()).toEqual([
      'shell:alice',
      'shell:dave',
      'shell:dave',
      'shell:erin',
    ]);
    expect((await refusedCount()) - refusedBefore).toBe(4);
    expect((await h.proposals.get(value.id))?.status).toBe('pending');
    expect(restores()).toHaveLength(0);
  });

  it('refuses a click from someone who may not even view the cluster, as "no such proposal", and audits it', async () => {
    await h.close();
    h = await startHarness(approvalConfig({ viewers: ['shell:erin'] }));
    const c = h.fake.cluster('store-1');
    c.put(b.backupStorageLocation());
    c.put(b.backup(BACKUP, { spec: { includedNamespaces: ['pos'] } }));
    const { ref, value } = await proposeRestore('--namespaces pos');
    for (const r of [
      await h.click('mallory', 'approve', value, ref),
      await h.click('mallory', 'reject', value, ref),
    ]) {
      expect(r.ephemeral).toBe(true);
      expect(text(r.message)).toContain(`There is no proposal ${value.id}`);
    }
    const refusals = (await h.audit.latest('store-1', 20)).filter((e) => e.event === 'refused');
    expect(refusals.map((e) => [e.actor, e.outcome])).toEqual([
      ['shell:mallory', 'shell:mallory is not a viewer of store-1'],
      ['shell:mallory', 'shell:mallory is not a viewer of store-1'],
    ]);
    expect((await h.proposals.get(value.id))?.status).toBe('pending');
  });

  it('refuses approval after expiry', async () => {
    const { ref, value } = await proposeRestore();
    h.clock.offsetMs = 61 * 60_000;
    const r = await h.click('bob', 'approve', value, ref);
    expect(r.ephemeral).toBe(true);
    expect(text(r.message)).toContain('expired');
    expect(restores()).toHaveLength(0);
  });

  it('refuses a changed action hash, from a stale button or a tampered stored action', async () => {
    const { ref, value } = await proposeRestore();
    const stale = await h.click('bob', 'approve', { ...value, hash: 'f'.repeat(64) }, ref);
    expect(text(stale.message)).toContain('The action changed');
    // The key by name, not KEYS *: on Redis Cluster KEYS only sees one node's keys.
    const keys = [h.keys.key('proposal', value.id)];
    const data = JSON.parse((await h.redis.hget(keys[0], 'data')) as string);
    data.action.object.spec.existingResourcePolicy = 'update';
    data.action.object.spec.includedNamespaces = ['*'];
    await h.redis.hset(keys[0], 'data', JSON.stringify(data));
    const tampered = await h.click('bob', 'approve', value, ref);
    expect(text(tampered.message)).toContain('The action changed');
    expect(restores()).toHaveLength(0);
    expect((await h.audit.latest('store-1', 5)).filter((e) => e.event === 'refused')).toHaveLength(2);
  });

  it('20 concurrent approve clicks create exactly one Restore', async () => {
    await h.close();
    const approvers = Array.from({ length: 20 }, (_, i) => `shell:a${i}`);
    h = await startHarness(approvalConfig({ approvers }));
    const c = h.fake.cluster('store-1');
    c.put(b.backupStorageLocation());
    c.put(b.backup(BACKUP, { schedule: 'nightly' }));
    const { ref, value } = await proposeRestore('');
    const replies = await Promise.all(approvers.map((a) => h.click(a.slice(6), 'approve', value, ref)));
    expect(replies.filter((r) => !r.ephemeral)).toHaveLength(1);
    expect(replies.filter((r) => text(r.message).includes('already approved'))).toHaveLength(19);
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'));
    expect(restores()).toHaveLength(1);
    expect(h.fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('needs `approvals.required` different approvers and counts nobody twice', async () => {
    await h.close();
    h = await startHarness(approvalConfig({ required: 2 }));
    h.fake.cluster('store-1').put(b.backupStorageLocation());
    h.fake.cluster('store-1').put(b.backup(BACKUP));
    const { ref, value } = await proposeRestore('');
    expect(text((await h.click('bob', 'approve', value, ref)).message)).toContain('1/2');
    const twice = await h.click('bob', 'approve', value, ref);
    expect(text(twice.message)).toContain('already approved');
    expect(restores()).toHaveLength(0);
    const { reply } = await h.command('carol', `approve ${value.id}`);
    expect(text(reply.message)).toContain('being created');
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'));
    expect(restores()).toHaveLength(1);
  });

  it('a rejected proposal cannot be approved and creates nothing', async () => {
    const { ref, value } = await proposeRestore();
    const { reply } = await h.command('carol', `reject ${value.id} --reason "wrong backup"`);
    expect(text(reply.message)).toContain('Rejected');
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('Rejected by shell:carol: wrong backup'));
    const late = await h.click('bob', 'approve', value, ref);
    expect(text(late.message)).toContain('already rejected');
    expect(restores()).toHaveLength(0);
  });

  it.each([
    ['a missing backup', `restore store-1 --backup nope-1`, 'does not exist in namespace velero'],
    [
      'a PartiallyFailed backup without --allow-partial',
      'restore store-1 --backup broken-1',
      'Add --allow-partial',
    ],
    [
      'a namespace that is not in the backup',
      `restore store-1 --backup ${BACKUP} --namespaces shop`,
      'not in backup',
    ],
  ])('answers %s with a clear preflight failure and no proposal', async (_what, cmd, expected) => {
    const { ref } = await h.command('alice', cmd);
    const card = await h.chat.waitForCard(ref.id, (m) => m.tone === 'fail');
    expect(text(card)).toContain(expected);
    expect(card.buttons).toBeUndefined();
    const { reply } = await h.command('bob', 'approvals');
    expect(text(reply.message)).toContain('No pending approvals');
  });

  it('restores a PartiallyFailed backup only with --allow-partial, shown on the card', async () => {
    const { ref } = await h.command('alice', 'restore store-1 --backup broken-1 --allow-partial');
    const card = await h.chat.waitForCard(ref.id, hasButtons);
    expect(text(card)).toContain('--allow-partial');
    expect(text(card)).toContain('PartiallyFailed');
  });

  it('fails preflight when the backup storage location is not Available', async () => {
    h.fake.cluster('store-1').put(
      b.backupStorageLocation('default', {
        status: { phase: 'Unavailable', message: 'container not found' },
      }),
    );
    const { ref } = await h.command('alice', `restore store-1 --backup ${BACKUP}`);
    const card = await h.chat.waitForCard(ref.id, (m) => m.tone === 'fail');
    expect(text(card)).toContain('is Unavailable (container not found)');
  });

  it('rejects bad input before any API call', async () => {
    for (const [cmd, expected] of [
      ['restore store-1 --backup Bad_Name', 'not a valid backup name'],
      [`restore store-1 --backup ${BACKUP} --map pos`, 'old:new'],
      [`restore store-1 --backup ${BACKUP} --existing replace`, '--existing must be'],
      [`restore store-1 --backup ${BACKUP} --namespaces POS`, 'not a valid'],
      ['backup store-1 --schedule nightly --namespaces pos', 'either --schedule or --namespaces'],
    ]) {
      const { reply } = await h.command('alice', cmd);
      expect(reply.ephemeral).toBe(true);
      expect(text(reply.message)).toContain(expected);
    }
    const { reply: viewer } = await h.command('erin', `restore store-1 --backup ${BACKUP}`);
    expect(text(viewer.message)).toContain('not an operator');
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('backup approval', () => {
  it('--schedule copies the template like `velero backup create --from-schedule`', async () => {
    const { ref } = await h.command(
      'alice',
      'backup store-1 --schedule nightly --ttl 48h --reason "before upgrade"',
    );
    const card = await h.chat.waitForCard(ref.id, hasButtons);
    expect(text(card)).toContain('before upgrade');
    await h.click('bob', 'approve', card.buttons?.[0].value ?? {}, ref);
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'));
    const created = backups().filter((x) => x.metadata.name.startsWith('nightly-2'));
    const made = created.find((x) => x.metadata.name !== BACKUP);
    expect(made?.metadata.name).toMatch(/^nightly-\d{14}$/);
    expect(made?.metadata.labels).toMatchObject({ team: 'pos', 'velero.io/schedule-name': 'nightly' });
    expect(made?.spec).toEqual({ includedNamespaces: ['pos', 'db'], ttl: '48h0m0s', snapshotVolumes: true });
    h.fake
      .cluster('store-1')
      .patchStatus(made as never, { phase: 'Failed', failureReason: 'bucket gone', errors: 1 });
    const final = await h.chat.waitForCard(ref.id, (m) => text(m).includes('Failure reason: bucket gone'));
    expect(final.tone).toBe('fail');
  });

  it('"Back up now" on a backup alert proposes the schedule\'s backup, re-authorized at click time', async () => {
    const alert = alertButtons({
      kind: 'finding',
      key: 'store-1/backup-freshness/velero/nightly',
      cluster: 'store-1',
      check: 'backup-freshness',
      finding: { resource: 'velero/nightly' },
    } as never);
    const button = alert.find((x) => x.verb === 'backup');
    expect(button?.value).toEqual({ cluster: 'store-1', schedule: 'nightly' });
    const alertRef = { platform: 'shell' as const, channel: 'ops', id: 'alert-1' };
    // A viewer's click is refused privately and proposes nothing.
    const refused = await h.click('eve', 'backup', button!.value, alertRef);
    expect(refused.ephemeral).toBe(true);
    expect(text(refused.message)).toContain('not an operator');
    // An operator's click is the same as typing /dp backup store-1 --schedule nightly: a new card.
    const reply = await h.click('alice', 'backup', button!.value, alertRef);
    expect(reply.ephemeral).toBeFalsy();
    expect(reply.replaceOriginal).toBeFalsy();
    const ref = { platform: 'shell' as const, channel: 'ops', id: 'card-from-alert' };
    await reply.afterPost?.(ref);
    const card = await h.chat.waitForCard(ref.id, hasButtons);
    expect(text(card)).toContain('nightly');
    await h.click('bob', 'approve', card.buttons?.[0].value ?? {}, ref);
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'));
    const made = backups().find(
      (x) => /^nightly-\d{14}$/.test(x.metadata.name) && x.metadata.name !== BACKUP,
    );
    expect(made?.metadata.labels).toMatchObject({ 'velero.io/schedule-name': 'nightly' });
    expect(made?.spec).toMatchObject({ includedNamespaces: ['pos', 'db'] });
  });

  it('--namespaces builds a plain backup', async () => {
    const { ref } = await h.command('alice', 'backup store-1 --namespaces pos,db');
    const card = await h.chat.waitForCard(ref.id, hasButtons);
    await h.click('carol', 'approve', card.buttons?.[0].value ?? {}, ref);
    await h.chat.waitForCard(ref.id, (m) => text(m).includes('waiting for Velero'));
    const made = backups().find((x) => x.metadata.name.startsWith('manual-'));
    expect(made?.spec).toEqual({ includedNamespaces: ['pos', 'db'] });
    expect(made?.metadata.labels?.['velero.io/schedule-name']).toBeUndefined();
  });
});

/** `dpbot_approvals_total{outcome="refused"}` as /metrics shows it. */
async function refusedCount(): Promise<number> {
  const m = /^dpbot_approvals_total\{outcome="refused"\} (\d+)$/m.exec((await renderMetrics()).body);
  return m ? Number(m[1]) : 0;
}
