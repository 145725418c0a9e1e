/**
 * Real rendering (vega → SVG → resvg with the bundled font): the PNG decodes, stays within 1000 × 1000 px
 * and 1 MB, and the pixel in the middle of a failing cell has the fail colour.
 */
import { PNG } from 'pngjs';
import { parse, type Scene, View } from 'vega';
import { compile } from 'vega-lite';
import { VegaChartRenderer } from '../../../adapters/charts/vega-renderer.js';
import { backupHistory } from '../../../jobs/charts/backup-history.js';
import { MAX_CHART_BYTES } from '../../../jobs/charts/chart-port.js';
import { fleetHeatmap, MAX_ROWS } from '../../../jobs/charts/fleet-heatmap.js';
import { STATUS_COLOURS } from '../../../jobs/charts/status-colours.js';
import { CHECK_NAMES } from '../../../jobs/checks/finding.js';
import type { Posture } from '../../../jobs/posture.js';
import { nightlyBackups, syntheticFleet } from '../../fixtures/chart-fleet.js';

const now = new Date('2026-12-03T08:00:00Z');
const renderer = new VegaChartRenderer();

function rgbAt(png: PNG, x: number, y: number): string {
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return `#${[0, 1, 2].map((k) => png.data[i + k].toString(16).padStart(2, '0')).join('')}`;
}

interface Cell {
  cx: number;
  cy: number;
  datum: Record<string, string>;
}

/** Centres of the heatmap's rect items in view coordinates, from Vega's own scenegraph. */
async function cellCentres(spec: object): Promise<Cell[]> {
  const view = new View(parse(compile(spec as never).spec), { renderer: 'none' });
  await view.runAsync();
  const [ox, oy] = view.origin();
  const out: Cell[] = [];
  const walk = (scene: Scene, dx: number, dy: number) => {
    for (const item of scene.items as unknown as Array<Record<string, unknown>>) {
      const x = dx + Number(item.x ?? 0);
      const y = dy + Number(item.y ?? 0);
      if (scene.marktype === 'rect' && scene.role === 'mark')
        out.push({
          cx: x + Number(item.width) / 2,
          cy: y + Number(item.height) / 2,
          datum: item.datum as Cell['datum'],
        });
      for (const child of (item.items as Scene[] | undefined) ?? []) walk(child, x, y);
    }
  };
  walk((view.scenegraph() as unknown as { root: Scene }).root, ox, oy);
  view.finalize();
  return out;
}

describe('fleet heatmap PNG', () => {
  it('1,000 clusters: 50 worst rows, within 1000 × 1000 px and 1 MB, failing cells in the fail colour', async () => {
    const { names, postures } = syntheticFleet(1000, now);
    const heatmap = fleetHeatmap(names, postures, now);
    expect(heatmap.shown).toBe(MAX_ROWS);
    expect(heatmap.more).toBe(950);
    const chart = await renderer.render(heatmap.spec);
    const png = PNG.sync.read(chart.png);
    expect([png.width, png.height]).toEqual([chart.width, chart.height]);
    expect(png.width).toBeLessThanOrEqual(1000);
    expect(png.height).toBeLessThanOrEqual(1000);
    expect(chart.png.length).toBeLessThan(MAX_CHART_BYTES);

    const cells = await cellCentres(heatmap.spec);
    // Every known check is a column (a check a fleet does not report is drawn "not checked").
    expect(cells).toHaveLength(MAX_ROWS * CHECK_NAMES.length);
    const fail = cells.find((c) => c.datum.status === 'fail')!;
    const ok = cells.find((c) => c.datum.status === 'ok')!;
    expect(rgbAt(png, fail.cx, fail.cy)).toBe(STATUS_COLOURS.fail);
    expect(rgbAt(png, ok.cx, ok.cy)).toBe(STATUS_COLOURS.ok);
    // The top row is the worst cluster, and every drawn row is at least as bad as any cluster left out.
    expect(heatmap.rows[0].status).toBe('fail');
    expect(heatmap.spec.title).toMatchObject({ text: expect.stringContaining('+950 more') });
  });

  it('a never-scanned cluster is drawn unknown, never ok', async () => {
    const { names, postures } = syntheticFleet(3, now);
    postures.delete(names[1]);
    const heatmap = fleetHeatmap(names, postures, now);
    const row = heatmap.rows.find((r) => r.cluster === names[1])!;
    expect([...row.cells.values()].every((s) => s === 'unknown')).toBe(true);
    const png = PNG.sync.read((await renderer.render(heatmap.spec)).png);
    const cells = await cellCentres(heatmap.spec);
    const cell = cells.find((c) => c.datum.cluster === `${names[1]} (no scan)`)!;
    expect(rgbAt(png, cell.cx, cell.cy)).toBe(STATUS_COLOURS.unknown);
  });
});

describe('backup history PNG', () => {
  it('bars of the last 30 days only, the freshness rule drawn, within limits', async () => {
    const posture: Posture = {
      cluster: 'store-042',
      status: 'fail',
      scannedAt: now.toISOString(),
      durationMs: 1,
      backups: nightlyBackups(now, 40),
      findings: [
        {
          check: 'backup-freshness',
          status: 'fail',
          reason: 'BackupStale',
          message: '',
          resource: 'velero/nightly',
          evidence: { maxAgeMs: 49 * 3_600_000 },
        },
      ],
    };
    const history = backupHistory('store-042', posture, now);
    expect(history.backups).toBe(30);
    expect(history.alt).toContain('freshness limit nightly 2d1h');
    const chart = await renderer.render(history.spec);
    const png = PNG.sync.read(chart.png);
    expect(png.width).toBeLessThanOrEqual(1000);
    expect(png.height).toBeLessThanOrEqual(1000);
    expect(chart.svg).toContain('freshness limit nightly (2d1h)');
    // The rule's dashed colour is somewhere in the picture.
    let rule = 0;
    for (let y = 0; y < png.height; y++)
      for (let x = 0; x < png.width; x++) if (rgbAt(png, x, y) === '#6b0f0f') rule++;
    expect(rule).toBeGreaterThan(100);
  });
});

describe('the bundled font', () => {
  it('a renderer without its font refuses to start instead of drawing pictures without text', () => {
    expect(() => new VegaChartRenderer({ fontFiles: ['/nonexistent/DejaVuSans.ttf'] })).toThrow(
      /chart font missing/,
    );
  });

  it('labels are drawn: text pixels exist in the title area', async () => {
    const { names, postures } = syntheticFleet(2, now);
    const png = PNG.sync.read((await renderer.render(fleetHeatmap(names, postures, now).spec)).png);
    let dark = 0;
    for (let y = 0; y < 24; y++) for (let x = 0; x < 300; x++) if (rgbAt(png, x, y) === '#000000') dark++;
    expect(dark).toBeGreaterThan(50);
  });
});
