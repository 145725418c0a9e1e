/**
 * Crash test (issue 6): the worker is SIGKILLed right after it created the Restore and before it recorded
 * that; a restarted worker picks up the stalled execute job, meets 409 on its own name, carries on, and
 * the card (printed by the worker's shell adapter) shows the final result. Exactly one Restore exists.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildConfig } from '../../bot/config.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { uniquePrefix } from '../support/redis.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { type Harness, startHarness } from './approval-harness.js';

jest.setTimeout(150_000);

let fake: FakeKubeApi;
let h: Harness;
let dir: string;
let configPath: string;
const prefix = uniquePrefix('crash');
const children: ChildProcess[] = [];

function startWorker(crash = false): WorkerProcess {
  const w = startWorkerProcess(configPath, crash);
  children.push(w.child);
  return w;
}

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  dir = mkdtempSync(join(tmpdir(), 'dpbot-crash-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const raw = {
    redis: { prefix },
    defaults: { approvals: { required: 1, expiresAfter: '1h' } },
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
  fake.cluster('store-1').put(b.backupStorageLocation());
  fake.cluster('store-1').put(b.backup('nightly-1', { schedule: 'nightly' }));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? once(c, 'exit') : undefined)),
  );
  await h.close();
  await fake.close();
});

it('after a SIGKILL between create and record, a restarted worker leaves exactly one Restore and finishes the card', async () => {
  const first = startWorker(true);
  const exited = once(first.child, 'exit');
  const { ref } = await h.command('alice', 'restore store-1 --backup nightly-1 --namespaces default');
  await first.printed(`(update of reply #${ref.id})`);
  await first.printed('approval needed');
  const [proposal] = await h.proposals.pending();
  expect(proposal.card.id).toBe(ref.id);

  const approved = await h.click('bob', 'approve', { id: proposal.id, hash: proposal.hash }, ref);
  expect(approved.replaceOriginal).toBe(true);
  const [, signal] = await exited;
  expect(signal).toBe('SIGKILL');
  const restores = () => fake.cluster('store-1').list('restores', 'velero');
  expect(restores().map((r) => r.metadata.name)).toEqual([proposal.action.name]);
  expect(await h.proposals.get(proposal.id)).toMatchObject({ status: 'running' });
  expect((await h.proposals.get(proposal.id))?.created).toBeUndefined();

  fake
    .cluster('store-1')
    .patchStatus(restores()[0], { phase: 'InProgress', progress: { itemsRestored: 5, totalItems: 8 } });
  const second = startWorker();
  // BullMQ hands the stalled job to the new worker once the dead worker's lock has expired (~20 s).
  await second.printed('5/8 items');
  fake.cluster('store-1').patchStatus(restores()[0], {
    phase: 'Completed',
    progress: { itemsRestored: 8, totalItems: 8 },
    errors: 0,
    warnings: 1,
  });
  await second.printed('Completed: 0 errors, 1 warnings, 8/8 items');

  expect(restores()).toHaveLength(1);
  const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/restores'));
  expect(posts.map((p) => p.status)).toEqual([201, 409]);
  expect(await h.proposals.get(proposal.id)).toMatchObject({
    status: 'succeeded',
    outcome: { phase: 'Completed' },
  });
  const events = (await h.audit.latest('store-1', 10)).map((e) => `${e.event}:${e.outcome}`);
  expect(events).toContain('create:already existed (409), carrying on');
});
