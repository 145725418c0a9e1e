/**
 * One fleet size: the fake (own process) serving N clusters, a worker-role dpbot (own process) that
 * scans them through BullMQ, and — when asked — a web-role dpbot taking slash commands meanwhile.
 * Pass 1 is the startup scan the job schedulers fire when the worker starts (cold: new clients, TLS
 * handshakes); pass 2 enqueues N scan jobs into the running worker and is the one the scaling compares;
 * pass 3 (when slash commands are asked for) scans the fleet again while the web role takes them.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import type { ScanResult } from '../jobs/scan-job.js';
import { FakeSlackApi } from '../test/fakes/slack-api/fake-slack-api.js';
import type { FakeReady } from './fake-process.js';
import { VAULTS } from './fleet.js';
import { Child, type Usage } from './ipc.js';
import { type SlashResult, slashLoad } from './slash-load.js';

export interface FleetRunOptions {
  clusters: number;
  latencyMs: number;
  metricsKb: number;
  redisUrl: string;
  dir: string;
  /** Worker processes on the one Redis. @defaultValue 1 */
  workers?: number;
  /** Node flags of the worker process (e.g. `--max-old-space-size=…`). */
  nodeArgs?: string[];
  /** Node flags of the web process (the worker's heap limits are for scans, not for chat). */
  webNodeArgs?: string[];
  /** Where the entries are: compiled JS (`.dpbot/bench-dist/bench`) or `bench` with tsx. */
  entries: { dir: string; ext: '.js' | '.ts' };
  slash?: { count: number; concurrency: number };
  /** Write a CPU profile of the worker during the measured scan to this file (`.cpuprofile`). */
  profile?: string;
  /** Write a V8 heap snapshot of the worker after the measured scan to this file (`.heapsnapshot`). */
  heapSnapshot?: string;
  /** Runs against the live fake before it stops (the kubectl baseline). */
  whileFakeUp?: (kubeconfig: string, names: string[]) => Promise<void>;
}

/** One full scan of the fleet, enqueued into the running worker. */
export interface PassResult {
  wallMs: number;
  /** Per-job `durationMs`. */
  scanMs: number[];
  /** Worker CPU (user + system) during the pass. */
  cpuMs: number;
  /** The fake API server's and fake Key Vault's CPU during the pass (they share the machine's cores). */
  fakePassCpuMs: number;
  peakRssMb: number;
  /** API requests the fake answered during the pass, by `METHOD path` (` rv=0`: asked for the watch cache). */
  requests: Record<string, number>;
  /** GC pauses of the worker by kind, when profiled. */
  gc?: Record<string, { ms: number; count: number }>;
  /** Worker RSS and V8 heap in use when the pass finished. */
  endRssMb: number;
  endHeapMb: number;
}

/** The measured scan (nothing else running) and, when asked, another scan with the chat load. */
export interface FleetRunResult extends PassResult {
  clusters: number;
  workers: number;
  objectsPerCluster: number;
  startupMs: number;
  /** Worker RSS with every module loaded, before `startDpbot`. */
  idleRssMb: number;
  fakeCpuMs: number;
  tlsConnections: number;
  errors: number;
  /** The bench Redis after the measured pass: INFO memory `used_memory` and `used_memory_peak`, MB. */
  redisUsedMb: number;
  redisPeakMb: number;
  /** Keys in the bench Redis after the measured pass. */
  redisKeys: number;
  withChat?: PassResult & { slash: SlashResult };
}

async function redisMemory(r: Redis): Promise<{ usedMb: number; peakMb: number; keys: number }> {
  const info = await r.info('memory');
  const field = (k: string) => Number(new RegExp(`^${k}:(\\d+)`, 'm').exec(info)?.[1] ?? 0) / 1048576;
  return { usedMb: field('used_memory'), peakMb: field('used_memory_peak'), keys: await r.dbsize() };
}

