/**
 * The backup checks over real-shaped Velero objects: each one goes through the fake API's `put`, so
 * it is validated against the real CRDs (../shared/fixtures/crds/velero), and the backup sync is
 * played as Velero's backup_sync_controller does it (new creationTimestamp and uid, the local
 * storage location in spec and label, Schedule owner references dropped unless their uid matches).
 */
import { checkBackupCoverage } from '../../../jobs/checks/backup-coverage.js';
import { checkBackupFreshness } from '../../../jobs/checks/backup-freshness.js';
import { checkBackupLocation } from '../../../jobs/checks/backup-location.js';
import { runStamp } from '../../../jobs/checks/backup-origin.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { Backup, ClusterSnapshot, Listed } from '../../../jobs/checks/snapshot.js';
import * as b from '../../fakes/kube-api/builders.js';
import { CrdCatalog } from '../../fakes/kube-api/crd-catalog.js';
import { FakeCluster } from '../../fakes/kube-api/fake-cluster.js';
import { ResourceRegistry } from '../../fakes/kube-api/resource-types.js';

const catalog = CrdCatalog.load();
const NOW = Math.floor(Date.now() / 1000) * 1000;
const MIN = 60_000;
const H = 60;
const D = 24 * H;
const ago = (minutes: number) => b.isoAgo(minutes, NOW);
const SETTINGS = {
  backups: { maxAgeMs: 'auto', graceMs: 3_600_000, partialFailedIs: 'warn', veleroNamespace: 'velero' },
} as CheckSettings;
const OUR_UID = '6b1f3c2e-0d8a-4f7e-9c55-2a1b3c4d5e6f';
const THEIR_UID = 'f0e1d2c3-b4a5-4968-8776-655443322110';

type Obj = { kind?: string };
/** Puts every object into a fresh fake cluster (CRD validation) and snapshots what it stored. */
function snapshotOf(objects: Obj[], extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const c = new FakeCluster('store-042', new ResourceRegistry(catalog), catalog);
  for (const o of objects) c.put(o);
  const list = <T>(plural: string, ns?: string): Listed<T> => ({
    ok: true,
    items: c.list(plural, ns) as unknown as T[],
  });
  return {
    cluster: 'store-042',
    collectedAt: new Date(NOW).toISOString(),
    veleroNamespace: 'velero',
    backupStorageLocations: list('backupstoragelocations', 'velero'),
    schedules: list('schedules', 'velero'),
    backups: list('backups', 'velero'),
    namespaces: list('namespaces'),
    persistentVolumeClaims: list('persistentvolumeclaims'),
    ...extra,
  };
}

/** A Velero-named scheduled run of `schedule`, Completed (unless `phase`) `minutesAgo`, as the backup controller leaves it. */
function run(
  schedule: string,
  minutesAgo: number,
  o: { phase?: string; uid?: string; createdMinutesAgo?: number; failureReason?: string } = {},
): Backup {
  const started = NOW - (minutesAgo + 5) * MIN;
  return b.backup(`${schedule}-${runStamp(started)}`, {
    schedule,
    phase: o.phase,
    ageMinutes: minutesAgo,
    creationTimestamp: ago(o.createdMinutesAgo ?? minutesAgo + 5),
    labels: { 'velero.io/storage-location': 'default' },
    ...(o.uid ? { ownerReferences: b.ownedBySchedule(schedule, o.uid) } : {}),
    status: {
      startTimestamp: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
      completionTimestamp: ago(minutesAgo),
      expiration: ago(minutesAgo - 30 * D),
      ...(o.failureReason ? { failureReason: o.failureReason } : {}),
    },
  });
}

/** Velero's backup sync importing `backup` from the bucket: new creationTimestamp, refs filtered. */
function synced(backup: Backup, localScheduleUid?: string, minutesAgo = 3): Backup {
  const refs = (backup.metadata.ownerReferences ?? []).filter(
    (r) => r.kind !== 'Schedule' || r.uid === localScheduleUid,
  );
  const { uid: _uid, ownerReferences: _refs, ...metadata } = backup.metadata;
  return {
    ...backup,
    metadata: {
      ...metadata,
      creationTimestamp: ago(minutesAgo),
      labels: { ...metadata.labels, 'velero.io/storage-location': 'default' },
      ...(refs.length ? { ownerReferences: refs } : {}),
    },
    spec: { ...backup.spec, storageLocation: 'default' },
  };
}

