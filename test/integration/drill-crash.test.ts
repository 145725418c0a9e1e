/**
 * Drill crash test (DESIGN §10): the worker is SIGKILLed mid-drill, right after it created the drill's
 * Restore and before it recorded that; a restarted worker picks up the stalled execute job, meets 409 on
 * its own Restore, verifies, cleans up and prints the verdict card. There is never a second Restore.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildConfig } from '../../bot/config.js';
import * as b from '../fakes/kube-api/builders.js';
import { appNamespace } from '../fakes/kube-api/drill-builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { VeleroSimulator } from '../fakes/kube-api/velero-simulator.js';
import { uniquePrefix } from '../support/redis.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { type Harness, startHarness } from './approval-harness.js';

jest.setTimeout(150_000);

let fake: FakeKubeApi;
let h: Harness;
let dir: string;
let configPath: string;
const prefix = uniquePrefix('drill-crash');
let velero: VeleroSimulator;
const children: ChildProcess[] = [];

function startWorker(crash = false): WorkerProcess {
  const w = startWorkerProcess(configPath, crash);
  children.push(w.child);
  return w;
}

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  dir = mkdtempSync(join(tmpdir(), 'dpbot-drill-crash-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const raw = {
    redis: { prefix },
    defaults: { approvals: { required: 1, expiresAfter: '1h' }, drills: { timeout: '30s' } },
    clusters: [
      {
        name: 'store-1',
        kubeconfig,
        context: 'store-1',
        access: { viewers: ['*'], operators: ['shell:alice'], approvers: ['shell:bob'] },
      },
    ],
  };
  configPath = join(dir, 'dpbot.yaml');
  writeFileSync(configPath, stringify(raw));
  h = await startHarness(buildConfig(raw, configPath), { fake, prefix, workers: false, kubeconfig });
  const c = fake.cluster('store-1');
  c.put(b.backupStorageLocation());
  // `latest` is a backup of one of the cluster's schedules (DESIGN §10): the Schedule exists.
  c.put(b.schedule('nightly', { spec: { template: { includedNamespaces: ['pos'] } } }));
  c.put(b.backup('nightly-1', { schedule: 'nightly', spec: { includedNamespaces: ['pos'] } }));
  c.put(b.namespace('pos'));
  for (const o of appNamespace('pos')) c.put(o);
  // Slow enough that the Restore is still running while the first worker dies.
  velero = new VeleroSimulator(c).backupContents('nightly-1', appNamespace('pos')).scenario({ stepMs: 300 });
});

afterAll(async () => {
  velero.stop();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : undefined)),
  );
  await h.close();
  await fake.close();
});

it('after a SIGKILL between creating the Restore and recording it, a restarted worker finishes the drill with one Restore', async () => {
  const first = startWorker(true);
  const exited = once(first.child, 'exit');
  const { ref } = await h.command('alice', 'drill store-1 --backup latest');
  await first.printed(`(update of reply #${ref.id})`);
  await first.printed('approval needed');
  const [proposal] = await h.proposals.pending();
  expect(proposal.kind).toBe('drill');

  await h.click('bob', 'approve', { id: proposal.id, hash: proposal.hash }, ref);
  const [, signal] = await exited;
  expect(signal).toBe('SIGKILL');
  const restores = () => fake.cluster('store-1').list('restores', 'velero');
  expect(restores().map((r) => r.metadata.name)).toEqual([`dp-drill-${proposal.id}`]);
  expect((await h.proposals.get(proposal.id))?.created).toBeUndefined();
  expect((await h.drills.get(proposal.id))?.stage).toBe('restoring');

  const second = startWorker();
  // BullMQ hands the stalled job to the new worker once the dead worker's lock has expired (~20 s).
  await second.printed('Drill PASSED');
  await second.printed('Cleaned up');

  const posts = fake.requests.filter((r) => r.method === 'POST');
  expect(posts.map((p) => `${p.path} ${p.status}`)).toEqual([
    '/api/v1/namespaces 201',
    '/apis/velero.io/v1/namespaces/velero/restores 201',
    '/apis/velero.io/v1/namespaces/velero/restores 409',
  ]);
  expect(velero.handled).toEqual([`dp-drill-${proposal.id}`]);
  expect(restores()).toEqual([]);
  expect(
    fake
      .cluster('store-1')
      .list('namespaces')
      .map((n) => n.metadata.name),
  ).toEqual(['pos']);
  expect(await h.drills.get(proposal.id)).toMatchObject({
    verdict: 'passed',
    cleanup: 'done',
    stage: 'done',
  });
  const events = (await h.audit.latest('store-1', 20)).map((e) => `${e.event}:${e.outcome}`);
  expect(events).toContain('create:Restore already existed (409), carrying on');
});