/** Polls a readiness endpoint (node:http, as the kubelet's probe: one GET, no keep-alive) until 200. */
async function untilReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await new Promise<number>((resolve) =>
      get(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', () => resolve(0)),
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms (last ${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const SIGNING_SECRET = 'bench-signing-secret';
const entry = (o: FleetRunOptions, name: string) => join(o.entries.dir, `${name}${o.entries.ext}`);

export async function fleetRun(o: FleetRunOptions): Promise<FleetRunResult> {
  const log = createWriteStream(join(o.dir, `dpbot-${o.clusters}.log`));
  const kubeconfig = join(o.dir, `kubeconfig-${o.clusters}`);
  const fake = Child.start(entry(o, 'fake-process'), process.env, log);
  const ready = await fake.request<FakeReady>('start', {
    clusters: o.clusters,
    latencyMs: o.latencyMs,
    metricsKb: o.metricsKb,
    kubeconfig,
  });
  const prefix = `bench-${o.clusters}-${randomBytes(3).toString('hex')}`;
  const configPath = join(o.dir, `config-${o.clusters}.yaml`);
  const keyVaults = Object.fromEntries(VAULTS.map((v) => [v, ready.vaultUrl]));
  writeFileSync(
    configPath,
    stringify(
      {
        defaults: { scanInterval: '1h' },
        keyVault: { verifyChallengeResource: false },
        redis: { prefix },
        clusters: ready.names.map((name) => ({ name, kubeconfig, context: name, keyVaults })),
      },
      { aliasDuplicateObjects: false },
    ),
  );
  const slack = new FakeSlackApi();
  await slack.start();
  const env = {
    ...process.env,
    REDIS_URL: o.redisUrl,
    DPBOT_CONFIG: configPath,
    BENCH_VAULT_TOKEN: ready.vaultToken,
    BENCH_VAULT_CA: ready.vaultCaCert,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };

  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('scan', { connection, prefix });
  const events = new QueueEvents('scan', { connection: { url: o.redisUrl }, prefix });
  await events.waitUntilReady();
  const done = new Map<string, ScanResult>();
  const startupDone = new Set<string>();
  let errors = 0;
  let onDone = () => {};
  events.on('completed', ({ jobId, returnvalue }) => {
    const r = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as ScanResult;
    if (jobId.startsWith('bench-')) done.set(jobId, r);
    else startupDone.add(r.cluster);
    onDone();
  });
  events.on('failed', () => {
    errors++;
  });
  let died: ((err: Error) => void) | undefined;
  const until = (pred: () => boolean) =>
    new Promise<void>((ok, fail) => {
      died = fail;
      onDone = () => pred() && ok();
      onDone();
    });

  const spawned = performance.now();
  const workers = Array.from({ length: o.workers ?? 1 }, () =>
    Child.start(entry(o, 'dpbot-process'), { ...env, BENCH_ROLE: 'worker' }, log, o.nodeArgs),
  );
  // The first worker is the one profiled and snapshotted; CPU is summed over all, RSS is the largest.
  const worker = workers[0];
  for (const w of workers)
    w.proc.on('exit', (code) => died?.(new Error(`a dpbot worker exited (${code}); see the log`)));
  const idle = await worker.request<Usage>('usage');
  await Promise.all(workers.map((w) => w.request('start')));
  const usageOfAll = async (): Promise<Usage> => {
    const all = await Promise.all(workers.map((w) => w.request<Usage>('usage')));
    const max = (k: keyof Usage) => Math.max(...all.map((u) => u[k]));
    return {
      cpuMs: all.reduce((sum, u) => sum + u.cpuMs, 0),
      peakRssMb: max('peakRssMb'),
      rssMb: max('rssMb'),
      heapUsedMb: max('heapUsedMb'),
    };
  };
  await until(() => startupDone.size >= o.clusters);
  const startupMs = performance.now() - spawned;

  /** One full fleet scan enqueued into the running worker; `during` runs once the first job is done. */
  const pass = async (tag: string, during?: () => Promise<void>): Promise<PassResult> => {
    done.clear();
    await fake.request('requests'); // counts from here
    const profiled = tag === 'scan' && o.profile;
    if (profiled) await worker.request('profileStart');
    const before = await usageOfAll();
    const fakeBefore = await fake.request<Usage>('usage');
    const started = performance.now();
    await queue.addBulk(
      ready.names.map((cluster) => ({
        name: 'scan',
        data: { cluster, trigger: 'schedule' as const },
        opts: { jobId: `bench-${tag}-${cluster}` },
      })),
    );
    if (during) {
      await until(() => done.size > 0);
      await during();
    }
    await until(() => done.size >= o.clusters);
    const wallMs = performance.now() - started;
    const after = await usageOfAll();
    const fakeAfter = await fake.request<Usage>('usage');
    const gc = profiled ? await worker.request<PassResult['gc']>('profileStop', o.profile) : undefined;
    return {
      requests: await fake.request<Record<string, number>>('requests'),
      gc,
      wallMs,
      scanMs: [...done.values()].map((r) => r.durationMs),
      cpuMs: after.cpuMs - before.cpuMs,
      fakePassCpuMs: fakeAfter.cpuMs - fakeBefore.cpuMs,
      peakRssMb: after.peakRssMb,
      endRssMb: after.rssMb,
      endHeapMb: after.heapUsedMb,
    };
  };

  // The measured scan: nothing else runs, so sizes compare like with like.
  const measured = await pass('scan');
  const redisMem = await redisMemory(connection);
  if (o.heapSnapshot) await worker.request('heapSnapshot', o.heapSnapshot);

  // Chat during another full scan of the fleet: the web role takes the slash commands, whose re-scans
  // (command scans, LIFO) land on the same worker.
  let web: Child | undefined;
  let sender: Child | undefined;
  let withChat: (PassResult & { slash: SlashResult }) | undefined;
  if (o.slash) {
    sender = Child.start(entry(o, 'slash-process'), process.env, log);
    web = Child.start(
      entry(o, 'dpbot-process'),
      { ...env, BENCH_ROLE: 'web', PORT: '0' },
      log,
      o.webNodeArgs,
    );
    const webPort = (await web.request<{ httpPort: number }>('start')).httpPort;
    // As in deploy/base/deployment-web.yaml: the Service sends traffic once the readiness probe passes.
    await untilReady(`http://127.0.0.1:${webPort}/readyz`);
    let slash: SlashResult | undefined;
    const r = await pass('chat', async () => {
      slash = await slashLoad(sender!, slack, {
        url: `http://127.0.0.1:${webPort}/slack/events`,
        secret: SIGNING_SECRET,
        responseBase: slack.responseUrl(''),
        clusters: ready.names,
        ...o.slash!,
      });
    });
    await slash!.waitFresh(30_000);
    withChat = { ...r, slash: slash! };
  }
  const fakeUsage = await fake.request<Usage>('usage');
  const tlsConnections = await fake.request<number>('tls');
  await o.whileFakeUp?.(kubeconfig, ready.names);

  await sender?.stop();
  await web?.stop();
  await Promise.all(workers.map((w) => w.stop()));
  await events.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await connection.quit();
  await fake.stop();
  await slack.stop();
  log.end();
  return {
    clusters: o.clusters,
    workers: workers.length,
    objectsPerCluster: ready.objectsPerCluster,
    startupMs,
    ...measured,
    idleRssMb: idle.rssMb,
    fakeCpuMs: fakeUsage.cpuMs,
    tlsConnections,
    errors,
    redisUsedMb: redisMem.usedMb,
    redisPeakMb: redisMem.peakMb,
    redisKeys: redisMem.keys,
    withChat,
  };
}
