import {
  actionHash,
  canonicalJson,
  newProposalId,
  type VeleroAction,
  veleroObjectName,
} from '../../../jobs/approvals/proposal.js';
import {
  backupFromScheduleAction,
  plainBackupAction,
  restoreAction,
} from '../../../jobs/approvals/velero-objects.js';
import { schedule } from '../../fakes/kube-api/builders.js';

const at = new Date('2026-11-25T02:00:00.123Z');
const target = { namespace: 'velero', name: 'r-1', proposalId: 'abcdefghij' };

describe('proposal ids', () => {
  it('are 10 characters, start with a letter and do not repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, newProposalId));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z2-9]{9}$/);
  });
});

describe('veleroObjectName', () => {
  it.each([
    ['nightly-20261125020000', 'nightly-20261125020000-20261125020000'],
    ['manual', 'manual-20261125020000'],
  ])('%s → %s', (base, expected) => expect(veleroObjectName(base, at)).toBe(expected));

  it('keeps long names within 63 characters and distinct', () => {
    const a = veleroObjectName(`${'a'.repeat(60)}-one`, at);
    const b = veleroObjectName(`${'a'.repeat(60)}-two`, at);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
    expect(a.endsWith('-20261125020000')).toBe(true);
  });
});

describe('actionHash', () => {
  const action = restoreAction(target, { backup: 'b-1', namespaces: ['pos'], existing: 'none' });
  it('ignores key order and changes with any field', () => {
    const reordered = JSON.parse(canonicalJson(action)) as VeleroAction;
    expect(actionHash(reordered)).toBe(actionHash(action));
    const changed = structuredClone(action);
    (changed.object.spec as Record<string, unknown>).existingResourcePolicy = 'update';
    expect(actionHash(changed)).not.toBe(actionHash(action));
  });
});

describe('velero objects', () => {
  it('restore: every namespace by default, mapping only when given, never a status', () => {
    const r = restoreAction(target, { backup: 'b-1', existing: 'none' });
    expect(r.object).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'r-1', namespace: 'velero', labels: { 'dpbot.io/proposal': 'abcdefghij' } },
      spec: { backupName: 'b-1', includedNamespaces: ['*'], existingResourcePolicy: 'none' },
    });
  });

  it('from a schedule: template labels win over the schedule labels, like Velero FromSchedule', () => {
    const s = schedule('nightly', {
      labels: { team: 'pos' },
      annotations: { owner: 'ops' },
      spec: {
        template: { includedNamespaces: ['pos'], ttl: '720h0m0s', metadata: { labels: { tier: 'gold' } } },
      },
    });
    const a = backupFromScheduleAction(target, s, '48h0m0s');
    expect(a.object.metadata).toEqual({
      name: 'r-1',
      namespace: 'velero',
      labels: { tier: 'gold', 'velero.io/schedule-name': 'nightly', 'dpbot.io/proposal': 'abcdefghij' },
      annotations: { owner: 'ops' },
    });
    expect(a.object.spec).toEqual({
      includedNamespaces: ['pos'],
      ttl: '48h0m0s',
      metadata: { labels: { tier: 'gold' } },
    });
    expect(a.object.metadata).not.toHaveProperty('ownerReferences');
    const plain = backupFromScheduleAction(target, schedule('nightly', { labels: { team: 'pos' } }));
    expect((plain.object.metadata as { labels: object }).labels).toEqual({
      team: 'pos',
      'velero.io/schedule-name': 'nightly',
      'dpbot.io/proposal': 'abcdefghij',
    });
  });

  it('from a schedule with useOwnerReferencesInBackup: owned by the Schedule, as Velero does', () => {
    const s = schedule('nightly', { spec: { useOwnerReferencesInBackup: true, template: {} } });
    s.metadata.uid = '6f1c2d3e-0000-4000-8000-000000000001';
    const a = backupFromScheduleAction(target, s);
    expect((a.object.metadata as { ownerReferences: unknown }).ownerReferences).toEqual([
      {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        name: 'nightly',
        uid: '6f1c2d3e-0000-4000-8000-000000000001',
        controller: true,
      },
    ]);
  });

  it('names the cluster it is made on (dpbot.io/cluster), next to the schedule annotations', () => {
    const s = schedule('nightly', { annotations: { owner: 'ops' } });
    const a = backupFromScheduleAction({ ...target, cluster: 'store-042' }, s);
    expect((a.object.metadata as { annotations: object }).annotations).toEqual({
      owner: 'ops',
      'dpbot.io/cluster': 'store-042',
    });
    const plain = plainBackupAction({ ...target, cluster: 'store-042' }, { namespaces: ['pos'] });
    expect((plain.object.metadata as { annotations: object }).annotations).toEqual({
      'dpbot.io/cluster': 'store-042',
    });
  });
});
