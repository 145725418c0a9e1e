import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import { checkSecretFreshness } from '../../../jobs/checks/secret-freshness.js';
import type { ClusterSnapshot } from '../../../jobs/checks/snapshot.js';
import {
  ago,
  assertValidAgainstCrds,
  cond,
  controller,
  failed,
  HOUR,
  kvSecret,
  MIN,
  NOW,
  ok,
  providerClass,
  SETTINGS,
  secretSync,
  snapshot,
} from '../../fakes/key-vault/secret-scenario.js';
import { describeWithCrds } from '../../support/describe-with-crds.js';

const spc = providerClass('kv-spc', [{ objectName: 'db-password' }]);
/** The newer controller after a poll whose fetch failed: SecretUpdated=False, ProviderError, 30m ago. */
const FETCH_FAILED = [
  cond('SecretCreated', 'True', 'CreateSuccessful', 'Secret created successfully.'),
  {
    ...cond(
      'SecretUpdated',
      'False',
      'ProviderError',
      'fetching secrets from the provider failed: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403',
    ),
    lastTransitionTime: ago(30 * MIN),
  },
];
const used = (lastSyncAgoMs: number, createdAgoMs: number, extra: Partial<ClusterSnapshot> = {}) =>
  snapshot({
    secretSyncs: ok(secretSync('db-password', { lastSync: ago(lastSyncAgoMs) })),
    secretProviderClasses: ok(spc),
    keyVaultSecrets: { 'kv-store-042': ok(kvSecret('db-password', { createdOn: ago(createdAgoMs) })) },
    ...extra,
  });

type Case = {
  given: string;
  snap: ClusterSnapshot;
  jitterMs?: number;
  expected: [status: string, reason: ReasonCode<'secret-freshness'>, message: RegExp][];
};