function nightly(
  o: { uid?: string; owners?: boolean; lastBackupMinutesAgo?: number; created?: number } = {},
) {
  return b.schedule('nightly', {
    uid: o.uid ?? OUR_UID,
    creationTimestamp: ago(o.created ?? 60 * D),
    spec: o.owners ? { useOwnerReferencesInBackup: true } : {},
    status:
      o.lastBackupMinutesAgo === undefined
        ? { phase: 'Enabled' }
        : { phase: 'Enabled', lastBackup: ago(o.lastBackupMinutesAgo + 5) },
  });
}

const base = [b.namespace('velero'), b.backupStorageLocation()];

describe('backup-freshness over real-shaped Velero objects', () => {
  type Case = {
    given: string;
    objects: Obj[];
    status: string;
    reason: ReasonCode<'backup-freshness'>;
    message: RegExp;
  };
  const cases: Case[] = [
    {
      given:
        'an old Failed backup re-created by the backup sync (new creationTimestamp) after a fresh Completed one',
      objects: [
        ...base,
        nightly(),
        run('nightly', 10 * H),
        synced(run('nightly', 24 * D, { phase: 'Failed', failureReason: 'timed out' })),
      ],
      status: 'ok',
      reason: 'BackupFresh',
      message: /^newest Completed backup nightly-\d{14} is 10h old \(max 2d1h\)$/,
    },
    {
      given: 'an old Completed backup re-synced 3 minutes ago (DR rebuild) next to a fresh one',
      objects: [...base, nightly(), run('nightly', 10 * H), synced(run('nightly', 24 * D))],
      status: 'ok',
      reason: 'BackupFresh',
      message: /is 10h old/,
    },
    {
      given: 'only re-synced old backups: age is measured from their completion, not their re-creation',
      objects: [...base, nightly(), synced(run('nightly', 5 * D)), synced(run('nightly', 6 * D))],
      status: 'fail',
      reason: 'BackupStale',
      message: /is 5d old \(max 2d1h\)/,
    },
    {
      given:
        'a shared bucket: our owner-referenced backups stopped 4d ago, the other cluster\u2019s synced ones are fresh',
      objects: [
        ...base,
        nightly({ owners: true }),
        run('nightly', 5 * D, { uid: OUR_UID }),
        run('nightly', 4 * D, { uid: OUR_UID }),
        synced(run('nightly', 10 * H, { uid: THEIR_UID }), OUR_UID),
        synced(run('nightly', 34 * H, { uid: THEIR_UID }), OUR_UID),
      ],
      status: 'fail',
      reason: 'BackupStale',
      message:
        /is 4d old \(max 2d1h\).* — not counted: nightly-\d{14} and 1 more, labelled nightly but not made by this cluster's schedule: it has no owner reference, though nightly \(useOwnerReferencesInBackup\) stamps every backup it makes \(another cluster writes to the same bucket\+prefix\)$/,
    },
    {
      given: 'a shared bucket without owner references: our schedule last ran 4d ago (status.lastBackup)',
      objects: [
        ...base,
        nightly({ lastBackupMinutesAgo: 4 * D }),
        run('nightly', 4 * D),
        synced(run('nightly', 10 * H)),
      ],
      status: 'fail',
      reason: 'BackupStale',
      message:
        /is 4d old.* — not counted: nightly-\d{14}, labelled nightly but not made by this cluster's schedule: it started after nightly's last run \(status\.lastBackup/,
    },
    {
      given: "the other cluster's newest backup Failed (synced) while ours is fresh (owner references)",
      objects: [
        ...base,
        nightly({ owners: true }),
        run('nightly', 10 * H, { uid: OUR_UID }),
        synced(run('nightly', 2 * H, { uid: THEIR_UID, phase: 'Failed' }), OUR_UID),
      ],
      status: 'ok',
      reason: 'BackupFresh',
      message: /is 10h old \(max 2d1h\) — not counted/,
    },
    {
      given: 'a kept owner reference to another Schedule uid (sync could not check it)',
      objects: [
        ...base,
        nightly(),
        run('nightly', 4 * D),
        {
          ...run('nightly', 10 * H, { uid: THEIR_UID }),
          metadata: { ...run('nightly', 10 * H, { uid: THEIR_UID }).metadata },
        },
      ],
      status: 'fail',
      reason: 'BackupStale',
      message: /not counted: .*its owner reference names Schedule uid f0e1d2c3/,
    },
    {
      given: 'our own runs with owner references and lastBackup, plus an on-demand --from-schedule backup',
      objects: [
        ...base,
        nightly({ owners: true, lastBackupMinutesAgo: 20 * H }),
        run('nightly', 44 * H, { uid: OUR_UID }),
        run('nightly', 20 * H, { uid: OUR_UID }),
        run('nightly', 2 * H, { uid: OUR_UID }),
      ],
      status: 'ok',
      reason: 'BackupFresh',
      message: /^newest Completed backup nightly-\d{14} is 2h old \(max 2d1h\)$/,
    },
    {
      given: 'an on-demand --from-schedule backup without owner references after a recent run',
      objects: [
        ...base,
        nightly({ lastBackupMinutesAgo: 20 * H }),
        run('nightly', 20 * H),
        run('nightly', 2 * H),
      ],
      status: 'ok',
      reason: 'BackupFresh',
      message: /is 20h old \(max 2d1h\) — not counted: .*or made on demand\)$/,
    },
    {
      given: 'our schedule stopped 4d ago, then /dp backup --schedule nightly made one on this cluster',
      objects: [
        ...base,
        nightly({ lastBackupMinutesAgo: 4 * D }),
        run('nightly', 4 * D),
        synced(run('nightly', 10 * H)),
        b.backup('nightly-20261125090000-20261125090000', {
          schedule: 'nightly',
          ageMinutes: 2 * H,
          annotations: { 'dpbot.io/cluster': 'store-042' },
          labels: { 'dpbot.io/proposal': 'abcdefghij' },
        }),
      ],
      status: 'ok',
      reason: 'BackupFresh',
      message:
        /backup nightly-20261125090000-20261125090000 is 2h\d*s? old \(max 2d1h\) — not counted: nightly-\d{14}, .*started after nightly's last run/,
    },
    {
      given: "another cluster's dpbot-made backup synced from a shared bucket",
      objects: [
        ...base,
        nightly({ lastBackupMinutesAgo: 4 * D }),
        run('nightly', 4 * D),
        synced(
          b.backup('nightly-20261125090000-20261125090000', {
            schedule: 'nightly',
            ageMinutes: 2 * H,
            annotations: { 'dpbot.io/cluster': 'store-043' },
          }),
        ),
      ],
      status: 'fail',
      reason: 'BackupStale',
      message:
        /not counted: nightly-20261125090000-20261125090000, .*dpbot made it on cluster store-043 \(another cluster writes/,
    },
    {
      given:
        'a reinstall: the Schedule is new (new uid, no lastBackup), our old backups synced back without refs',
      objects: [
        ...base,
        nightly({ uid: 'new-uid-after-reinstall', owners: true, created: 60 }),
        synced(run('nightly', 10 * H, { uid: OUR_UID }), 'new-uid-after-reinstall'),
        synced(run('nightly', 34 * H, { uid: OUR_UID }), 'new-uid-after-reinstall'),
      ],
      status: 'ok',
      reason: 'BackupFresh',
      message: /^newest Completed backup nightly-\d{14} is 10h old \(max 2d1h\)$/,
    },
  ];

  it.each(cases)('given $given, then $status $reason', (c) => {
    const findings = checkBackupFreshness(snapshotOf(c.objects), new Date(NOW), SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: c.status, reason: c.reason, resource: 'velero/nightly' });
    expect(findings[0].message).toMatch(c.message);
  });
});

