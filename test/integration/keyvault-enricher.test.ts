/** KeyVaultEnricher: which vaults it reads, how it finds their URLs, and what a failure becomes. */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { KeyVaultMetadataSource } from '../../adapters/keyvault/key-vault-metadata-source.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import { checkSecretExpiry } from '../../jobs/checks/secret-expiry.js';
import type { KeyVaultSecretMeta, Listed } from '../../jobs/checks/snapshot.js';
import { KeyVaultEnricher, type SecretMetadataSource, type VaultRef } from '../../jobs/keyvault-enricher.js';
import { FakeKeyVault } from '../fakes/key-vault/fake-key-vault.js';
import { ok, providerClass, SETTINGS, secretSync, snapshot } from '../fakes/key-vault/secret-scenario.js';

const cluster = (keyVaults: Record<string, string> = {}): ClusterConfig =>
  buildConfig({ clusters: [{ name: 'store-042', keyVaults }] }, 'test').clusters[0];

class RecordingSource implements SecretMetadataSource {
  readonly asked: VaultRef[] = [];
  async listSecretMetadata(vault: VaultRef): Promise<Listed<KeyVaultSecretMeta>> {
    this.asked.push(vault);
    return { ok: true, items: [] };
  }
}

const usingVaults = (...vaults: string[]) =>
  snapshot({
    secretSyncs: ok(...vaults.map((_, i) => secretSync(`s${i}`, { spc: `spc${i}` }))),
    secretProviderClasses: ok(
      ...vaults.map((v, i) => providerClass(`spc${i}`, [{ objectName: `s${i}` }], { vault: v })),
    ),
  });

describe('KeyVaultEnricher', () => {
  it('reads only the vaults SecretSyncs use: configured URL first, else https://<name>.<dnsSuffix>', async () => {
    const source = new RecordingSource();
    const snap = usingVaults('kv-a', 'kv-b', 'kv-a');
    await new KeyVaultEnricher(source, { dnsSuffix: 'vault.azure.cn' }).enrich(
      cluster({ 'kv-a': 'https://kv-a.privatelink.vaultcore.azure.net/' }),
      snap,
      new Date(),
    );
    expect(source.asked).toEqual([
      { name: 'kv-a', url: 'https://kv-a.privatelink.vaultcore.azure.net' },
      { name: 'kv-b', url: 'https://kv-b.vault.azure.cn' },
    ]);
    expect(Object.keys(snap.keyVaultSecrets ?? {})).toEqual(['kv-a', 'kv-b']);
  });

  it('never sends a token to a host built from an invalid keyvaultName', async () => {
    const source = new RecordingSource();
    const snap = usingVaults('evil.example.com/x');
    await new KeyVaultEnricher(source, { dnsSuffix: 'vault.azure.net' }).enrich(cluster(), snap, new Date());
    expect(source.asked).toEqual([]);
    const findings = checkSecretExpiry(snap, new Date(), SETTINGS);
    expect(findings[0]).toMatchObject({ status: 'unknown', reason: 'ApiError' });
    expect(findings[0].message).toContain('is not a valid Key Vault name');
  });

  it('shares one listing of a vault between the scheduled scans of 30 s; never a failed one, never for a command', async () => {
    let fail = false;
    const source = new (class extends RecordingSource {
      override async listSecretMetadata(vault: VaultRef): Promise<Listed<KeyVaultSecretMeta>> {
        await super.listSecretMetadata(vault);
        return fail
          ? { ok: false, error: { reason: 'Timeout', message: 'slow vault' } }
          : { ok: true, items: [{ vault: vault.name, name: 'db-password', enabled: true }] };
      }
    })();
    const enricher = new KeyVaultEnricher(source, { dnsSuffix: 'vault.azure.net' });
    const t0 = Date.parse('2026-11-27T04:00:00Z');
    const scan = async (atMs: number, fresh = false) => {
      const snap = usingVaults('kv-fleet');
      await enricher.enrich(cluster(), snap, new Date(atMs), { fresh });
      return snap.keyVaultSecrets?.['kv-fleet'];
    };
    // Two clusters at once (one listing in flight), a third 29 s later: one request.
    const [a, b] = await Promise.all([scan(t0), scan(t0)]);
    expect(await scan(t0 + 29_000)).toEqual(a);
    expect(b).toEqual(a);
    expect(source.asked).toHaveLength(1);
    // 30 s on it is listed again; a failure is given to its scan only, the next one asks again.
    fail = true;
    expect(await scan(t0 + 30_000)).toMatchObject({ ok: false });
    fail = false;
    expect(await scan(t0 + 30_001)).toMatchObject({ ok: true });
    expect(source.asked).toHaveLength(3);
    // A scan a person asked for (/dp status, --refresh) never takes a shared listing.
    await scan(t0 + 30_002, true);
    expect(source.asked).toHaveLength(4);
  });

  it('does nothing when no SecretSync uses a vault', async () => {
    const source = new RecordingSource();
    const snap = snapshot();
    await new KeyVaultEnricher(source, { dnsSuffix: 'vault.azure.net' }).enrich(cluster(), snap, new Date());
    expect(source.asked).toEqual([]);
  });

  it('a Forbidden vault becomes unknown findings naming the list permission, through the real SecretClient', async () => {
    const vault = await FakeKeyVault.start();
    try {
      vault.setFault({ status: 403 });
      const credential: TokenCredential = {
        getToken: async (): Promise<AccessToken> => ({
          token: vault.token,
          expiresOnTimestamp: Date.now() + 3600_000,
        }),
      };
      const source = new KeyVaultMetadataSource({
        credential,
        verifyChallengeResource: false,
        clientOptions: { tlsOptions: { ca: vault.caCert } },
      });
      const snap = usingVaults('kv-store-042');
      await new KeyVaultEnricher(source, { dnsSuffix: 'vault.azure.net' }).enrich(
        cluster({ 'kv-store-042': vault.url }),
        snap,
        new Date(),
      );
      const [f] = checkSecretExpiry(snap, new Date(), SETTINGS);
      expect(f).toMatchObject({ status: 'unknown', reason: 'Forbidden', resource: 'keyvault/kv-store-042' });
      expect(f.message).toMatch(/secrets `list` permission .*Key Vault Reader.*metadata only/);
      expect(vault.valueReads).toEqual([]);
    } finally {
      await vault.close();
    }
  });
});

