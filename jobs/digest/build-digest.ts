/**
 * The fleet digest (DESIGN §11) as one message: the heatmap, counts per status, the ten worst findings
 * with their clusters, and what changed since the last digest.
 */
import { formatDuration } from '../../bot/duration.js';
import type { BotMessage, Section } from '../../bot/message.js';
import { heatmapImage } from '../charts/chart-message.js';
import type { ChartRenderer } from '../charts/chart-port.js';
import { fleetHeatmap } from '../charts/fleet-heatmap.js';
import { compareSeverity, type Finding, type Status } from '../checks/finding.js';
import type { Posture } from '../posture.js';
import { changesSince, type DigestChanges, type DigestSummary, summarize } from './digest-summary.js';

export const WORST_FINDINGS = 10;
const LISTED_CHANGES = 10;

export interface Digest {
  message: BotMessage;
  summary: DigestSummary;
}

export async function buildDigest(
  renderer: ChartRenderer,
  names: string[],
  postures: Map<string, Posture>,
  now: Date,
  previous: DigestSummary | undefined,
): Promise<Digest> {
  const heatmap = fleetHeatmap(names, postures, now);
  const summary = summarize(names, postures, now);
  const { counts } = heatmap;
  const countLine = (['fail', 'warn', 'unknown', 'ok'] as Status[])
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
  const rank = new Map(heatmap.rows.map((r, i) => [r.cluster, i]));
  const worst = worstFindings(postures, rank);
  const tone = (['fail', 'warn', 'unknown'] as Status[]).find((s) => counts[s] > 0) ?? 'ok';
  const sections: Section[] = [
    { type: 'text', text: `${names.length} clusters: ${countLine}`, tone },
    worst.length
      ? {
          type: 'table',
          columns: ['status', 'cluster', 'check', 'reason', 'resource'],
          rows: worst.map(({ cluster, f }) => [f.status, cluster, f.check, f.reason, f.resource ?? '']),
        }
      : { type: 'text', text: 'No lapses: every finding is ok.', tone: 'ok' },
    ...changeSections(previous, summary, now),
  ];
  const day = now.toISOString().slice(0, 10);
  return {
    summary,
    message: {
      kind: 'digest',
      title: `Fleet digest ${day}`,
      tone,
      summary: `Fleet digest ${day}: ${names.length} clusters, ${countLine}`,
      image: await heatmapImage(renderer, heatmap, now, 'digest'),
      sections,
    },
  };
}

function worstFindings(postures: Map<string, Posture>, rank: Map<string, number>) {
  const all: { cluster: string; f: Finding }[] = [];
  for (const [cluster, p] of postures)
    if (rank.has(cluster)) for (const f of p.findings) if (f.status !== 'ok') all.push({ cluster, f });
  return all
    .sort(
      (a, b) =>
        compareSeverity(b.f.status, a.f.status) ||
        (rank.get(a.cluster) ?? 0) - (rank.get(b.cluster) ?? 0) ||
        a.f.check.localeCompare(b.f.check),
    )
    .slice(0, WORST_FINDINGS);
}

function changeSections(previous: DigestSummary | undefined, current: DigestSummary, now: Date): Section[] {
  if (!previous) return [{ type: 'context', text: 'First digest: nothing to compare with yet.' }];
  const c: DigestChanges = changesSince(previous, current);
  const since = `Since the last digest (${formatDuration(Math.max(0, now.getTime() - Date.parse(previous.at)))} ago)`;
  const list = (items: DigestChanges['worse']) => {
    const shown = items.slice(0, LISTED_CHANGES).map((i) => `${i.cluster} ${i.from} → ${i.to}`);
    return `${shown.join(', ')}${items.length > shown.length ? ` and ${items.length - shown.length} more` : ''}`;
  };
  const lines = [
    c.worse.length ? `worse: ${list(c.worse)}` : '',
    c.better.length ? `better: ${list(c.better)}` : '',
    `${c.newLapses} new lapse${c.newLapses === 1 ? '' : 's'}, ${c.resolvedLapses} resolved`,
  ].filter(Boolean);
  const tone: Status | 'info' = c.worse.length ? 'fail' : c.better.length ? 'ok' : 'info';
  return [{ type: 'text', text: `${since}: ${lines.join('; ')}`, tone }];
}
