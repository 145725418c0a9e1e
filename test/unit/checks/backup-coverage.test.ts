import { checkBackupCoverage, matchesGlob } from '../../../jobs/checks/backup-coverage.js';
import type { UnknownReason } from '../../../jobs/checks/finding.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type {
  ClusterSnapshot,
  Listed,
  Namespace,
  PersistentVolumeClaim,
  Schedule,
} from '../../../jobs/checks/snapshot.js';

// ---- small local builder (deliberately independent of test/fakes) ----
const NOW = new Date('2026-11-25T12:00:00Z');
const SETTINGS = {
  backups: { maxAgeMs: 'auto', graceMs: 3_600_000, partialFailedIs: 'warn', veleroNamespace: 'velero' },
} as CheckSettings;

const ok = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
const failed = <T>(reason: UnknownReason | 'NotFound', missingRule?: string): Listed<T> => ({
  ok: false,
  error: { reason, message: `simulated ${reason}`, missingRule },
});

function snapshot(
  pvcs: Listed<PersistentVolumeClaim>,
  schedules: Listed<Schedule>,
  namespaces: Listed<Namespace> = ok(),
): ClusterSnapshot {
  return {
    cluster: 'store-042',
    collectedAt: NOW.toISOString(),
    veleroNamespace: 'velero',
    backupStorageLocations: ok(),
    schedules,
    backups: ok(),
    namespaces,
    persistentVolumeClaims: pvcs,
  };
}

const pvc = (namespace: string | undefined, name = 'data'): PersistentVolumeClaim => ({
  metadata: { name, namespace },
});
function schedule(
  name: string,
  included?: string[],
  excluded?: string[],
  o: { paused?: boolean; phase?: string } = {},
): Schedule {
  return {
    metadata: { name, namespace: 'velero' },
    spec: {
      schedule: '0 2 * * *',
      paused: o.paused,
      template: { includedNamespaces: included, excludedNamespaces: excluded },
    },
    status: o.phase ? { phase: o.phase } : undefined,
  };
}

type Case = {
  given: string;
  pvcs: Listed<PersistentVolumeClaim>;
  schedules: Listed<Schedule>;
  namespaces?: Listed<Namespace>;
  /** [status, reason, resource] per finding */
  expected: [string, string, string | undefined][];
  message?: RegExp;
};