const cases: Case[] = [
  {
    given: 'version created before the last sync',
    snap: used(2 * HOUR, 3 * HOUR),
    expected: [
      [
        'ok',
        'SecretInSync',
        /pos\/db-password holds the current version of db-password \(Key Vault kv-store-042/,
      ],
    ],
  },
  {
    given:
      'version created after the last sync, longer ago than the poll interval, and the last fetch failed',
    snap: used(5 * HOUR, 3 * HOUR, {
      secretSyncs: ok(secretSync('db-password', { lastSync: ago(5 * HOUR), conditions: FETCH_FAILED })),
    }),
    expected: [
      [
        'fail',
        'SecretSyncStale',
        /older version of db-password \(Key Vault kv-store-042\): the current version was created 3h ago but SecretSync pos\/db-password last synced 5h ago \(allowed 1h\) and the controller's last attempt failed \(SecretUpdated: ProviderError\); force a sync: kubectl -n pos patch secretsync db-password/,
      ],
    ],
  },
  {
    given: 'rotated 30m ago: the controller still has time (poll 1h)',
    snap: used(5 * HOUR, 30 * MIN),
    expected: [['ok', 'SecretInSync', /holds the current version/]],
  },
  {
    given: 'rotated 70m ago with jitter 15m: still within poll + jitter',
    snap: used(5 * HOUR, 70 * MIN),
    jitterMs: 15 * MIN,
    expected: [['ok', 'SecretInSync', /holds the current version/]],
  },
  {
    given: 'rotated 70m ago without jitter, controller down: stale',
    snap: used(5 * HOUR, 70 * MIN, { deployments: ok(controller({ available: 0 })) }),
    expected: [['fail', 'SecretSyncStale', /created 1h10m ago.*the sync controller is not running/]],
  },
  {
    given: 'new version with the value synced 5h ago, controller up and polling: the value is unchanged',
    snap: used(5 * HOUR, 3 * HOUR),
    expected: [
      [
        'ok',
        'SecretInSync',
        /holds the current value of db-password \(Key Vault kv-store-042\): a version created 3h ago has the value synced 5h ago — the controller has polled since \(every 1h\) and moves lastSuccessfulSyncTime only when the value changes/,
      ],
    ],
  },
  {
    given: 'same, months later: never a permanent stale',
    snap: used(90 * 24 * HOUR, 60 * 24 * HOUR),
    expected: [['ok', 'SecretInSync', /holds the current value/]],
  },
  {
    given: 'controller polling turned off (--rotation-poll-interval=0s): stale',
    snap: used(5 * HOUR, 3 * HOUR, {
      deployments: ok(controller({ args: ['--leader-elect', '--rotation-poll-interval=0s'] })),
    }),
    expected: [['fail', 'SecretSyncStale', /polls Key Vault never \(--rotation-poll-interval=0\)/]],
  },
  {
    given: 'controller polls every 12h (chart default): a version 3h old is still within its poll',
    snap: used(5 * HOUR, 3 * HOUR, {
      deployments: ok(controller({ args: ['--rotation-poll-interval=12h'] })),
      secretSyncs: ok(secretSync('db-password', { lastSync: ago(5 * HOUR), conditions: FETCH_FAILED })),
    }),
    expected: [['ok', 'SecretInSync', /holds the current version/]],
  },
  {
    given: 'v0.0.4 controller that has not polled since its last value change: stale',
    snap: used(5 * HOUR, 3 * HOUR, {
      secretSyncs: ok(
        secretSync('db-password', {
          lastSync: ago(5 * HOUR),
          conditions: [
            cond('Create', 'True', 'CreateSucceeded', 'Secret created successfully.'),
            cond(
              'Update',
              'True',
              'UpdateValueChangeOrForceUpdateSucceeded',
              'The secret was updated successfully: a value change or a force update was detected.',
            ),
          ],
        }),
      ),
    }),
    expected: [['fail', 'SecretSyncStale', /has not polled since that sync/]],
  },
  {
    given: 'v0.0.4 controller whose last poll found no value change: in sync',
    snap: used(5 * HOUR, 3 * HOUR, {
      secretSyncs: ok(
        secretSync('db-password', {
          lastSync: ago(5 * HOUR),
          conditions: [
            cond('Create', 'True', 'CreateSucceeded', 'Secret created successfully.'),
            cond('Update', 'True', 'UpdateNoValueChangeSucceeded', 'no value change was detected.'),
          ],
        }),
      ),
    }),
    expected: [['ok', 'SecretInSync', /holds the current value/]],
  },
  {
    given: 'controller Deployment unreadable: cannot tell whether it compared',
    snap: used(5 * HOUR, 3 * HOUR, { deployments: failed('Forbidden') }),
    expected: [['unknown', 'ApiError', /could not be read/]],
  },
  {
    given: 'pinned objectVersion is skipped',
    snap: used(5 * HOUR, 3 * HOUR, {
      secretProviderClasses: ok(
        providerClass('kv-spc', [{ objectName: 'db-password', objectVersion: 'abc123' }]),
      ),
    }),
    expected: [['ok', 'SecretInSync', /pinned to a version/]],
  },
  {
    given: 'never synced: left to secret-sync',
    snap: used(0, 3 * HOUR, { secretSyncs: ok(secretSync('db-password', { lastSync: '' })) }),
    expected: [['ok', 'SecretInSync', /has not synced yet/]],
  },
  {
    given: 'Key Vault refused the listing',
    snap: used(2 * HOUR, 3 * HOUR, {
      keyVaultSecrets: { 'kv-store-042': failed('Forbidden', 'secrets `list` permission') },
    }),
    expected: [
      [
        'unknown',
        'Forbidden',
        /cannot list secret metadata in Key Vault kv-store-042.*grant dpbot's identity secrets `list` permission/,
      ],
    ],
  },
  {
    given: 'Key Vault not read in this scan',
    snap: used(2 * HOUR, 3 * HOUR, { keyVaultSecrets: {} }),
    expected: [['unknown', 'ApiError', /Key Vault kv-store-042 was not read/]],
  },
  {
    given: 'secret missing from the vault: left to secret-expiry (SecretDisabled)',
    snap: used(2 * HOUR, 3 * HOUR, { keyVaultSecrets: { 'kv-store-042': ok(kvSecret('other')) } }),
    expected: [['ok', 'SecretInSync', /missing from its vault \(see secret-expiry\)/]],
  },
  {
    given: 'Key Vault names match case-insensitively',
    snap: used(2 * HOUR, 3 * HOUR, {
      keyVaultSecrets: { 'kv-store-042': ok(kvSecret('DB-Password', { createdOn: ago(3 * HOUR) })) },
    }),
    expected: [['ok', 'SecretInSync', /holds the current version/]],
  },
  {
    given: 'metadata without createdOn',
    snap: used(2 * HOUR, 3 * HOUR, {
      keyVaultSecrets: { 'kv-store-042': ok({ vault: 'kv-store-042', name: 'db-password' }) },
    }),
    expected: [['unknown', 'ApiError', /reported no creation time/]],
  },
  {
    given: 'SecretProviderClass missing',
    snap: used(2 * HOUR, 3 * HOUR, { secretProviderClasses: ok() }),
    expected: [
      ['unknown', 'ApiError', /SecretSync pos\/db-password uses: SecretProviderClass pos\/kv-spc not found/],
    ],
  },
  {
    given: 'SecretProviderClass objects not YAML',
    snap: used(2 * HOUR, 3 * HOUR, {
      secretProviderClasses: ok(providerClass('kv-spc', 'array: [unclosed')),
    }),
    expected: [['unknown', 'ApiError', /parameters.objects is not YAML with an `array:` list/]],
  },
  {
    given: 'only a key object: nothing to compare',
    snap: used(5 * HOUR, 3 * HOUR, {
      secretProviderClasses: ok(providerClass('kv-spc', [{ objectName: 'db-password', objectType: 'key' }])),
    }),
    expected: [['ok', 'SecretInSync', /no Key Vault secret is synced/]],
  },
  {
    given: 'no SecretSyncs',
    snap: snapshot(),
    expected: [['ok', 'SecretInSync', /no Key Vault secret is synced/]],
  },
  {
    given: 'SecretSync CRD not served',
    snap: snapshot({ secretSyncs: failed('NotFound'), secretProviderClasses: failed('NotFound') }),
    expected: [['ok', 'SecretInSync', /no Key Vault secret is synced/]],
  },
  {
    given: 'SecretProviderClasses forbidden',
    snap: used(2 * HOUR, 3 * HOUR, { secretProviderClasses: failed('Forbidden') }),
    expected: [['unknown', 'Forbidden', /SecretProviderClasses/]],
  },
  {
    given: 'lists not collected',
    snap: snapshot({ secretSyncs: undefined }),
    expected: [['unknown', 'ApiError', /not collected/]],
  },
];

describe('secret-freshness', () => {
  it.each(cases)('$given', ({ snap, jitterMs, expected }) => {
    const settings = { ...SETTINGS, secretSync: { ...SETTINGS.secretSync, jitterMs: jitterMs ?? 0 } };
    const findings = checkSecretFreshness(snap, NOW, settings);
    expect(findings.map((f) => [f.status, f.reason])).toEqual(expected.map(([s, r]) => [s, r]));
    findings.forEach((f, i) => {
      expect(f.check).toBe('secret-freshness');
      expect(f.message).toMatch(expected[i][2]);
    });
  });

  it('only judges the objects the SecretSync reads (sourcePath = alias or name)', () => {
    const snap = snapshot({
      secretSyncs: ok(secretSync('app', { sourcePaths: ['db.txt'], lastSync: ago(5 * HOUR) })),
      secretProviderClasses: ok(
        providerClass('kv-spc', [
          { objectName: 'db-password', objectAlias: 'db.txt' },
          { objectName: 'unused' },
        ]),
      ),
      keyVaultSecrets: {
        'kv-store-042': ok(
          kvSecret('db-password', { createdOn: ago(6 * HOUR) }),
          kvSecret('unused', { createdOn: ago(2 * HOUR) }),
        ),
      },
    });
    const findings = checkSecretFreshness(snap, NOW, SETTINGS);
    expect(findings.map((f) => [f.reason, f.resource])).toEqual([['SecretInSync', 'pos/app/db-password']]);
  });
});

// The cases' SecretSyncs and SecretProviderClasses are what the real CRDs accept.
describeWithCrds('secret-freshness fixtures match the real CRDs', () => {
  const objects = ({ snap: s }: Case) => [
    ...(s.secretSyncs?.ok ? s.secretSyncs.items : []),
    ...(s.secretProviderClasses?.ok ? s.secretProviderClasses.items : []),
  ];
  it.each(cases.filter((c) => objects(c).length > 0))('$given', (c) => {
    assertValidAgainstCrds(objects(c));
  });
});