describe('HTTPS_PROXY', () => {
  let proxy: Server;
  const tunnels: string[] = [];
  const saved = { https: process.env.HTTPS_PROXY, no: process.env.NO_PROXY };

  beforeAll(async () => {
    proxy = createServer();
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    process.env.HTTPS_PROXY = saved.https;
    process.env.NO_PROXY = saved.no;
    if (saved.https === undefined) delete process.env.HTTPS_PROXY;
    if (saved.no === undefined) delete process.env.NO_PROXY;
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
  });

  it('the Key Vault client tunnels through HTTPS_PROXY from the environment (no dpbot setting)', async () => {
    const vault = await FakeKeyVault.start();
    try {
      vault.setSecret({ name: 'a', value: 'x', created: new Date() });
      process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      delete process.env.NO_PROXY;
      const credential: TokenCredential = {
        getToken: async (): Promise<AccessToken> => ({
          token: vault.token,
          expiresOnTimestamp: Date.now() + 3600_000,
        }),
      };
      const source = new KeyVaultMetadataSource({
        credential,
        verifyChallengeResource: false,
        clientOptions: { tlsOptions: { ca: vault.caCert } },
      });
      const listed = await source.listSecretMetadata({ name: 'kv', url: vault.url });
      // The request went through the proxy: a CONNECT tunnel to the vault's host:port.
      // Through a proxy the SDK ignores tlsOptions ("TLS settings are not supported in combination
      // with custom Proxy"), so the test CA is not trusted there; a private CA needs NODE_EXTRA_CA_CERTS.
      expect(listed).toEqual({
        ok: false,
        error: { reason: 'ApiError', message: expect.stringContaining('NODE_EXTRA_CA_CERTS') },
      });
      expect(tunnels).toContain(new URL(vault.url).host);
    } finally {
      await vault.close();
    }
  });
});
