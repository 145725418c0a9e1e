import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import { checkSecretSync } from '../../../jobs/checks/secret-sync.js';
import type { ClusterSnapshot, SecretSync } from '../../../jobs/checks/snapshot.js';
import {
  ago,
  assertValidAgainstCrds,
  cond,
  controller,
  failed,
  HOUR,
  MIN,
  NOW,
  ok,
  SETTINGS,
  secretSync,
  snapshot,
} from '../../fakes/key-vault/secret-scenario.js';
import { describeWithCrds } from '../../support/describe-with-crds.js';

type Case = {
  given: string;
  snap: Partial<ClusterSnapshot>;
  required?: boolean;
  /** Malformed on purpose: not validated against the CRD. */
  malformed?: boolean;
  expected: [status: string, reason: ReasonCode<'secret-sync'>, message: RegExp, resource?: string][];
};

const syncs = (...s: SecretSync[]) => ({ secretSyncs: ok(...s) });

const cases: Case[] = [
  {
    given: 'v0.0.x family: SecretCreated/SecretUpdated True',
    snap: syncs(secretSync('db-password')),
    expected: [
      [
        'ok',
        'SecretSynced',
        /SecretSync pos\/db-password is synced \(last synced 2h ago\)/,
        'pos/db-password',
      ],
    ],
  },
  {
    given: 'current family: Create True, Update True UpdateNoValueChangeSucceeded',
    snap: syncs(
      secretSync('api-key', {
        conditions: [
          cond('Create', 'True', 'CreateSucceeded', 'Secret created successfully.'),
          cond('Update', 'True', 'UpdateNoValueChangeSucceeded', 'no value change'),
        ],
      }),
    ),
    expected: [['ok', 'SecretSynced', /api-key is synced/]],
  },
  {
    given: 'created, no update attempted yet (Unknown NoUpdatesAttemptedYet) still counts as synced',
    snap: syncs(
      secretSync('api-key', {
        conditions: [
          cond('SecretCreated', 'True', 'CreateSuccessful'),
          cond('SecretUpdated', 'Unknown', 'NoUpdatesAttemptedYet'),
        ],
      }),
    ),
    expected: [['ok', 'SecretSynced', /synced/]],
  },
  {
    given: 'Update False ProviderError: the controller reason and message are in the line',
    snap: syncs(
      secretSync('db-password', {
        conditions: [
          cond('Create', 'True', 'CreateSucceeded'),
          cond(
            'Update',
            'False',
            'ProviderError',
            'fetching secrets from the provider failed: 403\n from vault',
          ),
        ],
      }),
    ),
    expected: [
      [
        'fail',
        'SecretSyncFailed',
        /pos\/db-password failed \(Update: ProviderError — fetching secrets from the provider failed: 403 from vault\).*last synced 2h ago.*kubectl -n pos describe secretsync db-password/,
      ],
    ],
  },
  {
    given: 'status Unknown with an error reason (ControllerInternalError) is a failure',
    snap: syncs(
      secretSync('x', { conditions: [cond('Create', 'Unknown', 'ControllerInternalError', 'boom')] }),
    ),
    expected: [['fail', 'SecretSyncFailed', /ControllerInternalError — boom/]],
  },
  {
    given: 'an unfamiliar failure reason (open set) is still a failure',
    snap: syncs(secretSync('x', { conditions: [cond('SecretUpdated', 'False', 'SomethingNewTomorrow')] })),
    expected: [['fail', 'SecretSyncFailed', /SomethingNewTomorrow/]],
  },
  {
    given: 'PartialSync reason',
    snap: syncs(
      secretSync('bundle', {
        conditions: [
          cond('Create', 'True', 'CreateSucceeded'),
          cond('Update', 'False', 'PartialSync', '2 of 3 keys'),
        ],
      }),
    ),
    expected: [
      ['warn', 'SecretSyncPartial', /bundle synced only part of its data \(PartialSync — 2 of 3 keys\)/],
    ],
  },
  {
    given: 'just initialised: SyncStarting / NoUpdatesAttemptedYet',
    snap: syncs(
      secretSync('new', {
        lastSync: '',
        conditions: [
          cond('SecretCreated', 'Unknown', 'SyncStarting'),
          cond('SecretUpdated', 'Unknown', 'NoUpdatesAttemptedYet'),
        ],
      }),
    ),
    expected: [
      ['warn', 'SecretSyncPending', /pos\/new is not synced yet \(SecretCreated=Unknown\/SyncStarting/],
    ],
  },
  {
    given: 'no status at all',
    snap: syncs(secretSync('fresh', { noStatus: true })),
    expected: [['warn', 'SecretSyncPending', /has no status conditions yet/]],
  },
  {
    given: 'empty conditions',
    snap: syncs(secretSync('fresh', { conditions: [] })),
    expected: [['warn', 'SecretSyncPending', /has no status conditions yet/]],
  },
  {
    given: 'malformed conditions (null, empty object, a string) give a finding, not a crash',
    malformed: true,
    snap: syncs({
      ...secretSync('odd'),
      status: { conditions: [null, {}, 'x'] as unknown as [] },
    }),
    expected: [['warn', 'SecretSyncPending', /pos\/odd is not synced yet/]],
  },
  {
    given: 'controller Deployment with 0 available replicas, in its own namespace',
    snap: { ...syncs(secretSync('a')), deployments: ok(controller({ namespace: 'sse', available: 0 })) },
    expected: [
      [
        'fail',
        'SyncControllerDown',
        /sse\/secrets-store-sync-controller-manager is unavailable \(0 of 1 replicas available\).*kubectl -n sse describe deploy/,
        'sse/secrets-store-sync-controller-manager',
      ],
      ['ok', 'SecretSynced', /pos\/a is synced/],
    ],
  },
  {
    given: 'controller scaled to 0',
    snap: { ...syncs(secretSync('a')), deployments: ok(controller({ replicas: 0 })) },
    expected: [
      ['fail', 'SyncControllerDown', /scaled to 0 replicas/],
      ['ok', 'SecretSynced', /synced/],
    ],
  },
  {
    given: 'controller found in kube-system (whatever namespace it runs in)',
    snap: { ...syncs(secretSync('a')), deployments: ok(controller({ namespace: 'kube-system' })) },
    expected: [['ok', 'SecretSynced', /synced/]],
  },
  {
    given: 'CRD served, controller missing',
    snap: { ...syncs(secretSync('a')), deployments: ok() },
    expected: [
      [
        'fail',
        'SyncControllerDown',
        /no Deployment secrets-store-sync-controller-manager in any namespace, so 1 SecretSync/,
      ],
      ['ok', 'SecretSynced', /synced/],
    ],
  },
  {
    given: 'SecretSync CRD not served, required',
    snap: { secretSyncs: failed('NotFound'), deployments: ok() },
    expected: [['fail', 'SecretStoreNotInstalled', /not installed .*set secretSync.required: false/]],
  },
  {
    given: 'SecretSync CRD not served, not required',
    required: false,
    snap: { secretSyncs: failed('NotFound'), deployments: ok() },
    expected: [['ok', 'SecretStoreNotInstalled', /not required/]],
  },
  {
    given: 'CRD served, no controller, no SecretSyncs, not required',
    required: false,
    snap: { deployments: ok() },
    expected: [['ok', 'SecretStoreNotInstalled', /not required/]],
  },
  {
    given: 'installed and running but no SecretSync objects',
    snap: {},
    expected: [['ok', 'SecretSynced', /no SecretSync objects exist/]],
  },
  {
    given: 'SecretSyncs cannot be listed (RBAC)',
    snap: { secretSyncs: failed('Forbidden', 'list secret-sync.x-k8s.io secretsyncs in all namespaces') },
    expected: [['unknown', 'Forbidden', /not allowed to list secret-sync.x-k8s.io secretsyncs/]],
  },
  {
    given: 'Deployments cannot be listed',
    snap: { ...syncs(secretSync('a')), deployments: failed('Timeout') },
    expected: [
      ['unknown', 'Timeout', /secrets-store-sync-controller-manager.*timed out/],
      ['ok', 'SecretSynced', /synced/],
    ],
  },
  {
    given: 'SecretSyncs not collected at all',
    snap: { secretSyncs: undefined },
    expected: [['unknown', 'ApiError', /not collected/]],
  },
  {
    given:
      'newer family recovered: SecretUpdated=False from 3h ago, synced again 20m ago (the controller keeps the old condition)',
    snap: syncs(
      secretSync('db-password', {
        lastSync: ago(20 * MIN),
        conditions: [
          cond('SecretCreated', 'True', 'CreateSuccessful', 'Secret created successfully.'),
          {
            ...cond(
              'SecretUpdated',
              'False',
              'ProviderError',
              'fetching secrets from the provider failed: 503',
            ),
            lastTransitionTime: ago(3 * HOUR),
          },
        ],
      }),
    ),
    expected: [
      [
        'ok',
        'SecretSynced',
        /pos\/db-password is synced \(last synced 20m ago; its SecretUpdated=False\/ProviderError since .* is older than that sync/,
      ],
    ],
  },
  {
    given:
      'newer family failing again: the old False condition keeps its time, the last sync stops moving (3h ago, poll 1h)',
    snap: syncs(
      secretSync('db-password', {
        lastSync: ago(3 * HOUR),
        conditions: [
          cond('SecretCreated', 'True', 'CreateSuccessful', 'Secret created successfully.'),
          {
            ...cond(
              'SecretUpdated',
              'False',
              'ProviderError',
              'fetching secrets from the provider failed: 403',
            ),
            lastTransitionTime: ago(5 * HOUR),
          },
        ],
      }),
    ),
    expected: [['fail', 'SecretSyncFailed', /failed \(SecretUpdated: ProviderError.*last synced 3h ago/]],
  },
  {
    given: 'failed condition without lastTransitionTime: cannot be ordered, stays failed',
    malformed: true,
    snap: syncs(
      secretSync('db-password', {
        lastSync: ago(10 * MIN),
        conditions: [{ type: 'SecretUpdated', status: 'False', reason: 'ProviderError', message: 'x' }],
      }),
    ),
    expected: [['fail', 'SecretSyncFailed', /ProviderError/]],
  },
];

describe('secret-sync', () => {
  it.each(cases)('$given', ({ snap, required, expected }) => {
    const s = snapshot(snap);
    const settings = { ...SETTINGS, secretSync: { ...SETTINGS.secretSync, required: required ?? true } };
    const findings = checkSecretSync(s, NOW, settings);
    expect(findings.map((f) => [f.status, f.reason])).toEqual(expected.map(([st, r]) => [st, r]));
    findings.forEach((f, i) => {
      expect(f.check).toBe('secret-sync');
      expect(f.message).toMatch(expected[i][2]);
      if (expected[i][3]) expect(f.resource).toBe(expected[i][3]);
    });
  });

  it('reports the age of the last sync in the line', () => {
    const s = snapshot(
      syncs(secretSync('old', { lastSync: new Date(NOW.getTime() - 26 * HOUR).toISOString() })),
    );
    expect(checkSecretSync(s, NOW, SETTINGS)[0].message).toContain('last synced 1d2h ago');
  });
});

describeWithCrds('secret-sync fixture validation', () => {
  it('rejects a SecretSync the real CRD would reject (condition without lastTransitionTime)', () => {
    const bad = secretSync('bad', {
      conditions: [{ type: 'Create', status: 'True', reason: 'X', message: '' }],
    });
    expect(() => assertValidAgainstCrds([bad])).toThrow(/lastTransitionTime/);
  });
});

// The cases' SecretSyncs are what the real CRD accepts (a CRD-less run checks the logic only).
describeWithCrds('secret-sync fixtures match the real CRDs', () => {
  const syncsOf = ({ snap }: Case) => {
    const listed = snapshot(snap).secretSyncs;
    return listed?.ok ? listed.items : [];
  };
  it.each(cases.filter((c) => !c.malformed && syncsOf(c).length > 0))('$given', (c) => {
    assertValidAgainstCrds(syncsOf(c));
  });
});
