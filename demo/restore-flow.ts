/**
 * `npx tsx demo/restore-flow.ts`: a scripted restore with two shell identities sharing one Redis.
 * alice (operator) proposes a restore, tries to approve it herself and is refused; bob (approver)
 * lists pending approvals and approves; a simulated Velero controller moves the Restore to Completed
 * and the card is updated in place; bob reads the audit trail. Everything else is the real dpbot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { resolveRedis } from '../adapters/store/redis-connection.js';
import { createLogger } from '../bot/logger.js';
import { type Dpbot, startDpbot } from '../bot/main.js';
import * as b from '../test/fakes/kube-api/builders.js';
import { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';
import { ShellUser } from './shell-user.js';

const CLUSTER = 'store-042';
const BACKUP = 'nightly-20261125020000';

/** Demo only: plays Velero, moving each new Restore through InProgress to Completed. */
function simulateVelero(fake: FakeKubeApi): NodeJS.Timeout {
  const steps = new Map<string, number>();
  return setInterval(() => {
    for (const r of fake.cluster(CLUSTER).list('restores', 'velero')) {
      const n = (steps.get(r.metadata.name) ?? 0) + 1;
      steps.set(r.metadata.name, n);
      const total = 42;
      if (n < 4)
        fake
          .cluster(CLUSTER)
          .patchStatus(r, { phase: 'InProgress', progress: { itemsRestored: n * 12, totalItems: total } });
      else if (n === 4)
        fake.cluster(CLUSTER).patchStatus(r, {
          phase: 'Completed',
          progress: { itemsRestored: total, totalItems: total },
          errors: 0,
          warnings: 1,
        });
    }
  }, 1500);
}

async function main(): Promise<void> {
  const dir = resolve('.dpbot', 'demo-restore');
  mkdirSync(dir, { recursive: true });
  const fake = await FakeKubeApi.start({ latencyMs: 5 });
  const c = fake.cluster(CLUSTER);
  c.put(b.namespace('velero'));
  c.put(b.namespace('pos'));
  c.put(b.backupStorageLocation());
  c.put(
    b.schedule('nightly', { spec: { template: { includedNamespaces: ['pos', 'db'], ttl: '720h0m0s' } } }),
  );
  c.put(
    b.backup(BACKUP, {
      schedule: 'nightly',
      ageMinutes: 9 * 60,
      spec: { includedNamespaces: ['pos', 'db'] },
      status: { warnings: 2 },
    }),
  );
  const kubeconfig = resolve(dir, 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, [CLUSTER]);
  const configPath = resolve(dir, 'config.yaml');
  writeFileSync(
    configPath,
    stringify({
      defaults: { approvals: { required: 1, expiresAfter: '15m' } },
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
  // One Redis for both identities (a private one unless REDIS_URL is set).
  const redis = await resolveRedis(process.env.REDIS_URL, logger, resolve(dir));
  const env = (user: string) => ({ ...process.env, REDIS_URL: redis.url, DPBOT_SHELL_USER: user, PORT: '' });
  const alice = new ShellUser('alice');
  const bob = new ShellUser('bob');
  const bots: Dpbot[] = [
    // alice's instance also runs the workers; bob's is a chat front only (role web), like a second replica.
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
  const velero = simulateVelero(fake);
  try {
    alice.say(
      `/dp restore ${CLUSTER} --backup ${BACKUP} --namespaces pos --map pos:pos-restored --existing update --reason "POS DB corrupted after upgrade"`,
    );
    const [, id] = await alice.waitFor(/Approve: \/dp approve ([a-z2-9]{10})/);
    let mark = alice.length;
    alice.say(`/dp approve ${id}`);
    await alice.waitFor(/second person must approve/, mark);
    bob.say('/dp approvals');
    await bob.waitFor(new RegExp(id));
    mark = alice.length;
    bob.say(`/dp approve ${id}`);
    await alice.waitFor(/Completed: 0 errors, 1 warnings/, mark);
    mark = bob.length;
    bob.say(`/dp audit ${CLUSTER} --limit 10`);
    await bob.waitFor(/outcome/, mark);
  } finally {
    clearInterval(velero);
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
    process.stderr.write(`restore demo: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
