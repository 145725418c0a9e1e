/**
 * Pinned `objectVersion` secrets end to end: the real SecretClient lists the secret's versions
 * (`GET /secrets/{name}/versions`, metadata only) on the loopback fake vault, the enricher puts the
 * pinned version into the snapshot, and secret-expiry judges that version — never the latest.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { KeyVaultMetadataSource } from '../../adapters/keyvault/key-vault-metadata-source.js';
import { buildConfig } from '../../bot/config.js';
import { checkSecretExpiry } from '../../jobs/checks/secret-expiry.js';
import { KeyVaultEnricher } from '../../jobs/keyvault-enricher.js';
import { FakeKeyVault } from '../fakes/key-vault/fake-key-vault.js';
import {
  assertValidAgainstCrds,
  DAY,
  NOW,
  ok,
  providerClass,
  SETTINGS,
  secretSync,
  snapshot,
} from '../fakes/key-vault/secret-scenario.js';
import { describeWithCrds } from '../support/describe-with-crds.js';

const PINNED = '0b3c5e7a9d1f4b6c8e0a2c4e6f8a0b1c';
const CURRENT = 'f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4';
const VALUE = 'PLANTED-PINNED-VALUE-987';

describeWithCrds('pinned objectVersion fixtures match the real CRDs', () => {
  it('the SecretSync and the SecretProviderClass with objectVersion are valid', () => {
    const s = snapshot({
      secretSyncs: ok(secretSync('db-password')),
      secretProviderClasses: ok(
        providerClass('kv-spc', [{ objectName: 'db-password', objectVersion: PINNED }]),
      ),
    });
    assertValidAgainstCrds([
      ...(s.secretSyncs?.ok ? s.secretSyncs.items : []),
      ...(s.secretProviderClasses?.ok ? s.secretProviderClasses.items : []),
    ]);
  });
});

describe('pinned objectVersion: metadata of that version, read through the real SDK', () => {
  let vault: FakeKeyVault;
  let enricher: KeyVaultEnricher;
  let source: KeyVaultMetadataSource;

  beforeEach(async () => {
    vault = await FakeKeyVault.start({ maxPageSize: 2 });
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({
        token: vault.token,
        expiresOnTimestamp: Date.now() + 3600_000,
      }),
    };
    source = new KeyVaultMetadataSource({
      credential,
      verifyChallengeResource: false,
      pageSize: 2,
      clientOptions: { tlsOptions: { ca: vault.caCert }, retryOptions: { maxRetries: 0 } },
    });
    enricher = new KeyVaultEnricher(source, { dnsSuffix: 'vault.azure.net' });
  });
  afterEach(() => vault.close());

  const cluster = () =>
    buildConfig({ clusters: [{ name: 'store-042', keyVaults: { 'kv-store-042': vault.url } }] }, 'test')
      .clusters[0];
  const pinnedSnapshot = (version = PINNED) => {
    const s = snapshot({
      secretSyncs: ok(secretSync('db-password')),
      secretProviderClasses: ok(
        providerClass('kv-spc', [{ objectName: 'db-password', objectVersion: version }]),
      ),
    });
    return s;
  };
  /** Current version healthy, the pinned one (third of four, so on page 2) expired 3 days ago. */
  const plant = () =>
    vault.setSecret({
      name: 'db-password',
      value: VALUE,
      version: CURRENT,
      created: new Date(NOW.getTime() - DAY),
      expires: new Date(NOW.getTime() + 300 * DAY),
      olderVersions: [
        { version: 'aaaa0000aaaa0000aaaa0000aaaa0000', created: new Date(NOW.getTime() - 90 * DAY) },
        {
          version: PINNED,
          created: new Date(NOW.getTime() - 60 * DAY),
          expires: new Date(NOW.getTime() - 3 * DAY),
        },
        { version: 'bbbb1111bbbb1111bbbb1111bbbb1111', created: new Date(NOW.getTime() - 30 * DAY) },
      ],
    });

  it('an expired pinned version fails although the current version is fine; no value is read', async () => {
    plant();
    const snap = pinnedSnapshot();
    await enricher.enrich(cluster(), snap, NOW);
    const [f] = checkSecretExpiry(snap, NOW, SETTINGS);
    expect(f).toMatchObject({
      status: 'fail',
      reason: 'SecretExpired',
      resource: `keyvault/kv-store-042/db-password/${PINNED}`,
      evidence: { version: PINNED },
    });
    expect(f.message).toContain(
      `secret db-password (pinned version ${PINNED}) in Key Vault kv-store-042 expired 3d ago`,
    );
    // Versions listed page by page (2 per page), never a value.
    const versionPages = vault.requests.filter(
      (r) => r.path === '/secrets/db-password/versions' && r.authorized,
    );
    expect(versionPages.length).toBe(2);
    expect(vault.valueReads).toEqual([]);
    expect(JSON.stringify(snap)).not.toContain(VALUE);
  });

  it('a pinned version the vault no longer has, or a deleted secret, fails SecretDisabled', async () => {
    plant();
    const gone = pinnedSnapshot('cccc2222cccc2222cccc2222cccc2222');
    await enricher.enrich(cluster(), gone, NOW);
    expect(checkSecretExpiry(gone, NOW, SETTINGS)[0]).toMatchObject({
      status: 'fail',
      reason: 'SecretDisabled',
    });

    vault.deleteSecret('db-password');
    const deleted = pinnedSnapshot();
    await enricher.enrich(cluster(), deleted, NOW);
    const [f] = checkSecretExpiry(deleted, NOW, SETTINGS);
    expect(f).toMatchObject({ status: 'fail', reason: 'SecretDisabled' });
    expect(f.message).toContain(
      `version ${PINNED} of secret db-password is not in Key Vault kv-store-042 (deleted`,
    );
    // The real SDK saw 404 SecretNotFound on the versions listing.
    expect(vault.requests.at(-1)).toMatchObject({ path: '/secrets/db-password/versions', status: 404 });
    expect(vault.valueReads).toEqual([]);
  });

  it('a 403 on the versions listing stays unknown (Forbidden), never fail or ok', async () => {
    plant();
    vault.setFault({ status: 403, code: 'ForbiddenByPolicy' });
    const snap = pinnedSnapshot();
    await enricher.enrich(cluster(), snap, NOW);
    const findings = checkSecretExpiry(snap, NOW, SETTINGS);
    expect(findings.map((f) => [f.status, f.reason])).toEqual([['unknown', 'Forbidden']]);
  });

  it('a current secret deleted from the vault fails SecretDisabled (absent from the full listing)', async () => {
    vault.setSecret({ name: 'other', value: 'x', created: new Date(NOW.getTime() - DAY) });
    const snap = snapshot({
      secretSyncs: ok(secretSync('db-password')),
      secretProviderClasses: ok(providerClass('kv-spc', [{ objectName: 'db-password' }])),
    });
    await enricher.enrich(cluster(), snap, NOW);
    const [f] = checkSecretExpiry(snap, NOW, SETTINGS);
    expect(f).toMatchObject({ status: 'fail', reason: 'SecretDisabled', evidence: { inVault: false } });
  });

  it('one read of a pinned version serves the scheduled scans of 30 s; a command reads afresh', async () => {
    plant();
    const versionReads = () =>
      vault.requests.filter(
        (r) => r.path === '/secrets/db-password/versions' && r.authorized && !r.query.$skiptoken,
      ).length;
    await Promise.all([
      enricher.enrich(cluster(), pinnedSnapshot(), NOW),
      enricher.enrich(cluster(), pinnedSnapshot(), NOW),
    ]);
    const later = pinnedSnapshot();
    await enricher.enrich(cluster(), later, new Date(NOW.getTime() + 29_000));
    expect(versionReads()).toBe(1);
    expect(checkSecretExpiry(later, NOW, SETTINGS)[0]).toMatchObject({ reason: 'SecretExpired' });
    await enricher.enrich(cluster(), pinnedSnapshot(), new Date(NOW.getTime() + 29_000), { fresh: true });
    expect(versionReads()).toBe(2);
  });
});
