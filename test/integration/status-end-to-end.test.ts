/**
 * The whole foundation path: a shell line → router → BullMQ scan job → client-node against the fake
 * API → checks → posture in Redis → notify job → the same reply updated.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { type Dpbot, startDpbot } from '../../bot/main.js';
import { scenarios } from '../../demo/scenarios.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

describe('/dp status end to end (shell → queue → fake cluster → update)', () => {
  let fake: FakeKubeApi;
  let bot: Dpbot;
  let stdin: PassThrough;
  let out = '';

  beforeAll(async () => {
    fake = await FakeKubeApi.start();
    const now = Date.now();
    scenarios.healthy(fake, 'store-041', now);
    scenarios['stale-backup'](fake, 'store-042', now);
    scenarios.healthy(fake, 'store-044', now);
    fake.setFault({
      cluster: 'store-044',
      pathPrefix: '/apis/velero.io/v1/namespaces/velero/backups',
      status: 403,
    });
    const dir = mkdtempSync(join(tmpdir(), 'dpbot-e2e-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const names = ['store-041', 'store-042', 'store-043', 'store-044'];
    fake.writeKubeconfig(kubeconfig, names, { unreachable: ['store-043'] });
    const config = buildConfig(
      {
        clusters: names.map((name) => ({ name, kubeconfig, context: name })),
        redis: { prefix: uniquePrefix('e2e') },
        // The scenarios' disks are AKS on Azure Local's (disk.csi.akshci.com), encrypted by BitLocker
        // on its host volumes; a healthy cluster also attests it, so the report cites the evidence.
        defaults: {
          encryption: {
            attestedStorageClasses: [
              { name: 'default', evidence: 'BitLocker on the Azure Local CSVs (ticket SEC-1)' },
            ],
          },
        },
      },
      'test',
    );
    stdin = new PassThrough();
    const stdout = new PassThrough();
    stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    bot = await startDpbot({
      config,
      env: { REDIS_URL: redisUrl(), DPBOT_SHELL_USER: 'tester' },
      logger: createLogger('silent'),
      stdin,
      stdout,
    });
  });

  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('answers every piped line, waits for the scans, and reports each scenario with its reason', async () => {
    stdin.end('/dp status all\n/dp backups store-044\n');
    await bot.shell!.finished;
    const [all, backups] = out.split('(update of reply #2)');
    const [first, updated] = all.split('(update of reply #1)');
    expect(first).toContain('store-042: not scanned yet');
    expect(updated).toBeDefined();
    const block = (name: string) =>
      updated.split(/\n(?=\S+ store-)/).find((b) => b.includes(` ${name}: `)) ?? '';
    expect(block('store-041')).toMatch(/BackupFresh/);
    expect(block('store-041')).not.toMatch(/^\s+(❔|❌|⚠️) /m);
    expect(block('store-042')).toMatch(/BackupStale/);
    expect(block('store-042')).toMatch(/BackupLocationUnavailable/);
    // Unreachable: every check unknown, never ok.
    expect(block('store-043')).toMatch(/unknown\s+backup-location\s+ClusterUnreachable/);
    expect(block('store-043')).toMatch(/unknown\s+backup-freshness\s+ClusterUnreachable/);
    expect(block('store-043')).not.toMatch(/✅/);
    // 403 on backups: Forbidden, naming the RBAC rule that is missing.
    expect(block('store-044')).toMatch(
      /unknown\s+backup-freshness\s+Forbidden .*list velero\.io backups in namespace velero/,
    );
    // /dp backups after that scan: the failed read is said, never "No backups found".
    expect(backups).toMatch(/Cannot list store-044's Velero backups \(Forbidden\)/);
    expect(backups).not.toMatch(/No backups/);
  });
});
