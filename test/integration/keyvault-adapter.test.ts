/** The real SecretClient against the loopback fake Key Vault: challenge, paging, dates, errors. */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { KeyVaultMetadataSource } from '../../adapters/keyvault/key-vault-metadata-source.js';
import { FakeKeyVault } from '../fakes/key-vault/fake-key-vault.js';

class FixedTokenCredential implements TokenCredential {
  readonly calls: { scopes: string[]; tenantId?: string }[] = [];
  constructor(private readonly token: string) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.calls.push({ scopes: [scopes].flat(), tenantId: options?.tenantId });
    return { token: this.token, expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

const epoch = (iso: string) => new Date(iso);

describe('KeyVaultMetadataSource (real @azure/keyvault-secrets SecretClient)', () => {
  let vault: FakeKeyVault;
  let credential: FixedTokenCredential;
  const source = (verifyChallengeResource = false) =>
    new KeyVaultMetadataSource({
      credential,
      verifyChallengeResource,
      clientOptions: { tlsOptions: { ca: vault.caCert }, retryOptions: { maxRetries: 0 } },
    });

  beforeEach(async () => {
    vault = await FakeKeyVault.start({ maxPageSize: 25, tenantId: 'tenant-1' });
    credential = new FixedTokenCredential(vault.token);
  });
  afterEach(() => vault.close());

  it('answers the 401 challenge, follows nextLink over 3 pages and converts epoch-second dates', async () => {
    for (let i = 0; i < 60; i++)
      vault.setSecret({
        name: `s-${String(i).padStart(2, '0')}`,
        value: 'PLANTED-SECRET-VALUE-123',
        created: epoch('2026-01-02T03:04:05Z'),
        expires: i === 7 ? epoch('2027-05-06T07:08:09Z') : undefined,
        enabled: i !== 9,
      });
    const listed = await source().listSecretMetadata({ name: 'kv-a', url: vault.url });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.items).toHaveLength(60);
    expect(listed.items[7]).toEqual({
      vault: 'kv-a',
      name: 's-07',
      enabled: true,
      createdOn: '2026-01-02T03:04:05.000Z',
      updatedOn: '2026-01-02T03:04:05.000Z',
      expiresOn: '2027-05-06T07:08:09.000Z',
    });
    expect(listed.items[9].enabled).toBe(false);
    // First request carries no token (challenge), then 3 authorized pages.
    expect(vault.requests.map((r) => [r.authorized, r.status])).toEqual([
      [false, 401],
      [true, 200],
      [true, 200],
      [true, 200],
    ]);
    expect(vault.requests[1].query.maxresults).toBe('25');
    expect(vault.requests[2].query.$skiptoken).toBe('25');
    expect(credential.calls[0]).toEqual({
      scopes: ['https://vault.azure.net/.default'],
      tenantId: 'tenant-1',
    });
    expect(vault.valueReads).toEqual([]);
    expect(JSON.stringify(listed)).not.toContain('PLANTED-SECRET-VALUE-123');
  });

  it('caches one client per vault URL, so the second listing needs no new challenge', async () => {
    vault.setSecret({ name: 'a', value: 'x', created: new Date() });
    const s = source();
    await s.listSecretMetadata({ name: 'kv-a', url: vault.url });
    await s.listSecretMetadata({ name: 'kv-a', url: vault.url });
    expect(vault.requests.filter((r) => !r.authorized)).toHaveLength(1);
    expect(vault.requests).toHaveLength(3);
  });

  it('with verifyChallengeResource a challenge for another domain is refused before any token is sent', async () => {
    const listed = await source(true).listSecretMetadata({ name: 'kv-a', url: vault.url });
    expect(listed.ok).toBe(false);
    if (listed.ok) return;
    expect(listed.error.reason).toBe('ApiError');
    expect(listed.error.message).toContain('keyVault.verifyChallengeResource: false');
    expect(credential.calls).toHaveLength(0);
    expect(vault.requests.every((r) => !r.authorized)).toBe(true);
  });

  it('403 becomes Forbidden naming the list permission (metadata only)', async () => {
    vault.setFault({ status: 403, code: 'ForbiddenByPolicy' });
    const listed = await source().listSecretMetadata({ name: 'kv-a', url: vault.url });
    expect(listed).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'Forbidden', missingRule: expect.stringContaining('`list`') }),
    });
  });

  it('an unreachable vault is an ApiError that mentions the proxy settings, not a throw', async () => {
    const url = vault.url;
    await vault.close();
    const listed = await source().listSecretMetadata({ name: 'kv-a', url });
    expect(listed.ok).toBe(false);
    if (!listed.ok) expect(listed.error.message).toMatch(/ECONNREFUSED.*HTTPS_PROXY/);
    vault = await FakeKeyVault.start();
  });
});
