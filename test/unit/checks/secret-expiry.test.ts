import { checkSecretExpiry } from '../../../jobs/checks/secret-expiry.js';
import type { ClusterSnapshot, KeyVaultSecretMeta } from '../../../jobs/checks/snapshot.js';
import {
  assertValidAgainstCrds,
  DAY,
  failed,
  fromNow,
  HOUR,
  kvSecret,
  NOW,
  ok,
  providerClass,
  SETTINGS,
  secretSync,
  snapshot,
} from '../../fakes/key-vault/secret-scenario.js';
import { describeWithCrds } from '../../support/describe-with-crds.js';

const withSecret = (meta: Partial<KeyVaultSecretMeta>, extra: Partial<ClusterSnapshot> = {}) =>
  snapshot({
    secretSyncs: ok(secretSync('db-password')),
    secretProviderClasses: ok(providerClass('kv-spc', [{ objectName: 'db-password' }])),
    keyVaultSecrets: { 'kv-store-042': ok(kvSecret('db-password', meta)) },
    ...extra,
  });

type Case = {
  given: string;
  snap: ClusterSnapshot;
  expected: [status: string, reason: string, message: RegExp][];
};

const cases: Case[] = [
  {
    given: 'no expiry date',
    snap: withSecret({}),
    expected: [
      [
        'ok',
        'SecretNotExpiring',
        /db-password in Key Vault kv-store-042 \(used by pos\/db-password\) has no expiry date/,
      ],
    ],
  },
  {
    given: 'expires in 200 days',
    snap: withSecret({ expiresOn: fromNow(200 * DAY) }),
    expected: [['ok', 'SecretNotExpiring', /expires in 200 days \(2026-12-18/]],
  },
  {
    given: 'expires in 10 days (warning 30d)',
    snap: withSecret({ expiresOn: fromNow(10 * DAY + HOUR) }),
    expected: [
      [
        'warn',
        'SecretNearExpiry',
        /db-password in Key Vault kv-store-042 expires in 10 days \(2026-06-11\); rotate it/,
      ],
    ],
  },
  {
    given: 'expires in 5 hours',
    snap: withSecret({ expiresOn: fromNow(5 * HOUR) }),
    expected: [['warn', 'SecretNearExpiry', /expires in 5h/]],
  },
  {
    given: 'expired 2 days ago',
    snap: withSecret({ expiresOn: fromNow(-2 * DAY) }),
    expected: [
      ['fail', 'SecretExpired', /expired 2d ago \(2026-05-30\); pos\/db-password can no longer sync it/],
    ],
  },
  {
    given: 'disabled (even if not expired)',
    snap: withSecret({ enabled: false, expiresOn: fromNow(200 * DAY) }),
    expected: [
      [
        'fail',
        'SecretDisabled',
        /is disabled.*az keyvault secret set-attributes --vault-name kv-store-042 --name db-password --enabled true/,
      ],
    ],
  },
  {
    given: 'unparseable expiresOn is treated as none, not a crash',
    snap: withSecret({ expiresOn: 'soon' }),
    expected: [['ok', 'SecretNotExpiring', /no expiry date/]],
  },
  {
    given: 'certificates count: their backing secret carries the expiry',
    snap: withSecret(
      { expiresOn: fromNow(3 * DAY) },
      {
        secretProviderClasses: ok(
          providerClass('kv-spc', [{ objectName: 'db-password', objectType: 'cert' }]),
        ),
      },
    ),
    expected: [['warn', 'SecretNearExpiry', /expires in 3 days/]],
  },
  {
    given: 'vault listing failed',
    snap: withSecret({}, { keyVaultSecrets: { 'kv-store-042': failed('Timeout') } }),
    expected: [['unknown', 'Timeout', /cannot list secret metadata in Key Vault kv-store-042/]],
  },
  {
    given: 'nothing synced',
    snap: snapshot(),
    expected: [['ok', 'SecretNotExpiring', /no Key Vault secret is synced/]],
  },
  {
    given: 'SecretSyncs forbidden',
    snap: snapshot({ secretSyncs: failed('Forbidden') }),
    expected: [['unknown', 'Forbidden', /SecretSyncs/]],
  },
];

describe('secret-expiry', () => {
  it.each(cases)('$given', ({ snap, expected }) => {
    const findings = checkSecretExpiry(snap, NOW, SETTINGS);
    expect(findings.map((f) => [f.status, f.reason])).toEqual(expected.map(([s, r]) => [s, r]));
    findings.forEach((f, i) => {
      expect(f.check).toBe('secret-expiry');
      expect(f.message).toMatch(expected[i][2]);
    });
  });

  it('one finding per vault secret, naming every SecretSync that uses it', () => {
    const snap = snapshot({
      secretSyncs: ok(
        secretSync('db-password'),
        secretSync('db-password', { namespace: 'web' }),
        secretSync('db-password', { namespace: 'web', spc: 'pinned' }),
      ),
      secretProviderClasses: ok(
        providerClass('kv-spc', [{ objectName: 'db-password' }]),
        providerClass('kv-spc', [{ objectName: 'db-password' }], { namespace: 'web' }),
        providerClass('pinned', [{ objectName: 'db-password', objectVersion: 'v1' }], { namespace: 'web' }),
      ),
      keyVaultSecrets: { 'kv-store-042': ok(kvSecret('db-password', { expiresOn: fromNow(-DAY) })) },
    });
    const findings = checkSecretExpiry(snap, NOW, SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      reason: 'SecretExpired',
      resource: 'keyvault/kv-store-042/db-password',
      evidence: { usedBy: 'pos/db-password, web/db-password' },
    });
  });
});

// The cases' SecretSyncs and SecretProviderClasses are what the real CRDs accept.
describeWithCrds('secret-expiry fixtures match the real CRDs', () => {
  const objects = ({ snap: s }: Case) => [
    ...(s.secretSyncs?.ok ? s.secretSyncs.items : []),
    ...(s.secretProviderClasses?.ok ? s.secretProviderClasses.items : []),
  ];
  it.each(cases.filter((c) => objects(c).length > 0))('$given', (c) => {
    assertValidAgainstCrds(objects(c));
  });
});
