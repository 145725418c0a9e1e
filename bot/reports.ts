/** Builders of the neutral report messages: status, fleet, backups. */
import { CHECK_NAMES, compareSeverity, type Status, worstStatus } from '../jobs/checks/finding.js';
import { compactFindings, type Posture } from '../jobs/posture.js';
import { formatDuration } from './duration.js';
import type { BotMessage, Section } from './message.js';

export function ago(iso: string | undefined, now: Date): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown';
  // Under a second (or a timestamp a few ms ahead of this process's clock) reads as "0s ago", never "-15ms ago".
  const ms = now.getTime() - t;
  return `${ms < 1000 ? '0s' : formatDuration(ms)} ago`;
}

function counts(p: Posture): string {
  const by = new Map<Status, number>();
  for (const f of p.findings) by.set(f.status, (by.get(f.status) ?? 0) + (f.count ?? 1));
  return (['fail', 'warn', 'unknown', 'ok'] as Status[])
    .filter((s) => by.get(s))
    .map((s) => `${by.get(s)} ${s}`)
    .join(', ');
}

function postureSections(p: Posture, now: Date): Section[] {
  const order = (c: string) => CHECK_NAMES.indexOf(c as (typeof CHECK_NAMES)[number]);
  const findings = compactFindings(p.findings).sort(
    (a, b) => order(a.check) - order(b.check) || compareSeverity(b.status, a.status),
  );
  return [
    { type: 'findings', findings },
    { type: 'context', text: `scanned ${ago(p.scannedAt, now)} in ${formatDuration(p.durationMs)}` },
  ];
}

export interface StatusReportOptions {
  /** A fresh scan is on its way; this message will be updated. */
  updating?: boolean;
}

/** One cluster, or several (`/dp status all`) in one message. */
export function statusReport(
  clusters: string[],
  postures: Map<string, Posture>,
  now: Date,
  opts: StatusReportOptions = {},
): BotMessage {
  if (clusters.length > DETAILED_CLUSTERS) return fleetStatus(clusters, postures, now, opts);
  const sections: Section[] = [];
  const statuses: Status[] = [];
  for (const name of clusters) {
    const p = postures.get(name);
    statuses.push(p?.status ?? 'unknown');
    if (clusters.length > 1)
      sections.push({
        type: 'text',
        text: `${name}: ${p ? `${p.status} (${counts(p)})` : 'not scanned yet'}`,
        tone: p?.status ?? 'unknown',
      });
    if (p) sections.push(...postureSections(p, now));
    else sections.push({ type: 'context', text: `${name} has not been scanned yet.` });
  }
  if (opts.updating) sections.push({ type: 'context', text: 'scanning now… this message will update' });
  const tone = worstStatus(statuses);
  const single = clusters.length === 1 ? postures.get(clusters[0]) : undefined;
  const title =
    clusters.length === 1
      ? `${clusters[0]}: ${single?.status ?? 'not scanned yet'}`
      : `${clusters.length} clusters: ${tone}`;
  const summary = clusters.length === 1 && single ? `${title} — ${counts(single)}` : title;
  return {
    kind: 'status-report',
    title,
    summary,
    tone,
    sections,
    buttons:
      clusters.length === 1
        ? [{ verb: 'status', label: 'Refresh', value: { cluster: clusters[0] } }]
        : undefined,
  };
}

/** `/dp status all` lists every finding of up to this many clusters; beyond, only what is not ok. */
export const DETAILED_CLUSTERS = 5;

/** One fleet-table row: cluster, status, finding counts, age of the last scan. */
function fleetRow(c: string, postures: Map<string, Posture>, now: Date): string[] {
  const p = postures.get(c);
  return [c, p?.status ?? 'unknown', p ? counts(p) : 'not scanned yet', ago(p?.scannedAt, now)];
}

/**
 * A fleet's status in one message that stays readable and within chat limits at thousands of clusters:
 * a table of clusters, worst first, then every finding that is not ok, each naming its cluster. Both
 * are lists the renderers shorten with an "n more" line, so the worst always stay in view.
 */
