/**
 * DESIGN §10 end to end: /dp drill → approval card → Restore into scratch namespaces → verification →
 * verdict → cleanup, through the real router, BullMQ, Redis and client-node against the fake API with
 * a simulated Velero controller.
 */
import type { BotMessage } from '../../bot/message.js';
import { PROPOSAL_LABEL } from '../../jobs/approvals/proposal.js';
import { DRILL_LABEL } from '../../jobs/drill/drill-plan.js';
import * as b from '../fakes/kube-api/builders.js';
import { text } from './approval-harness.js';
import {
  BACKUP,
  type DrillRig,
  drillConfig,
  insideDrill,
  proposeDrill,
  startDrillRig,
  writes,
} from './drill-harness.js';

let rig: DrillRig;
const cluster = () => rig.h.fake.cluster('store-1');
const done = (m: BotMessage) =>
  /Drill (PASSED|FAILED)/.test(text(m)) && /Cleaned up|Cleanup incomplete/.test(text(m));

afterEach(async () => {
  rig.velero.stop();
  await rig.h.close();
});

describe('a drill that passes', () => {
  beforeEach(async () => {
    rig = await startDrillRig();
  });

  it('restores latest into labelled scratch namespaces, verifies, records the verdict and cleans up exactly what it made', async () => {
    const { h } = rig;
    const { ref, card, value } = await proposeDrill(
      h,
      '--backup latest --namespaces pos --reason "quarterly drill"',
    );
    // latest = the newest Completed backup of a schedule (nightly-failed is newer but Failed).
    expect(card.title).toContain(`Restore drill of store-1 from ${BACKUP}`);
    const p = await h.proposals.get(value.id);
    const scratch = `dp-drill-${value.id}-pos`;
    expect(p?.drill?.namespaces).toEqual({ pos: scratch });
    expect(text(card)).toContain(`pos → ${scratch}`);
    expect(writes(h)).toEqual([]); // nothing written before the approval

    const approved = await h.click('bob', 'approve', value, ref);
    expect(approved.replaceOriginal).toBe(true);
    const final = await h.chat.waitForCard(ref.id, done);
    expect(text(final)).toContain('Drill PASSED: recovered in');
    expect(text(final)).toContain('Cleaned up');
    expect(final.tone).toBe('ok');
    // Edited in place at each step.
    const steps = h.chat.updates.filter((u) => u.ref.id === ref.id).map((u) => u.message.sections[0]);
    const lines = steps.map((s) => (s.type === 'text' ? s.text : '')).join('\n');
    expect(lines).toMatch(/creating the scratch namespaces|restoring/);
    expect(lines).toContain('verifying the scratch namespaces');

    // The exact Restore (read from the request the fake validated against the real CRD).
    const restore = h.fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/restores'));
    expect(restore).toMatchObject({ status: 201, bodyName: `dp-drill-${value.id}` });
    expect(p?.action.object).toMatchObject({
      metadata: { labels: { [PROPOSAL_LABEL]: value.id, [DRILL_LABEL]: value.id } },
      spec: {
        backupName: BACKUP,
        includedNamespaces: ['pos'],
        namespaceMapping: { pos: scratch },
        restorePVs: true,
        existingResourcePolicy: 'none',
        excludedResources: ['services', 'ingresses.networking.k8s.io', 'cronjobs.batch', 'jobs.batch'],
      },
    });
    // The scratch namespace was created, labelled, before the Restore.
    const all = writes(h);
    const nsCreate = all.findIndex((w) => w.path === '/api/v1/namespaces' && w.bodyName === scratch);
    expect(nsCreate).toBeGreaterThanOrEqual(0);
    expect(nsCreate).toBeLessThan(all.indexOf(restore!));

    const r = await h.drills.get(value.id);
    expect(r).toMatchObject({
      verdict: 'passed',
      stage: 'done',
      restorePhase: 'Completed',
      cleanup: 'done',
      leftovers: [],
      // pos minus Services, Ingress, CronJob, Job: PVC, Deployment, 2 Pods, StatefulSet, Pod, DaemonSet, ConfigMap.
      itemsRestored: 8,
      totalItems: 8,
      errors: 0,
    });
    expect(r?.readyMs).toBeGreaterThanOrEqual(r?.restoreMs ?? Number.NaN);

    // Cleanup: scratch namespace, its Retain PV and the Restore are gone; the live app is untouched.
    expect(
      cluster()
        .list('namespaces')
        .map((n) => n.metadata.name),
    ).not.toContain(scratch);
    expect(cluster().list('restores', 'velero')).toEqual([]);
    const pvs = cluster().list('persistentvolumes');
    expect(pvs.filter((pv) => JSON.stringify(pv).includes(scratch))).toEqual([]);
    expect(
      cluster()
        .list('deployments', 'pos')
        .map((d) => d.metadata.name),
    ).toEqual(['web']);
    expect(cluster().list('services', 'pos')).toHaveLength(2);

    // Every write stayed inside the drill: its scratch namespace, its PVs, the Velero namespace.
    const pvDeletes = new Set(
      all.filter((w) => w.path.startsWith('/api/v1/persistentvolumes/')).map((w) => w.path.split('/').pop()!),
    );
    expect(pvDeletes.size).toBe(1);
    expect(all.filter((w) => !insideDrill(w, [scratch], pvDeletes))).toEqual([]);
    expect(
      all.map((w) => `${w.method} ${w.path.replace(value.id, 'ID').replace(/pvc-[0-9a-f-]+/, 'PV')}`),
    ).toEqual([
      'POST /api/v1/namespaces',
      'POST /apis/velero.io/v1/namespaces/velero/restores',
      'DELETE /api/v1/persistentvolumes/PV',
      'DELETE /api/v1/namespaces/dp-drill-ID-pos',
      'DELETE /apis/velero.io/v1/namespaces/velero/restores/dp-drill-ID',
    ]);

    const events = (await h.audit.latest('store-1', 20)).map((e) => `${e.event}:${e.actor}`).reverse();
    expect(events).toEqual([
      'request:shell:alice',
      'proposed:shell:alice',
      'approved:shell:bob',
      'create:dpbot',
      'create:dpbot',
      'outcome:dpbot',
      'cleanup:dpbot',
    ]);
    // The verdict in the audit stream (§10.3): verdict, recovery time, items restored/total, warnings/errors.
    const outcome = (await h.audit.latest('store-1', 20)).find((e) => e.event === 'outcome');
    expect(outcome?.outcome).toMatch(/^Drill PASSED: recovered in .*\(Restore .*, all Ready .*\)/);
    expect(outcome?.outcome).toContain('8/8 items restored');
    expect(outcome?.outcome).toMatch(/Restore Completed, \d+ warnings, 0 errors/);
    const { reply } = await h.command('bob', 'drills store-1');
    expect(reply.message.kind).toBe('drills');
    expect(text(reply.message)).toContain(value.id);
    expect(text(reply.message)).toContain('passed');
    expect(text(reply.message)).toContain('8/8');
  });

  it("latest is a backup of one of the cluster's schedules: a newer one labelled with a schedule the cluster does not have is passed over", async () => {
    // Velero syncs Backups from a shared bucket with their labels; a deleted schedule leaves its label too.
    cluster().put(
      b.backup('retired-20261125080000', {
        schedule: 'retired',
        ageMinutes: 5,
        spec: { includedNamespaces: ['pos', 'db'] },
      }),
    );
    const { card } = await proposeDrill(rig.h, '--backup latest --namespaces pos');
    expect(card.title).toContain(`Restore drill of store-1 from ${BACKUP}`);
  });

  it('a drill asked for in chat needs a second person: the requester cannot approve it', async () => {
    const { h } = rig;
    const { ref, value } = await proposeDrill(h);
    const self = await h.click('alice', 'approve', value, ref);
    expect(text(self.message)).toContain('a second person must approve');
    expect(writes(h)).toEqual([]);
  });
});

