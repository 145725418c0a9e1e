/**
 * `/dp chart <cluster>` (DESIGN §11): one bar per backup of the last 30 days (height = duration, colour
 * = phase) and, per schedule, the freshness limit as a rule at now − maxAge: a schedule whose newest
 * Completed backup lies left of its rule is stale. maxAge comes from the backup-freshness findings.
 */
import { formatDuration } from '../../bot/duration.js';
import type { Posture } from '../posture.js';
import { CHART_FONT, type ChartSpec } from './chart-port.js';
import { PHASE_COLOURS, STATUS_COLOURS } from './status-colours.js';

export const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

export interface BackupHistory {
  spec: ChartSpec;
  backups: number;
  alt: string;
}

interface Limit {
  schedule: string;
  maxAgeMs: number;
}

/** Freshness limits per schedule, from the stored backup-freshness findings' evidence. */
export function freshnessLimits(posture: Posture): Limit[] {
  return posture.findings
    .filter((f) => f.check === 'backup-freshness' && typeof f.evidence?.maxAgeMs === 'number')
    .map((f) => ({
      schedule: (f.resource ?? '').split('/').pop() ?? '',
      maxAgeMs: f.evidence?.maxAgeMs as number,
    }));
}

export function backupHistory(cluster: string, posture: Posture | undefined, now: Date): BackupHistory {
  const from = now.getTime() - HISTORY_DAYS * DAY_MS;
  const recent = (posture?.backups ?? []).filter((b) => (Date.parse(b.at ?? '') || 0) >= from);
  const values = recent.map((b) => ({
    name: b.name,
    schedule: b.schedule ?? '(none)',
    phase: b.phase,
    at: b.at,
    minutes: Math.round(((b.durationS ?? 0) / 60) * 10) / 10,
  }));
  const limits = posture ? freshnessLimits(posture).filter((l) => l.maxAgeMs < HISTORY_DAYS * DAY_MS) : [];
  const rules = limits.map((l, i) => ({
    at: new Date(now.getTime() - l.maxAgeMs).toISOString(),
    label: `freshness limit ${l.schedule} (${formatDuration(l.maxAgeMs)})`,
    row: i,
  }));
  const phases = [...new Set([...Object.keys(PHASE_COLOURS), ...values.map((v) => v.phase)])];
  const byPhase = new Map<string, number>();
  for (const v of values) byPhase.set(v.phase, (byPhase.get(v.phase) ?? 0) + 1);
  const phaseLine = [...byPhase].map(([p, n]) => `${p} ${n}`).join(' · ') || 'no backups';
  const barWidth = Math.max(2, Math.min(14, Math.floor(700 / Math.max(1, values.length)) - 2));
  const x = {
    field: 'at',
    type: 'temporal' as const,
    title: null,
    // Half a day past now, so the newest bar (centred on its time) is not cut in half.
    scale: {
      type: 'utc' as const,
      domain: [new Date(from).toISOString(), new Date(now.getTime() + DAY_MS / 2).toISOString()],
    },
    axis: { format: '%b %d', labelFontSize: 11, tickCount: 10, grid: false },
  };
  const completed = recent.find((b) => b.phase === 'Completed');
  const newest = completed?.at
    ? ` · newest Completed ${formatDuration(Math.max(60_000, Math.round((now.getTime() - Date.parse(completed.at)) / 60_000) * 60_000))} ago`
    : '';
  const why = posture?.backupsError ? ` · backups could not be listed: ${posture.backupsError.reason}` : '';
  const spec: ChartSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${cluster}: backups of the last ${HISTORY_DAYS} days`,
      // Two short lines: Vega estimates text widths (no canvas), and a long line would widen the picture.
      subtitle: [
        values.length ? `${values.length} backups: ${phaseLine}` : 'no backups in these 30 days',
        `${newest}${why}${posture ? '' : ' · never scanned'}`.replace(/^ · /, ''),
      ].filter(Boolean),
      anchor: 'start',
      fontSize: 15,
      subtitleFontSize: 12,
      subtitleColor: '#444444',
      offset: 10,
    },
    width: 760,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', width: barWidth },
        encoding: {
          x,
          y: {
            field: 'minutes',
            type: 'quantitative',
            title: 'duration (minutes)',
            // Headroom above the tallest bar for the rules' labels.
            scale: { domainMax: Math.max(1, ...values.map((v) => v.minutes)) * 1.2, nice: true },
            axis: { titleFontSize: 12 },
          },
          color: {
            field: 'phase',
            type: 'nominal',
            scale: { domain: phases, range: phases.map((p) => PHASE_COLOURS[p] ?? STATUS_COLOURS.unknown) },
            legend: {
              title: null,
              orient: 'bottom',
              direction: 'horizontal',
              labelFontSize: 12,
              values: [...byPhase.keys()],
            },
          },
        },
      },
      {
        data: { values: rules },
        mark: { type: 'rule', color: '#6b0f0f', strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { x },
      },
      {
        data: { values: rules },
        mark: { type: 'text', align: 'right', baseline: 'top', dx: -4, color: '#8e1b1b', fontSize: 11 },
        encoding: { x, y: { value: { expr: '4 + datum.row * 14' } }, text: { field: 'label' } },
      },
    ],
    resolve: { scale: { x: 'shared' } },
    config: { font: CHART_FONT, background: '#ffffff', view: { stroke: '#dddddd' } },
  };
  const limitText = limits.map((l) => `${l.schedule} ${formatDuration(l.maxAgeMs)}`).join(', ');
  const alt = `Backups of ${cluster} in the last ${HISTORY_DAYS} days: ${values.length} (${phaseLine})${limitText ? `; freshness limit ${limitText}` : ''}.`;
  return { spec, backups: values.length, alt };
}
