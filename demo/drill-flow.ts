/**
 * `npm run demo:drill`: a restore drill (DESIGN §10) on a simulated store cluster, two shell identities
 * sharing one Redis. alice (operator) proposes a drill of the latest backup; bob (approver) approves;
 * the simulated Velero controller restores pos and db into scratch namespaces; dpbot verifies PVCs,
 * workloads and Pods, posts the verdict with the recovery time, cleans up, and `/dp status` shows
 * restore-verified. Everything but the cluster (a fake API with a simulated Velero) is the real dpbot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { resolveRedis } from '../adapters/store/redis-connection.js';
import { createLogger } from '../bot/logger.js';
import { type Dpbot, startDpbot } from '../bot/main.js';
import * as b from '../test/fakes/kube-api/builders.js';
import { appNamespace } from '../test/fakes/kube-api/drill-builders.js';
import { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';
import { VeleroSimulator } from '../test/fakes/kube-api/velero-simulator.js';
import { ShellUser } from './shell-user.js';

const CLUSTER = 'store-042';
const BACKUP = 'nightly-20261125020000';

async function main(): Promise<void> {
  const dir = resolve('.dpbot', 'demo-drill');
  mkdirSync(dir, { recursive: true });
  const fake = await FakeKubeApi.start({ latencyMs: 5 });
  const c = fake.cluster(CLUSTER);
  for (const ns of ['velero', 'pos', 'db']) c.put(b.namespace(ns));
  c.put(b.backupStorageLocation());
  c.put(
    b.schedule('nightly', { spec: { template: { includedNamespaces: ['pos', 'db'], ttl: '720h0m0s' } } }),
  );
  c.put(
    b.backup(BACKUP, {
      schedule: 'nightly',
      ageMinutes: 9 * 60,
      spec: { includedNamespaces: ['pos', 'db'] },
    }),
  );
  c.put(b.storageClass('default', 'disk.csi.azure.com'));
  c.put(b.deployment());
  const live = [...appNamespace('pos'), ...appNamespace('db')];
  for (const o of live) c.put(o);
  const velero = new VeleroSimulator(c).backupContents(BACKUP, live).scenario({ stepMs: 1200, warnings: 1 });
  const kubeconfig = resolve(dir, 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, [CLUSTER]);
  const configPath = resolve(dir, 'config.yaml');
  writeFileSync(
    configPath,
    stringify({
      defaults: { approvals: { expiresAfter: '15m' }, drills: { timeout: '5m', maxAge: '90d' } },
      clusters: [
        {
          name: CLUSTER,
          kubeconfig,
          context: CLUSTER,
          access: { viewers: ['*'], operators: ['shell:alice'], approvers: ['shell:alice', 'shell:bob'] },
        },
      ],
    }),
  );
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const redis = await resolveRedis(process.env.REDIS_URL, logger, resolve(dir));
  const env = (user: string) => ({ ...process.env, REDIS_URL: redis.url, DPBOT_SHELL_USER: user, PORT: '' });
  const alice = new ShellUser('alice');
  const bob = new ShellUser('bob');
  const bots: Dpbot[] = [
    await startDpbot({
      configPath,
      logger,
      role: 'all',
      env: env('alice'),
      stdin: alice.input,
      stdout: alice.output,
    }),
    await startDpbot({
      configPath,
      logger,
      role: 'web',
      env: env('bob'),
      stdin: bob.input,
      stdout: bob.output,
    }),
  ];
  try {
    alice.say(`/dp drill ${CLUSTER} --backup latest --namespaces pos,db --reason "quarterly restore drill"`);
    const [, id] = await alice.waitFor(/Approve: \/dp approve ([a-z2-9]{10})/);
    let mark = alice.length;
    bob.say(`/dp approve ${id}`);
    await alice.waitFor(/Drill PASSED[^\n]*/, mark);
    await alice.waitFor(/Cleaned up/, mark);
    mark = bob.length;
    bob.say(`/dp drills ${CLUSTER}`);
    await bob.waitFor(/passed/, mark);
    mark = bob.length;
    const aliceMark = alice.length;
    bob.say(`/dp status ${CLUSTER} --refresh`);
    // bob's instance is a web front only: the worker (alice's process) prints the updated reply.
    await alice.waitFor(/RestoreVerified/, aliceMark);
    const left = c.list('namespaces').map((n) => n.metadata.name);
    process.stdout.write(`\nnamespaces on ${CLUSTER} after the drill: ${left.join(', ')}\n`);
  } finally {
    velero.stop();
    alice.input.end();
    bob.input.end();
    for (const bot of bots) await bot.stop();
    await fake.close();
    await redis.private?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`drill demo: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