describe('drills that fail', () => {
  it('PartiallyFailed fails the drill and still cleans up', async () => {
    rig = await startDrillRig();
    rig.velero.scenario({ phase: 'PartiallyFailed', errors: 2 });
    const { ref, value } = await proposeDrill(rig.h, '--namespaces pos,db');
    await rig.h.click('bob', 'approve', value, ref);
    const final = await rig.h.chat.waitForCard(ref.id, done);
    expect(text(final)).toContain('Drill FAILED');
    expect(text(final)).toContain('Restore PartiallyFailed (2 errors)');
    expect(final.tone).toBe('fail');
    expect(await rig.h.drills.get(value.id)).toMatchObject({ verdict: 'failed', cleanup: 'done' });
    const outcome = (await rig.h.audit.latest('store-1', 20)).find((e) => e.event === 'outcome');
    expect(outcome?.outcome).toContain('Drill FAILED');
    expect(outcome?.outcome).toMatch(/Restore PartiallyFailed, \d+ warnings, 2 errors/);
    expect(
      cluster()
        .list('namespaces')
        .filter((n) => n.metadata.name.startsWith('dp-drill-')),
    ).toEqual([]);
    expect((await rig.h.proposals.get(value.id))?.status).toBe('failed');
  });

  it('a PVC that stays Pending and a Deployment that never becomes available fail it after drills.timeout, naming them', async () => {
    rig = await startDrillRig(drillConfig({ timeout: '1s' }));
    rig.velero.scenario({ pendingPvcs: ['data'], unavailable: ['web'] });
    const { ref, value } = await proposeDrill(rig.h);
    await rig.h.click('bob', 'approve', value, ref);
    const final = await rig.h.chat.waitForCard(ref.id, done);
    const scratch = `dp-drill-${value.id}-pos`;
    expect(text(final)).toContain(`PVC ${scratch}/data Pending`);
    expect(text(final)).toContain(`Deployment ${scratch}/web 0/2 available`);
    expect(text(final)).toContain('not all up within drills.timeout');
    const r = await rig.h.drills.get(value.id);
    expect(r?.failures).toContain(`Pod ${scratch}/web-7d4b9-a not Ready (Pending)`);
    expect(r?.failures?.some((f) => f.includes('StatefulSet'))).toBe(false);
    expect(r?.readyMs).toBeUndefined();
    expect(r?.restoreMs).toBeDefined();
  });

  it('a Failed backup is refused before any approval card, and nothing is written', async () => {
    rig = await startDrillRig();
    const { card } = await proposeDrill(rig.h, '--backup nightly-failed --namespaces pos');
    expect(card.buttons).toBeUndefined();
    expect(text(card)).toContain('Backup \\"nightly-failed\\" is Failed, not Completed');
    expect(await rig.h.proposals.pending()).toEqual([]);
    const partial = await proposeDrill(rig.h, '--backup manual-1 --namespaces pos');
    expect(text(partial.card)).toContain('PartiallyFailed (2 errors), not Completed');
    const missing = await proposeDrill(rig.h, '--backup nope-1');
    expect(text(missing.card)).toContain('does not exist');
    const all = await proposeDrill(rig.h, '--backup latest --namespaces kube-system');
    expect(text(all.card)).toContain('Namespace \\"kube-system\\" is not in backup');
    expect(writes(rig.h)).toEqual([]);
    const events = (await rig.h.audit.latest('store-1', 20)).filter((e) => e.event === 'preflight-failed');
    expect(events).toHaveLength(4);
  });

  it('never restores into a scratch name that someone else created meanwhile, and does not delete it', async () => {
    rig = await startDrillRig();
    const { ref, value } = await proposeDrill(rig.h);
    const scratch = `dp-drill-${value.id}-pos`;
    cluster().put({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: scratch, labels: { team: 'x' } },
    });
    await rig.h.click('bob', 'approve', value, ref);
    const final = await rig.h.chat.waitForCard(ref.id, done);
    expect(text(final)).toContain(
      `namespace ${scratch} exists and is not this drill's; nothing was restored`,
    );
    expect(cluster().list('restores', 'velero')).toEqual([]);
    expect(
      cluster()
        .list('namespaces')
        .map((n) => n.metadata.name),
    ).toContain(scratch);
    expect(
      writes(rig.h).filter((w) => w.method === 'DELETE' && w.path.startsWith('/api/v1/namespaces/')),
    ).toEqual([]);
    // Not this drill's namespace, so not this drill's to clean up either (and no endless leftover).
    expect(await rig.h.drills.get(value.id)).toMatchObject({
      verdict: 'failed',
      cleanup: 'done',
      leftovers: [],
    });
  });
});

describe('drills that cannot run', () => {
  it('a Forbidden namespace create fails the drill at once, creates no Restore and says why', async () => {
    rig = await startDrillRig();
    rig.h.fake.setFault({ method: 'POST', pathPrefix: '/api/v1/namespaces', status: 403 });
    const { ref, value } = await proposeDrill(rig.h);
    await rig.h.click('bob', 'approve', value, ref);
    const final = await rig.h.chat.waitForCard(ref.id, done);
    expect(text(final)).toContain('dpbot could not run the drill');
    expect(text(final)).toContain('forbidden');
    expect(cluster().list('restores', 'velero')).toEqual([]);
    expect(await rig.h.drills.get(value.id)).toMatchObject({
      verdict: 'failed',
      stage: 'done',
      cleanup: 'done',
    });
    expect((await rig.h.proposals.get(value.id))?.status).toBe('failed');
  });
});
