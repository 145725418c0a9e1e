/**
 * dpbot never reads a secret value: a real scan (shell → BullMQ → client-node against the fake API →
 * Key Vault enricher with the real SecretClient against the fake vault → checks → reply) must not
 * request core Secrets, must not GET a Key Vault secret value, and the planted value must appear in
 * no reply and no log line — while the secret checks still report on the secrets it uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { pino } from 'pino';
import { KeyVaultMetadataSource } from '../../adapters/keyvault/key-vault-metadata-source.js';
import { buildConfig } from '../../bot/config.js';
import { type Dpbot, startDpbot } from '../../bot/main.js';
import { scenarios } from '../../demo/scenarios.js';
import { FakeKeyVault } from '../fakes/key-vault/fake-key-vault.js';
import { cond, controller, providerClass, secretSync } from '../fakes/key-vault/secret-scenario.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

const PLANTED = 'PLANTED-SECRET-VALUE-123';
const HOUR = 3_600_000;
const CORE_SECRETS = /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets(\/|$)/;

describe('no secret reads (real scan against fake cluster and fake Key Vault)', () => {
  let kube: FakeKubeApi;
  let vault: FakeKeyVault;
  let bot: Dpbot;
  let stdin: PassThrough;
  let replies = '';
  let logs = '';

  beforeAll(async () => {
    kube = await FakeKubeApi.start();
    vault = await FakeKeyVault.start();
    const now = Date.now();
    const iso = (msAgo: number) => new Date(now - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');
    scenarios.healthy(kube, 'store-042', now);
    const c = kube.cluster('store-042');
    // Provider polling off: the controller never re-reads Key Vault, so a newer version stays out.
    c.put(controller({ namespace: 'azure-secret-store', args: ['--rotation-poll-interval=0s'] }));
    c.put(
      providerClass(
        'kv-spc',
        [
          { objectName: 'db-password' },
          { objectName: 'api-key' },
          { objectName: 'signing', objectType: 'key' },
        ],
        { vault: 'kv-store-042' },
      ),
    );
    c.put(secretSync('db-password', { lastSync: iso(5 * HOUR) }));
    c.put(
      secretSync('api-key', {
        lastSync: iso(HOUR),
        conditions: [
          cond('Create', 'True', 'CreateSucceeded'),
          // Failed after the last successful sync (the controller's real order).
          {
            ...cond('Update', 'False', 'ProviderError', 'vault throttled'),
            lastTransitionTime: iso(10 * 60_000),
          },
        ],
      }),
    );
    vault.setSecret({ name: 'db-password', value: PLANTED, created: new Date(now - 3 * HOUR) });
    vault.setSecret({
      name: 'api-key',
      value: PLANTED,
      created: new Date(now - 30 * 24 * HOUR),
      expires: new Date(now + 10 * 24 * HOUR + HOUR),
    });
    for (let i = 0; i < 30; i++)
      vault.setSecret({ name: `unused-${i}`, value: PLANTED, created: new Date(now) });

    const dir = mkdtempSync(join(tmpdir(), 'dpbot-nosecret-'));
    const kubeconfig = join(dir, 'kubeconfig');
    kube.writeKubeconfig(kubeconfig, ['store-042']);
    const config = buildConfig(
      {
        clusters: [
          { name: 'store-042', kubeconfig, context: 'store-042', keyVaults: { 'kv-store-042': vault.url } },
        ],
        keyVault: { verifyChallengeResource: false },
        redis: { prefix: uniquePrefix('nosecret') },
      },
      'test',
    );
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({ token: vault.token, expiresOnTimestamp: now + HOUR }),
    };
    const logStream = new PassThrough();
    logStream.on('data', (b: Buffer) => {
      logs += b.toString();
    });
    stdin = new PassThrough();
    const stdout = new PassThrough();
    stdout.on('data', (b: Buffer) => {
      replies += b.toString();
    });
    bot = await startDpbot({
      config,
      env: { REDIS_URL: redisUrl(), DPBOT_SHELL_USER: 'tester' },
      // Everything, unredacted: a leak must not be hidden by redaction.
      logger: pino({ level: 'trace' }, logStream),
      stdin,
      stdout,
      secretMetadataSource: new KeyVaultMetadataSource({
        credential,
        verifyChallengeResource: false,
        clientOptions: { tlsOptions: { ca: vault.caCert }, retryOptions: { maxRetries: 0 } },
      }),
    });
  });

  afterAll(async () => {
    await bot.stop();
    await vault.close();
    await kube.close();
  });

  it('reports on the secrets in use from metadata alone', async () => {
    stdin.end('/dp status store-042\n');
    await bot.shell!.finished;
    const updated = replies.split('(update of reply #1)')[1] ?? '';
    expect(updated).toMatch(/secret-sync\s+SecretSynced .*pos\/db-password/);
    expect(updated).toMatch(
      /secret-sync\s+SecretSyncFailed .*pos\/api-key failed \(Update: ProviderError — vault throttled\)/,
    );
    expect(updated).toMatch(/secret-freshness\s+SecretSyncStale .*older version of db-password/);
    expect(updated).toMatch(
      /secret-expiry\s+SecretNearExpiry .*api-key in Key Vault kv-store-042 expires in 10 days/,
    );

    // Kubernetes: not one request for core Secrets.
    expect(kube.requests.length).toBeGreaterThan(5);
    expect(kube.requests.filter((r) => CORE_SECRETS.test(r.path))).toEqual([]);
    // Key Vault: the challenge, then listing pages only; never a value.
    expect(vault.valueReads).toEqual([]);
    expect(new Set(vault.requests.map((r) => `${r.method} ${r.path}`))).toEqual(new Set(['GET /secrets']));
    expect(vault.requests.some((r) => r.query.$skiptoken)).toBe(true);
    // The planted value is nowhere.
    expect(logs.length).toBeGreaterThan(0);
    expect(replies).not.toContain(PLANTED);
    expect(logs).not.toContain(PLANTED);
    expect(logs).not.toContain(vault.token);
  });
});
