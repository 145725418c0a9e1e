/**
 * `npm run bench [-- --sizes 100,300,1000 --latency 20 --slash 200 --kubectl-clusters 50]`
 * Full fleet scans through the real path (BullMQ on a private redis-server, client-node over HTTPS to
 * the fake API, checks, posture in Redis), chat latency during the largest scan, and a kubectl loop
 * baseline. Prints Markdown and writes bench/results.json. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRedisServer } from '../adapters/store/redis-launcher.js';
import { type FleetRunResult, fleetRun, type PassResult } from './fleet-run.js';
import { findKubectl, type KubectlResult, kubectlBaseline } from './kubectl-run.js';
import { fmt, percentile, table } from './stats.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,300,1000' },
    latency: { type: 'string', default: '20' },
    'metrics-kb': { type: 'string', default: '0' },
    slash: { type: 'string', default: '200' },
    'slash-concurrency': { type: 'string', default: '50' },
    'kubectl-clusters': { type: 'string', default: '50' },
    kubectl: { type: 'string' },
    out: { type: 'string', default: 'bench/results/latest.json' },
    'node-args': { type: 'string', default: '' },
    /** Worker processes sharing the bench Redis (the scaling of DESIGN §5's replicas). */
    workers: { type: 'string', default: '1' },
    'web-node-args': { type: 'string', default: '' },
    /** Run the TypeScript through tsx instead of compiling it first (tsx adds ~100 MB of RSS). */
    tsx: { type: 'boolean', default: false },
    /** The size that also gets the chat pass; default: the largest size up to 1,000 (`0`: none). */
    'slash-at': { type: 'string' },
    /** Write a CPU profile of the worker's measured scan per size: `DIR/worker-<N>.cpuprofile`. */
    profile: { type: 'string' },
    /** Write a heap snapshot of the worker after its measured scan per size: `DIR/worker-<N>.heapsnapshot`. */
    'heap-snapshot': { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const latencyMs = Number(values.latency);
const kubectlClusters = Number(values['kubectl-clusters']);
const slashAt = Number(values['slash-at'] ?? Math.max(0, ...sizes.filter((n) => n <= 1000)));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dpbot-bench-'));
  const entries = values.tsx ? { dir: 'bench', ext: '.ts' as const } : compile();
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
    freeGb: +(freemem() / 2 ** 30).toFixed(1),
    node: process.version,
    loadBefore: loadavg().map((l) => +l.toFixed(2)),
  };
  process.stderr.write(`bench: ${JSON.stringify(machine)}; logs in ${dir}\n`);
  const runs: FleetRunResult[] = [];
  let kubectl: KubectlResult | undefined;
  if (values.profile) mkdirSync(values.profile, { recursive: true });
  if (values['heap-snapshot']) mkdirSync(values['heap-snapshot'], { recursive: true });
  for (const n of sizes) {
    // A Redis of its own per size, so its memory (INFO memory) is this size's.
    mkdirSync(join(dir, `redis-${n}`));
    const redis = await startRedisServer(join(dir, `redis-${n}`));
    try {
      const wantKubectl = !kubectl && kubectlClusters > 0 && n >= kubectlClusters;
      process.stderr.write(`bench: ${n} clusters…\n`);
      const r = await fleetRun({
        clusters: n,
        latencyMs,
        metricsKb: Number(values['metrics-kb']),
        redisUrl: redis.url,
        dir,
        nodeArgs: values['node-args'].split(' ').filter(Boolean),
        workers: Number(values.workers),
        webNodeArgs: values['web-node-args'].split(' ').filter(Boolean),
        entries,
        profile: values.profile ? join(values.profile, `worker-${n}.cpuprofile`) : undefined,
        heapSnapshot: values['heap-snapshot']
          ? join(values['heap-snapshot'], `worker-${n}.heapsnapshot`)
          : undefined,
        slash:
          n === slashAt && Number(values.slash) > 0
            ? { count: Number(values.slash), concurrency: Number(values['slash-concurrency']) }
            : undefined,
        whileFakeUp: wantKubectl
          ? async (kubeconfig, names) => {
              process.stderr.write(`bench: kubectl loop over ${kubectlClusters} clusters…\n`);
              kubectl = await kubectlBaseline(
                kubeconfig,
                names.slice(0, kubectlClusters),
                findKubectl(values.kubectl),
              );
            }
          : undefined,
      });
      runs.push(r);
      process.stderr.write(`bench: ${n} clusters in ${fmt(r.wallMs / 1000, 1)} s\n`);
    } finally {
      await redis.stop();
    }
  }
  const report = render(runs, kubectl, { ...machine, loadAfter: loadavg().map((l) => +l.toFixed(2)) });
  process.stdout.write(`${report}\n`);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(
    values.out,
    `${JSON.stringify({ machine, latencyMs, runs: runs.map(forJson), kubectl }, null, 2)}\n`,
  );
}

const requestTotal = (counts: Record<string, number>, which: (k: string) => boolean = () => true) =>
  Object.entries(counts).reduce((sum, [k, v]) => sum + (which(k) ? v : 0), 0);

const percentiles = (scanMs: number[]) => ({
  scanP50: percentile(scanMs, 50),
  scanP99: percentile(scanMs, 99),
});

