/**
 * Child process: the real dpbot (`startDpbot`, as `tsx bot/cli.ts --role …` would run it), measured on
 * its own. The only stand-ins are the Key Vault credential and CA (the fake vault's token and self-signed
 * certificate); everything else — BullMQ, Redis, client-node, checks, Slack — is the production path.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { KeyVaultMetadataSource } from '../adapters/keyvault/key-vault-metadata-source.js';
import { createLogger } from '../bot/logger.js';
import { type Dpbot, type Role, startDpbot } from '../bot/main.js';
import { lowerWorkerPriority } from '../bot/process-priority.js';
import { serve } from './ipc.js';

const env = process.env;
const role = (env.BENCH_ROLE ?? 'worker') as Role;
let bot: Dpbot | undefined;
let profiler: Session | undefined;
/** GC pauses by kind (ms, count) while profiling. */
let gc: Record<string, { ms: number; count: number }> = {};
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = GC_KINDS[(e as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
    gc[kind] ??= { ms: 0, count: 0 };
    gc[kind].ms += e.duration;
    gc[kind].count++;
  }
});

serve({
  async start(): Promise<{ httpPort?: number }> {
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({
        token: env.BENCH_VAULT_TOKEN ?? '',
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const logger = createLogger(env.LOG_LEVEL ?? 'info');
    lowerWorkerPriority(role, env, logger); // as bot/cli.ts does
    bot = await startDpbot({
      configPath: env.DPBOT_CONFIG,
      role,
      env,
      logger,
      secretMetadataSource: new KeyVaultMetadataSource({
        credential,
        verifyChallengeResource: false,
        clientOptions: { tlsOptions: { ca: env.BENCH_VAULT_CA ?? '' } },
      }),
    });
    return { httpPort: bot.httpPort };
  },
  /** CPU profile of this process (the V8 sampling profiler, as `--cpu-prof`) between start and stop. */
  async profileStart() {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 1000 });
    await profiler.post('Profiler.start');
    // BENCH_ALLOC_PROFILE=1: also where the measured scan allocates, collected objects included (what
    // GC time is spent on), written beside the CPU profile as .heapprofile; bench/alloc-top.ts reads it.
    if (env.BENCH_ALLOC_PROFILE)
      await profiler.post('HeapProfiler.startSampling', {
        samplingInterval: 64 * 1024,
        includeObjectsCollectedByMajorGC: true,
        // `promoted`: only what outlived the young generation (what mark-compacts spend their time on).
        includeObjectsCollectedByMinorGC: env.BENCH_ALLOC_PROFILE !== 'promoted',
      });
    gc = {};
    gcObserver.observe({ entryTypes: ['gc'] });
  },
  /** What stays on the heap between scans (after a full GC, as writeHeapSnapshot does). */
  heapSnapshot: (path) => writeHeapSnapshot(path as string),
  async profileStop(path) {
    const { profile } = await profiler!.post('Profiler.stop');
    writeFileSync(path as string, JSON.stringify(profile));
    if (env.BENCH_ALLOC_PROFILE) {
      const { profile: heap } = await profiler!.post('HeapProfiler.stopSampling');
      writeFileSync(String(path).replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap));
    }
    profiler!.disconnect();
    gcObserver.disconnect();
    return gc;
  },
});

const stop = async () => {
  await bot?.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