describe('backup-coverage over real-shaped Schedule templates', () => {
  const template = (t: Record<string, unknown>) => ({
    template: { includedNamespaces: ['*'], ttl: '720h0m0s', ...t },
  });
  const workloads = (o: { posLabels?: Record<string, string>; nsLabels?: Record<string, string> } = {}) => [
    b.namespace('pos', { labels: o.nsLabels }),
    b.namespace('inventory'),
    b.pvc('pos-data', { namespace: 'pos', labels: o.posLabels }),
    b.pvc('inventory-data', { namespace: 'inventory', labels: { app: 'inventory' } }),
  ];
  type Case = { given: string; objects: Obj[]; uncovered: string[]; message?: RegExp };
  const cases: Case[] = [
    {
      given: 'excludedResources: persistentvolumeclaims',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ excludedResources: ['persistentvolumeclaims'] }) }),
      ],
      uncovered: ['inventory', 'pos'],
      message:
        /^namespace inventory has 1 PVC\(s\) and is included in an active Velero schedule, but none of its PVCs is backed up: schedule nightly excludes persistentvolumeclaims \(spec\.template\.excludedResources: persistentvolumeclaims\); fix the template of nightly \(velero schedule describe nightly\), or run \/dp backup store-042 --namespaces inventory for a one-off backup$/,
    },
    {
      given: 'excludedResources with the short name PVC (any case)',
      objects: [...workloads(), b.schedule('nightly', { spec: template({ excludedResources: ['PVC'] }) })],
      uncovered: ['inventory', 'pos'],
    },
    {
      given: 'excludedResources: persistentvolumes.',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ excludedResources: ['persistentvolumes.'] }) }),
      ],
      uncovered: ['inventory', 'pos'],
      message:
        /excludes persistentvolumes \(spec\.template\.excludedResources: persistentvolumes\.\), so the volumes' PersistentVolumes \(and their native snapshots\) are not saved/,
    },
    {
      given:
        'excludedResources of another group only (volumesnapshots.snapshot.storage.k8s.io, pvc.example.com)',
      objects: [
        ...workloads(),
        b.schedule('nightly', {
          spec: template({
            excludedResources: ['volumesnapshots.snapshot.storage.k8s.io', 'pvc.example.com'],
          }),
        }),
      ],
      uncovered: [],
    },
    {
      given: 'includedResources without PVCs',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ includedResources: ['deployments', 'configmaps'] }) }),
      ],
      uncovered: ['inventory', 'pos'],
      message:
        /does not include persistentvolumeclaims \(spec\.template\.includedResources: deployments, configmaps\)/,
    },
    {
      given: 'includedResources with PVCs but not PVs',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ includedResources: ['pvc', 'pods'] }) }),
      ],
      uncovered: ['inventory', 'pos'],
      message: /does not include persistentvolumes/,
    },
    {
      given: "includedResources ['*']",
      objects: [...workloads(), b.schedule('nightly', { spec: template({ includedResources: ['*'] }) })],
      uncovered: [],
    },
    {
      given: 'excludedNamespaceScopedResources: persistentvolumeclaims',
      objects: [
        ...workloads(),
        b.schedule('nightly', {
          spec: template({ excludedNamespaceScopedResources: ['persistentvolumeclaims'] }),
        }),
      ],
      uncovered: ['inventory', 'pos'],
      message: /spec\.template\.excludedNamespaceScopedResources/,
    },
    {
      given: 'includeClusterResources: false',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ includeClusterResources: false }) }),
      ],
      uncovered: ['inventory', 'pos'],
      message: /includeClusterResources: false/,
    },
    {
      given: 'snapshotVolumes: false and defaultVolumesToFsBackup: false',
      objects: [
        ...workloads(),
        b.schedule('nightly', {
          spec: template({ snapshotVolumes: false, defaultVolumesToFsBackup: false }),
        }),
      ],
      uncovered: ['inventory', 'pos'],
      message: /sets snapshotVolumes: false without file-system backup/,
    },
    {
      given: 'snapshotVolumes: false with defaultVolumesToFsBackup: true',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ snapshotVolumes: false, defaultVolumesToFsBackup: true }) }),
      ],
      uncovered: [],
    },
    {
      given: 'snapshotVolumes: false, fs backup left to the server, whose newest Backup shows it was off',
      objects: [
        ...workloads(),
        b.schedule('nightly', { spec: template({ snapshotVolumes: false }) }),
        b.backup('nightly-20261124020000', {
          schedule: 'nightly',
          spec: { snapshotVolumes: false, defaultVolumesToFsBackup: false },
        }),
      ],
      uncovered: ['inventory', 'pos'],
    },
    {
      given: 'snapshotVolumes: false, fs backup left to the server, no Backup yet (server default unknown)',
      objects: [...workloads(), b.schedule('nightly', { spec: template({ snapshotVolumes: false }) })],
      uncovered: [],
    },
    {
      given: 'a labelSelector only the pos PVC matches',
      objects: [
        ...workloads({ posLabels: { app: 'pos' } }),
        b.schedule('nightly', { spec: template({ labelSelector: { matchLabels: { app: 'pos' } } }) }),
      ],
      uncovered: ['inventory'],
      message:
        /has labelSelector app=pos, which the PVC does not match \(unless a Pod it selects mounts the PVC; Pods are not read\)/,
    },
    {
      given: 'a labelSelector matching one of two PVCs in a namespace',
      objects: [
        ...workloads({ posLabels: { app: 'pos' } }),
        b.pvc('pos-logs', { namespace: 'pos' }),
        b.schedule('nightly', {
          spec: template({
            labelSelector: {
              matchExpressions: [{ key: 'app', operator: 'In', values: ['pos', 'inventory'] }],
            },
          }),
        }),
      ],
      uncovered: ['pos'],
      message:
        /^namespace pos has 2 PVC\(s\) and is included in an active Velero schedule, but 1 of its 2 PVCs \(pos-logs\) is not backed up: schedule nightly has labelSelector app In \(pos,inventory\), which the PVC does not match/,
    },
    {
      given: 'orLabelSelectors matching both PVCs',
      objects: [
        ...workloads({ posLabels: { app: 'pos' } }),
        b.schedule('nightly', {
          spec: template({
            orLabelSelectors: [
              { matchLabels: { app: 'pos' } },
              { matchExpressions: [{ key: 'app', operator: 'In', values: ['inventory', 'erp'] }] },
            ],
          }),
        }),
      ],
      uncovered: [],
    },
    {
      given: 'a PVC labelled velero.io/exclude-from-backup=true',
      objects: [
        ...workloads({ posLabels: { 'velero.io/exclude-from-backup': 'true' } }),
        b.schedule('nightly'),
      ],
      uncovered: ['pos'],
      message:
        /none of its PVCs is backed up: PVC pos-data is labelled velero\.io\/exclude-from-backup=true, so Velero leaves it out of every backup; if it should be backed up, remove the label: kubectl -n pos label pvc pos-data velero\.io\/exclude-from-backup-$/,
    },
    {
      given: 'a namespace labelled velero.io/exclude-from-backup=true',
      objects: [
        ...workloads({ nsLabels: { 'velero.io/exclude-from-backup': 'true' } }),
        b.schedule('nightly'),
      ],
      uncovered: ['pos'],
      message:
        /but the namespace is labelled velero\.io\/exclude-from-backup=true, so Velero leaves it out of every backup; if it should be backed up, remove the label: kubectl label namespace pos velero\.io\/exclude-from-backup-$/,
    },
    {
      given: 'one schedule excluding PVCs and another backing up everything',
      objects: [
        ...workloads(),
        b.schedule('config-only', { spec: template({ excludedResources: ['persistentvolumeclaims'] }) }),
        b.schedule('nightly'),
      ],
      uncovered: [],
    },
  ];

  it.each(cases)('given $given', (c) => {
    const findings = checkBackupCoverage(snapshotOf([...base, ...c.objects]), new Date(NOW), SETTINGS);
    const uncovered = findings.filter((f) => f.reason === 'NamespaceNotBackedUp').map((f) => f.resource);
    expect(uncovered).toEqual(c.uncovered);
    if (c.uncovered.length === 0)
      expect(findings).toMatchObject([{ status: 'ok', reason: 'AllNamespacesCovered' }]);
    else for (const f of findings) expect(f.status).toBe('warn');
    if (c.message) expect(findings[0].message).toMatch(c.message);
  });
});

