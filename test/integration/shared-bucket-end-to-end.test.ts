/**
 * A bucket+prefix shared by two clusters, end to end: shell → scan jobs → client-node against the
 * fake API → BackupTargetsEnricher (wired in bot/main.ts) records each cluster's Velero targets in
 * Redis → backup-location warns BackupLocationShared on both, naming the other; a third cluster
 * with its own storage account stays ok.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { type Dpbot, startDpbot } from '../../bot/main.js';
import { scenarios } from '../../demo/scenarios.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';
import { waitFor } from './alert-harness.js';

describe('a Velero bucket shared by two clusters, end to end', () => {
  let fake: FakeKubeApi;
  let bot: Dpbot;
  let stdin: PassThrough;
  let out = '';

  beforeAll(async () => {
    fake = await FakeKubeApi.start();
    const now = Date.now();
    for (const name of ['store-041', 'store-042', 'store-045']) scenarios.healthy(fake, name, now);
    // store-045 was set up from store-041's values: same storage account, container and (no) prefix.
    const shared = fake.cluster('store-041').list('backupstoragelocations', 'velero')[0];
    fake
      .cluster('store-045')
      .put(b.backupStorageLocation('default', { spec: { ...(shared as { spec: object }).spec } }));
    const dir = mkdtempSync(join(tmpdir(), 'dpbot-shared-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const names = ['store-041', 'store-042', 'store-045'];
    fake.writeKubeconfig(kubeconfig, names);
    const config = buildConfig(
      {
        clusters: names.map((name) => ({ name, kubeconfig, context: name })),
        redis: { prefix: uniquePrefix('shared') },
      },
      'test',
    );
    stdin = new PassThrough();
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
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

  it('warns both sharing clusters, naming each other, and leaves the third ok', async () => {
    stdin.write('/dp status all\n');
    await waitFor('the first scans', async () => out.includes('(update of reply #1)'));
    // Rescan: now each of the two has seen the other's record.
    stdin.end('/dp status all --refresh\n');
    await bot.shell!.finished;
    const last = out.slice(out.lastIndexOf('(update of reply #2)'));
    const block = (name: string) =>
      last.split(/\n(?=\S+ store-)/).find((s) => s.includes(` ${name}: `)) ?? '';
    expect(block('store-041')).toMatch(
      /warn\s+backup-location\s+BackupLocationShared\s+backup location default writes to the same bucket and prefix as cluster\(s\) store-045;/,
    );
    expect(block('store-045')).toMatch(/BackupLocationShared\s+.*as cluster\(s\) store-041;/);
    expect(block('store-042')).toMatch(/ok\s+backup-location\s+BackupLocationAvailable/);
    expect(block('store-042')).not.toMatch(/BackupLocationShared/);
  });
});
