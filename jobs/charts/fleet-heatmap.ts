/**
 * `/dp chart all` (DESIGN §11): clusters × checks, coloured by status, worst clusters on top. Beyond
 * MAX_ROWS only the worst are drawn and the title counts the rest. Built from stored postures only.
 */
import { CHECK_NAMES, compareSeverity, type Status } from '../checks/finding.js';
import type { Posture } from '../posture.js';
import { CHART_FONT, type ChartSpec } from './chart-port.js';
import { CELL_LABELS, CELL_ORDER, type CellStatus, STATUS_COLOURS } from './status-colours.js';

export const MAX_ROWS = 50;

export interface FleetRow {
  cluster: string;
  status: Status;
  cells: Map<string, CellStatus>;
  scanned: boolean;
}

export interface FleetHeatmap {
  spec: ChartSpec;
  /** Every cluster, worst first (the digest reuses the order). */
  rows: FleetRow[];
  shown: number;
  more: number;
  counts: Record<Status, number>;
  alt: string;
}

/** Checks as columns: the known ones in their usual order, then any other check a posture carries. */
export function checkColumns(postures: Iterable<Posture>): string[] {
  const known: string[] = [...CHECK_NAMES];
  const extra = new Set<string>();
  for (const p of postures) for (const f of p.findings) if (!known.includes(f.check)) extra.add(f.check);
  return [...known, ...[...extra].sort()];
}

export function fleetRows(names: string[], postures: Map<string, Posture>, columns: string[]): FleetRow[] {
  const rows = names.map((cluster): FleetRow => {
    const p = postures.get(cluster);
    const cells = new Map<string, CellStatus>();
    for (const c of columns) cells.set(c, p ? 'none' : 'unknown');
    for (const f of p?.findings ?? []) {
      const cur = cells.get(f.check);
      if (cur === 'none' || cur === undefined || compareSeverity(f.status, cur) > 0)
        cells.set(f.check, f.status);
    }
    return { cluster, status: p?.status ?? 'unknown', cells, scanned: Boolean(p) };
  });
  return rows.sort(worstFirst);
}

function tally(row: FleetRow, s: Status): number {
  let n = 0;
  for (const c of row.cells.values()) if (c === s) n++;
  return n;
}

function worstFirst(a: FleetRow, b: FleetRow): number {
  return (
    compareSeverity(b.status, a.status) ||
    tally(b, 'fail') - tally(a, 'fail') ||
    tally(b, 'warn') - tally(a, 'warn') ||
    tally(b, 'unknown') - tally(a, 'unknown') ||
    a.cluster.localeCompare(b.cluster)
  );
}

export function fleetHeatmap(names: string[], postures: Map<string, Posture>, now: Date): FleetHeatmap {
  const columns = checkColumns(postures.values());
  const rows = fleetRows(names, postures, columns);
  const shownRows = rows.slice(0, MAX_ROWS);
  const more = rows.length - shownRows.length;
  const counts: Record<Status, number> = { fail: 0, warn: 0, unknown: 0, ok: 0 };
  for (const r of rows) counts[r.status]++;
  const values = shownRows.flatMap((r) =>
    columns.map((check) => {
      const status = r.cells.get(check) ?? 'none';
      return {
        cluster: r.scanned ? r.cluster : `${r.cluster} (no scan)`,
        check,
        status: CELL_LABELS[status],
      };
    }),
  );
  const cell = Math.max(12, Math.min(24, Math.floor(720 / Math.max(1, shownRows.length))));
  const colWidth = Math.max(36, Math.min(60, Math.floor(640 / columns.length)));
  const countLine = (['fail', 'warn', 'unknown', 'ok'] as const).map((s) => `${s} ${counts[s]}`).join(' · ');
  const shownLine = more > 0 ? `the ${shownRows.length} worst shown, +${more} more` : 'worst first';
  const spec: ChartSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Fleet protection: ${rows.length.toLocaleString('en-US')} cluster${rows.length === 1 ? '' : 's'} (${shownLine})`,
      subtitle: `${countLine} · ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      anchor: 'start',
      fontSize: 15,
      subtitleFontSize: 12,
      subtitleColor: '#444444',
      offset: 12,
    },
    data: { values },
    width: colWidth * columns.length,
    height: cell * Math.max(1, shownRows.length),
    mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1 },
    encoding: {
      x: {
        field: 'check',
        type: 'nominal',
        sort: columns,
        axis: { orient: 'top', labelAngle: -40, title: null, labelFontSize: 11, domain: false, ticks: false },
      },
      y: {
        field: 'cluster',
        type: 'nominal',
        sort: null,
        axis: {
          title: null,
          labelFontSize: Math.min(12, cell - 2),
          labelLimit: 240,
          domain: false,
          ticks: false,
        },
      },
      color: {
        field: 'status',
        type: 'nominal',
        scale: {
          domain: CELL_ORDER.map((s) => CELL_LABELS[s]),
          range: CELL_ORDER.map((s) => STATUS_COLOURS[s]),
        },
        legend: {
          title: null,
          orient: 'bottom',
          direction: 'horizontal',
          labelFontSize: 12,
          symbolType: 'square',
        },
      },
    },
    config: { font: CHART_FONT, background: '#ffffff', view: { stroke: null } },
  };
  const worst = shownRows
    .filter((r) => r.status !== 'ok')
    .slice(0, 5)
    .map((r) => `${r.cluster} ${r.status}`);
  const alt = `Heatmap of ${rows.length} clusters by ${columns.length} checks: ${countLine}${worst.length ? `; worst: ${worst.join(', ')}` : ''}${more > 0 ? `; ${more} more not drawn` : ''}.`;
  return { spec, rows, shown: shownRows.length, more, counts, alt };
}
