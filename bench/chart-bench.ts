/**
 * `npx tsx bench/chart-bench.ts [clusters…]`: the fleet heatmap and the digest for N stored postures —
 * build the spec from the postures, render (vega → SVG → resvg PNG), measure the wall time and PNG size.
 * A cold first render (module warm-up, font loading) is reported apart from the warm median.
 */
import { VegaChartRenderer } from '../adapters/charts/vega-renderer.js';
import { MAX_CHART_BYTES } from '../jobs/charts/chart-port.js';
import { fleetHeatmap } from '../jobs/charts/fleet-heatmap.js';
import { buildDigest } from '../jobs/digest/build-digest.js';
import { syntheticFleet } from '../test/fixtures/chart-fleet.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const now = new Date('2026-12-03T08:00:00Z');
const renderer = new VegaChartRenderer();
const RUNS = 7;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const n of sizes.length ? sizes : [100, 1000, 5000]) {
  const { names, postures } = syntheticFleet(n, now);
  const heat = async () => renderer.render(fleetHeatmap(names, postures, now).spec);
  const [, cold] = await timed(heat);
  const warm: number[] = [];
  let png = 0;
  let dims = '';
  for (let i = 0; i < RUNS; i++) {
    const [chart, ms] = await timed(heat);
    warm.push(ms);
    png = chart.png.length;
    dims = `${chart.width}×${chart.height}`;
  }
  const digest: number[] = [];
  for (let i = 0; i < 3; i++)
    digest.push((await timed(() => buildDigest(renderer, names, postures, now, undefined)))[1]);
  const ok = Math.max(...warm, cold) < 2000 && png < MAX_CHART_BYTES;
  console.log(
    `${String(n).padStart(5)} clusters: heatmap cold ${cold.toFixed(0)} ms, warm median ${median(warm).toFixed(0)} ms (max ${Math.max(...warm).toFixed(0)}), ` +
      `digest median ${median(digest).toFixed(0)} ms, PNG ${(png / 1024).toFixed(1)} KB ${dims} ${ok ? 'OK' : 'OVER TARGET'}`,
  );
}
