/**
 * Golden SVGs of the two pictures on fixed data: the layout, colours, labels and counts as Vega drew
 * them. `npm run test:update-golden` (UPDATE_GOLDEN=1) rewrites them; look at the PNGs when you do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VegaChartRenderer } from '../../../adapters/charts/vega-renderer.js';
import { backupHistory } from '../../../jobs/charts/backup-history.js';
import type { ChartSpec } from '../../../jobs/charts/chart-port.js';
import { fleetHeatmap } from '../../../jobs/charts/fleet-heatmap.js';
import { nightlyBackups, syntheticFleet } from '../../fixtures/chart-fleet.js';

const now = new Date('2026-12-03T08:00:00Z');
const renderer = new VegaChartRenderer();

function specs(): Record<string, ChartSpec> {
  const { names, postures } = syntheticFleet(80, now);
  postures.delete(names[3]);
  const posture = {
    ...postures.get(names[0])!,
    backups: nightlyBackups(now),
    findings: [
      {
        check: 'backup-freshness' as const,
        status: 'fail' as const,
        reason: 'BackupStale' as const,
        message: '',
        resource: 'velero/nightly',
        evidence: { maxAgeMs: 49 * 3_600_000 },
      },
    ],
  };
  return {
    'fleet-heatmap': fleetHeatmap(names, postures, now).spec,
    'backup-history': backupHistory(names[0], posture, now).spec,
  };
}

describe('chart golden SVGs', () => {
  test.each(Object.entries(specs()))('%s matches its golden SVG', async (name, spec) => {
    const { svg, png } = await renderer.render(spec);
    const file = join(__dirname, `${name}.svg`);
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(file, `${svg}\n`);
      writeFileSync(join(__dirname, `${name}.png`), png);
    }
    expect(`${svg}\n`).toBe(readFileSync(file, 'utf8'));
  });
});