/** results.json: per-job durations as percentiles, the slash result without its function. */
function forJson({ scanMs, withChat, ...r }: FleetRunResult) {
  return { ...r, ...percentiles(scanMs), withChat: withChat && chatForJson(withChat) };
}

function chatForJson({ scanMs, slash, ...r }: NonNullable<FleetRunResult['withChat']>) {
  return { ...r, ...percentiles(scanMs), slash: { ...slash, waitFresh: undefined } };
}

/** dpbot runs compiled in production (Dockerfile: `node dist/bot/cli.js`), so it is measured that way. */
function compile(): { dir: string; ext: '.js' } {
  process.stderr.write('bench: compiling (tsc -p bench/tsconfig.json)…\n');
  // Type errors in files being edited elsewhere do not stop the emit; a missing entry does.
  spawnSync('npx', ['tsc', '-p', 'bench/tsconfig.json'], { stdio: 'ignore' });
  const dir = '.dpbot/bench-dist/bench';
  if (!existsSync(join(dir, 'dpbot-process.js'))) throw new Error('tsc emitted no bench/dpbot-process.js');
  // As the Dockerfile does (`COPY assets ./dist/assets`): the chart renderer loads its fonts from there.
  cpSync('assets', '.dpbot/bench-dist/assets', { recursive: true });
  return { dir, ext: '.js' };
}

function render(runs: FleetRunResult[], kubectl: KubectlResult | undefined, machine: object): string {
  const base = runs[0];
  const row = (
    label: string,
    clusters: number,
    r: PassResult,
    idle: string,
    startup: string,
    errors: string,
    redisMb = '',
  ) => [
    label,
    fmt(r.wallMs / 1000, 1),
    fmt(clusters / (r.wallMs / 1000), 1),
    fmt(percentile(r.scanMs, 50)),
    fmt(percentile(r.scanMs, 99)),
    fmt(r.cpuMs / clusters, 1),
    fmt(r.fakePassCpuMs / clusters, 1),
    fmt(r.peakRssMb),
    idle,
    redisMb,
    fmt(requestTotal(r.requests) / clusters, 1),
    fmt(requestTotal(r.requests, (k) => k.endsWith(' rv=0')) / clusters, 1),
    `${fmt(r.wallMs / base.wallMs, 2)}× for ${fmt(clusters / base.clusters, 1)}×`,
    startup,
    errors,
  ];
  const rows = runs.flatMap((r) => [
    row(
      r.workers > 1 ? `${r.clusters} (${r.workers} workers)` : String(r.clusters),
      r.clusters,
      r,
      fmt(r.idleRssMb),
      fmt(r.startupMs / 1000, 1),
      String(r.errors),
      `${fmt(r.redisUsedMb, 1)} (peak ${fmt(r.redisPeakMb, 1)})`,
    ),
    ...(r.withChat
      ? [row(`${r.clusters} + ${r.withChat.slash.sent} /dp status`, r.clusters, r.withChat, '', '', '')]
      : []),
  ]);
  const out = [
    `Machine: ${JSON.stringify(machine)}; API latency ${latencyMs} ms per request`,
    '',
    table(
      [
        'clusters',
        'wall s',
        'clusters/s',
        'scan p50 ms',
        'scan p99 ms',
        'CPU ms/cluster',
        'fake API CPU ms/cluster',
        'peak RSS MB',
        'RSS before scans MB',
        'Redis used MB',
        'API requests/cluster',
        'of which rv=0',
        `time vs ${base.clusters}`,
        'startup scan s',
        'failed jobs',
      ],
      rows,
    ),
  ];
  const last = runs[runs.length - 1];
  out.push(
    '',
    `API requests per cluster in the measured scan of ${last.clusters} (fake API server's count):`,
    '',
    table(
      ['request', 'per cluster'],
      Object.entries(last.requests)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [`\`${k}\``, fmt(v / last.clusters, 2)]),
    ),
  );
  const s = runs.find((r) => r.withChat)?.withChat?.slash;
  if (s)
    out.push(
      '',
      table(
        [
          'slash commands',
          'failed',
          'ack p50 ms',
          'ack p99 ms',
          'ack p99 first burst ms',
          'ack p99 later ms',
          'answer p50 ms',
          'answer p99 ms',
          'fresh updates',
          'fresh p50 ms',
          'fresh p99 ms',
        ],
        [
          [
            String(s.sent),
            String(s.failed),
            fmt(percentile(s.ackMs, 50)),
            fmt(percentile(s.ackMs, 99)),
            fmt(percentile(s.firstAckMs, 99)),
            fmt(percentile(s.laterAckMs, 99)),
            fmt(percentile(s.answerMs, 50)),
            fmt(percentile(s.answerMs, 99)),
            String(s.freshMs.length),
            fmt(percentile(s.freshMs, 50)),
            fmt(percentile(s.freshMs, 99)),
          ],
        ],
      ),
    );
  if (kubectl) {
    const ratios = runs.map(
      (r) => `${fmt(kubectl!.perClusterMs / (r.wallMs / r.clusters), 0)}× at ${r.clusters}`,
    );
    out.push(
      '',
      `kubectl loop (${kubectl.version}): ${kubectl.clusters} clusters in ${fmt(kubectl.wallMs / 1000, 1)} s = ${fmt(kubectl.perClusterMs)} ms per cluster; dpbot is ${ratios.join(', ')}`,
    );
  }
  return out.join('\n');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
