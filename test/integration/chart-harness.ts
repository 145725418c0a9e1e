/** The real Router with /dp chart and /dp digest wired to Redis postures, the digest store and the renderer. */
import type { Redis } from 'ioredis';
import { VegaChartRenderer } from '../../adapters/charts/vega-renderer.js';
import { Keys } from '../../adapters/store/keys.js';
import { RedisDigestStore } from '../../adapters/store/redis-digest-store.js';
import { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import { buildConfig, type DpbotConfig } from '../../bot/config.js';
import type { Router } from '../../bot/router.js';
import type { ScanRequests } from '../../handlers/handler.js';
import type { ActionRequests } from '../../jobs/approvals/ports.js';
import { nightlyBackups, syntheticFleet } from '../fixtures/chart-fleet.js';
import { uniquePrefix } from '../support/redis.js';
import { startRouterRig } from '../support/router-rig.js';

const notWired: ActionRequests = new Proxy({} as ActionRequests, {
  get: () => () => Promise.reject(new Error('the chart harness wires no action queue')),
});

export const CHART_NOW = new Date('2026-12-03T08:00:00Z');

export interface ChartHarness {
  router: Router;
  config: DpbotConfig;
  postures: RedisPostureStore;
  digests: RedisDigestStore;
  prefix: string;
  /** Clusters each scan request named (the handler may ask for scans; it never reads a cluster). */
  scanned: string[][];
  close(): Promise<void>;
}

/** `n` synthetic clusters stored as postures; the first has a month of nightly backups. */
export async function startChartHarness(redis: Redis, n = 12, extra: Record<string, unknown> = {}) {
  const prefix = uniquePrefix('charts');
  const keys = new Keys(prefix);
  const { names, postures: fleet } = syntheticFleet(n, CHART_NOW);
  const config = buildConfig(
    { clusters: names.map((name) => ({ name })), redis: { prefix }, ...extra },
    'test',
  );
  const postures = new RedisPostureStore(redis, keys);
  for (const p of fleet.values()) await postures.put(p);
  await postures.put({ ...fleet.get(names[0])!, backups: nightlyBackups(CHART_NOW) });
  const digests = new RedisDigestStore(redis, keys);
  const charts = new VegaChartRenderer();
  const scanned: string[][] = [];
  const scans: ScanRequests = {
    request: async (clusters) => {
      scanned.push(clusters);
    },
  };
  const rig = startRouterRig({
    redis,
    prefix,
    config,
    clock: { now: () => CHART_NOW },
    // Pictures never queue approval work: no action queue here.
    replace: { postures, scans, charts, digests, actions: notWired },
  });
  return {
    router: rig.router,
    config,
    postures,
    digests,
    prefix,
    scanned,
    close: rig.close,
  } satisfies ChartHarness;
}