const cases: Case[] = [
  {
    given: "a '*' schedule",
    pvcs: ok(pvc('pos'), pvc('pos', 'logs'), pvc('erp')),
    schedules: ok(schedule('nightly', ['*'])),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
    message: /all 2 namespace\(s\) with PVCs are included/,
  },
  {
    given: 'a schedule with empty includedNamespaces',
    pvcs: ok(pvc('pos')),
    schedules: ok(schedule('nightly', [])),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
  },
  {
    given: 'a schedule with no template namespaces at all',
    pvcs: ok(pvc('pos')),
    schedules: ok(schedule('nightly')),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
  },
  {
    given: 'a schedule naming only pos',
    pvcs: ok(pvc('pos'), pvc('erp'), pvc('erp', 'two')),
    schedules: ok(schedule('nightly', ['pos'])),
    expected: [['warn', 'NamespaceNotBackedUp', 'erp']],
    message:
      /^namespace erp has 2 PVC\(s\) but no active Velero schedule includes it; .*\/dp backup store-042 --namespaces erp/,
  },
  {
    given: 'globs app-* and ns[12] and db?',
    pvcs: ok(pvc('app-prod'), pvc('ns1'), pvc('ns3'), pvc('db1'), pvc('db10')),
    schedules: ok(schedule('nightly', ['app-*', 'ns[12]', 'db?'])),
    expected: [
      ['warn', 'NamespaceNotBackedUp', 'db10'],
      ['warn', 'NamespaceNotBackedUp', 'ns3'],
    ],
  },
  {
    given: 'two schedules whose union covers everything',
    pvcs: ok(pvc('pos'), pvc('erp')),
    schedules: ok(schedule('a', ['pos']), schedule('b', ['erp'])),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
  },
  {
    given: 'an exclusion',
    pvcs: ok(pvc('pos'), pvc('scratch')),
    schedules: ok(schedule('nightly', ['*'], ['scratch'])),
    expected: [['warn', 'NamespaceNotBackedUp', 'scratch']],
    message: /\(excluded by nightly\)/,
  },
  {
    given: 'a glob exclusion',
    pvcs: ok(pvc('test-1'), pvc('pos')),
    schedules: ok(schedule('nightly', [], ['test-*'])),
    expected: [['warn', 'NamespaceNotBackedUp', 'test-1']],
  },
  {
    given: 'only a paused schedule',
    pvcs: ok(pvc('pos')),
    schedules: ok(schedule('nightly', ['*'], [], { paused: true })),
    expected: [['warn', 'NamespaceNotBackedUp', 'pos']],
    message: /only paused or invalid schedule\(s\) nightly include it/,
  },
  {
    given: 'only a schedule Velero rejected',
    pvcs: ok(pvc('pos')),
    schedules: ok(schedule('nightly', ['*'], [], { phase: 'FailedValidation' })),
    expected: [['warn', 'NamespaceNotBackedUp', 'pos']],
  },
  {
    given: 'no schedules at all',
    pvcs: ok(pvc('pos')),
    schedules: ok(),
    expected: [['warn', 'NamespaceNotBackedUp', 'pos']],
    message: /\(there is no active schedule\)/,
  },
  {
    given: 'PVCs only in the Velero namespace (skipped)',
    pvcs: ok(pvc('velero')),
    schedules: ok(schedule('nightly', ['pos'])),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
    message: /no namespace outside velero has PVCs/,
  },
  {
    given: 'a PVC without namespace and a null item',
    pvcs: ok(pvc(undefined), null as unknown as PersistentVolumeClaim),
    schedules: ok(schedule('nightly', ['pos'])),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
  },
  {
    given: 'an uncovered namespace that is Terminating',
    pvcs: ok(pvc('old')),
    schedules: ok(schedule('nightly', ['pos'])),
    namespaces: ok({ metadata: { name: 'old' }, status: { phase: 'Terminating' } }),
    expected: [['ok', 'AllNamespacesCovered', undefined]],
  },
  {
    given: 'Velero not installed (Schedule CRD not served)',
    pvcs: ok(pvc('pos')),
    schedules: failed('NotFound'),
    expected: [['warn', 'NamespaceNotBackedUp', 'pos']],
    message: /\(Velero is not installed\)/,
  },
  {
    given: 'PVCs Forbidden',
    pvcs: failed('Forbidden', 'list persistentvolumeclaims in all namespaces'),
    schedules: ok(schedule('nightly')),
    expected: [['unknown', 'Forbidden', undefined]],
    message: /not allowed to list persistentvolumeclaims in all namespaces/,
  },
  {
    given: 'PVCs unreachable',
    pvcs: failed('ClusterUnreachable'),
    schedules: ok(),
    expected: [['unknown', 'ClusterUnreachable', undefined]],
  },
  {
    given: 'schedules timed out',
    pvcs: ok(pvc('pos')),
    schedules: failed('Timeout'),
    expected: [['unknown', 'Timeout', undefined]],
  },
  {
    given: 'schedules API error',
    pvcs: ok(pvc('pos')),
    schedules: failed('ApiError'),
    expected: [['unknown', 'ApiError', undefined]],
  },
];

describe('backup-coverage', () => {
  it.each(cases)('given $given', (c) => {
    const findings = checkBackupCoverage(snapshot(c.pvcs, c.schedules, c.namespaces), NOW, SETTINGS);
    expect(findings.map((f) => [f.status, f.reason, f.resource])).toEqual(c.expected);
    for (const f of findings) expect(f.check).toBe('backup-coverage');
    if (c.message) expect(findings[0].message).toMatch(c.message);
  });

  it.each([
    ['app-*', 'app-prod', true],
    ['app-*', 'application', false],
    ['ns?', 'ns1', true],
    ['ns?', 'ns10', false],
    ['ns[a-c]', 'nsb', true],
    ['ns[a-c]', 'nsd', false],
    ['pos', 'pos', true],
    ['p.s', 'pos', false],
    ['ns[', 'ns[', false],
  ])('glob %s matches %s: %s', (pattern, name, expected) => {
    expect(matchesGlob(pattern, name)).toBe(expected);
  });
});
