import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import { checkSecretExpiry } from '../../../jobs/checks/secret-expiry.js';
import {
  type ClusterSnapshot,
  type Fetched,
  type KeyVaultSecretMeta,
  pinnedVersionKey,
} from '../../../jobs/checks/snapshot.js';
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

const PINNED = '4f1a0c9e2b7d4e3f8a6b5c4d3e2f1a0b';
/** The SPC pins PINNED; the vault's current version (the listing) is a later, healthy one. */
const withPinned = (version: Fetched<KeyVaultSecretMeta> | undefined) =>
  snapshot({
    secretSyncs: ok(secretSync('db-password')),
    secretProviderClasses: ok(
      providerClass('kv-spc', [{ objectName: 'db-password', objectVersion: PINNED }]),
    ),
    keyVaultSecrets: { 'kv-store-042': ok(kvSecret('db-password', { expiresOn: fromNow(300 * DAY) })) },
    ...(version
      ? { keyVaultVersions: { [pinnedVersionKey('kv-store-042', 'db-password', PINNED)]: version } }
      : {}),
  });
const pinnedMeta = (o: Partial<KeyVaultSecretMeta>): Fetched<KeyVaultSecretMeta> => ({
  ok: true,
  value: kvSecret('db-password', { version: PINNED, ...o }),
});

type Case = {
  given: string;
  snap: ClusterSnapshot;
  expected: [status: string, reason: ReasonCode<'secret-expiry'>, message: RegExp][];
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
  {
    given: 'pinned version expired (the current version is fine): judged on the pinned one',
    snap: withPinned(pinnedMeta({ expiresOn: fromNow(-2 * DAY) })),
    expected: [
      [
        'fail',
        'SecretExpired',
        /secret db-password \(pinned version 4f1a0c9e2b7d4e3f8a6b5c4d3e2f1a0b\) in Key Vault kv-store-042 expired 2d ago/,
      ],
    ],
  },
  {
    given: 'pinned version near expiry',
    snap: withPinned(pinnedMeta({ expiresOn: fromNow(5 * DAY) })),
    expected: [
      ['warn', 'SecretNearExpiry', /\(pinned version 4f1a.*\) in Key Vault kv-store-042 expires in 5 days/],
    ],
  },
  {
    given: 'pinned version disabled',
    snap: withPinned(pinnedMeta({ enabled: false })),
    expected: [['fail', 'SecretDisabled', /\(pinned version 4f1a.*\) in Key Vault kv-store-042 is disabled/]],
  },
  {
    given: 'pinned version without expiry',
    snap: withPinned(pinnedMeta({})),
    expected: [['ok', 'SecretNotExpiring', /\(pinned version 4f1a.*\) .*has no expiry date/]],
  },
  {
    given: 'pinned version deleted (404 SecretNotFound)',
    snap: withPinned({ ok: false, error: { reason: 'NotFound', message: 'SecretNotFound' } }),
    expected: [
      [
        'fail',
        'SecretDisabled',
        /version 4f1a0c9e2b7d4e3f8a6b5c4d3e2f1a0b of secret db-password is not in Key Vault kv-store-042 \(deleted/,
      ],
    ],
  },
  {
    given: 'pinned version: Key Vault refused (403) stays unknown',
    snap: withPinned({
      ok: false,
      error: { reason: 'Forbidden', message: 'refused', missingRule: 'secrets `list` permission' },
    }),
    expected: [['unknown', 'Forbidden', /cannot list secret metadata in Key Vault kv-store-042: refused/]],
  },
  {
    given: 'pinned version not read in this scan',
    snap: withPinned(undefined),
    expected: [['unknown', 'ApiError', /version 4f1a.* of secret db-password .* was not read/]],
  },
  {
    given: 'secret deleted from the vault (absent from the full listing)',
    snap: withSecret({}, { keyVaultSecrets: { 'kv-store-042': ok(kvSecret('other')) } }),
    expected: [
      [
        'fail',
        'SecretDisabled',
        /secret db-password is not in Key Vault kv-store-042 \(deleted, or never created under this name\), so pos\/db-password cannot sync it.*az keyvault secret recover --vault-name kv-store-042 --name db-password/,
      ],
    ],
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
      keyVaultVersions: {
        [pinnedVersionKey('kv-store-042', 'db-password', 'v1')]: {
          ok: true,
          value: kvSecret('db-password', { version: 'v1', expiresOn: fromNow(200 * DAY) }),
        },
      },
    });
    const findings = checkSecretExpiry(snap, NOW, SETTINGS);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      reason: 'SecretExpired',
      resource: 'keyvault/kv-store-042/db-password',
      evidence: { usedBy: 'pos/db-password, web/db-password' },
    });
    // The pinned version is its own line, judged on its own dates.
    expect(findings[1]).toMatchObject({
      status: 'ok',
      reason: 'SecretNotExpiring',
      resource: 'keyvault/kv-store-042/db-password/v1',
      evidence: { usedBy: 'web/db-password', version: 'v1' },
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