function fleetStatus(
  clusters: string[],
  postures: Map<string, Posture>,
  now: Date,
  opts: StatusReportOptions,
): BotMessage {
  const statusOf = (c: string) => postures.get(c)?.status ?? 'unknown';
  const order = clusters
    .map((c, i) => ({ c, i }))
    .sort((a, b) => compareSeverity(statusOf(b.c), statusOf(a.c)) || a.i - b.i)
    .map(({ c }) => c);
  const rows = order.map((c) => fleetRow(c, postures, now));
  const problems = order.flatMap((c) =>
    (postures.get(c)?.findings ?? [])
      .filter((f) => f.status !== 'ok')
      .sort((a, b) => compareSeverity(b.status, a.status))
      .map((f) => ({ ...f, message: `${c}: ${f.message}` })),
  );
  const tone = worstStatus(clusters.map(statusOf));
  const byStatus = (['fail', 'warn', 'unknown', 'ok'] as Status[])
    .map((st) => [st, clusters.filter((c) => statusOf(c) === st).length] as const)
    .filter(([, n]) => n > 0)
    .map(([st, n]) => `${n} ${st}`)
    .join(', ');
  const sections: Section[] = [
    { type: 'table', columns: ['cluster', 'status', 'findings', 'last scan'], rows },
  ];
  if (problems.length) sections.push({ type: 'findings', findings: problems });
  if (opts.updating) sections.push({ type: 'context', text: 'scanning now… this message will update' });
  const title = `${clusters.length} clusters: ${tone}`;
  return { kind: 'status-report', title, summary: `${title} — ${byStatus}`, tone, sections };
}

export function fleetTable(clusters: string[], postures: Map<string, Posture>, now: Date): BotMessage {
  const rows = clusters.map((c) => fleetRow(c, postures, now));
  const tone = worstStatus(clusters.map((c) => postures.get(c)?.status ?? 'unknown'));
  return {
    kind: 'fleet',
    title: `Fleet: ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}`,
    summary: `Fleet: ${clusters.length} clusters, worst ${tone}`,
    tone,
    sections: [{ type: 'table', columns: ['cluster', 'status', 'findings', 'last scan'], rows }],
  };
}

export function backupsTable(
  cluster: string,
  posture: Pick<Posture, 'backups' | 'backupsError' | 'scannedAt'> | undefined,
  now: Date,
  opts: { schedule?: string; limit: number; updating?: boolean },
): BotMessage {
  const backups = posture?.backups ?? [];
  const failed = posture?.backupsError;
  const selected = backups.filter((b) => !opts.schedule || b.schedule === opts.schedule).slice(0, opts.limit);
  const sections: Section[] = [];
  if (failed)
    // A failed read is unknown, never "no backups".
    sections.push({
      type: 'text',
      text: `Cannot list ${cluster}'s Velero backups (${failed.reason}): ${failed.message}`,
      tone: 'unknown',
    });
  else if (selected.length === 0)
    sections.push({
      type: 'text',
      text: posture
        ? `No backups${opts.schedule ? ` of schedule ${opts.schedule}` : ''} found.`
        : `${cluster} has not been scanned yet.`,
    });
  else
    sections.push({
      type: 'table',
      columns: ['backup', 'schedule', 'phase', 'age', 'errors', 'warnings'],
      rows: selected.map((b) => [
        b.name,
        b.schedule ?? '-',
        b.phase,
        ago(b.at, now).replace(' ago', ''),
        String(b.errors),
        String(b.warnings),
      ]),
    });
  const ctx = [
    posture ? `as of scan ${ago(posture.scannedAt, now)}` : undefined,
    opts.updating ? 'scanning now… this message will update' : undefined,
  ];
  if (ctx.some(Boolean)) sections.push({ type: 'context', text: ctx.filter(Boolean).join(' · ') });
  return {
    kind: 'backups',
    title: `${cluster}: recent backups${opts.schedule ? ` of ${opts.schedule}` : ''}`,
    summary: `${cluster}: ${selected.length} backup${selected.length === 1 ? '' : 's'}`,
    sections,
  };
}