describe('backup-location over real-shaped BackupStorageLocations', () => {
  const readOnly = (name = 'default', o: { isDefault?: boolean } = {}) =>
    b.backupStorageLocation(name, {
      spec: { accessMode: 'ReadOnly', default: o.isDefault ?? name === 'default' },
    });
  type Case = {
    given: string;
    objects: Obj[];
    extra?: Partial<ClusterSnapshot>;
    expected: [string, string, string][];
    message?: RegExp;
  };
  const cases: Case[] = [
    {
      given: 'the default location left ReadOnly after a DR restore, a schedule writing to it',
      objects: [b.namespace('velero'), readOnly(), b.schedule('nightly')],
      expected: [['velero/default', 'fail', 'BackupLocationUnavailable']],
      message:
        /^backup location default is ReadOnly \(spec\.accessMode\), so Velero refuses to write backups to it, yet schedule\(s\) nightly write to it; .*kubectl -n velero patch backupstoragelocation default --type merge -p '\{"spec":\{"accessMode":"ReadWrite"\}\}'$/,
    },
    {
      given: 'a ReadOnly location named by a schedule template',
      objects: [
        b.namespace('velero'),
        b.backupStorageLocation(),
        readOnly('offsite', { isDefault: false }),
        b.schedule('weekly', { spec: { schedule: '@weekly', template: { storageLocation: 'offsite' } } }),
      ],
      expected: [
        ['velero/default', 'ok', 'BackupLocationAvailable'],
        ['velero/offsite', 'fail', 'BackupLocationUnavailable'],
      ],
    },
    {
      given: 'a ReadOnly DR source nobody writes to',
      objects: [
        b.namespace('velero'),
        b.backupStorageLocation(),
        readOnly('dr-source', { isDefault: false }),
        b.schedule('nightly'),
      ],
      expected: [
        ['velero/default', 'ok', 'BackupLocationAvailable'],
        ['velero/dr-source', 'ok', 'BackupLocationAvailable'],
      ],
    },
    {
      given: 'a ReadOnly default written only by a paused schedule',
      objects: [b.namespace('velero'), readOnly(), b.schedule('nightly', { spec: { paused: true } })],
      expected: [['velero/default', 'ok', 'BackupLocationAvailable']],
      message: /\(ReadOnly: no active schedule writes to it\)$/,
    },
    {
      given: 'a ReadOnly default while Schedules cannot be read',
      objects: [b.namespace('velero'), readOnly()],
      extra: { schedules: { ok: false, error: { reason: 'Forbidden', message: 'simulated' } } },
      expected: [['velero/default', 'fail', 'BackupLocationUnavailable']],
      message: /it is the default location/,
    },
    {
      given: 'a bucket+prefix another cluster of the fleet writes to',
      objects: [b.namespace('velero'), b.backupStorageLocation(), b.schedule('nightly')],
      extra: { sharedBackupTargets: { default: ['store-043', 'store-041'] } },
      expected: [['velero/default', 'warn', 'BackupLocationShared']],
      message:
        /^backup location default writes to the same bucket and prefix as cluster\(s\) store-041, store-043; .*spec\.objectStorage\.prefix\) — also BackupLocationAvailable/,
    },
    {
      given: 'a shared bucket that is also Unavailable',
      objects: [
        b.namespace('velero'),
        b.backupStorageLocation('default', {
          status: { phase: 'Unavailable', message: 'AuthorizationFailure' },
        }),
      ],
      extra: { sharedBackupTargets: { default: ['store-043'] } },
      expected: [['velero/default', 'fail', 'BackupLocationUnavailable']],
      message: /Unavailable: AuthorizationFailure.* — also BackupLocationShared: .*store-043/,
    },
    {
      given: 'no other cluster on the same target',
      objects: [b.namespace('velero'), b.backupStorageLocation()],
      extra: { sharedBackupTargets: { default: [] } },
      expected: [['velero/default', 'ok', 'BackupLocationAvailable']],
    },
  ];

  it.each(cases)('given $given', (c) => {
    const findings = checkBackupLocation(snapshotOf(c.objects, c.extra), new Date(NOW), SETTINGS);
    expect(findings.map((f) => [f.resource, f.status, f.reason])).toEqual(c.expected);
    if (c.message)
      expect(findings.find((f) => f.status !== 'ok')?.message ?? findings[0].message).toMatch(c.message);
  });
});
