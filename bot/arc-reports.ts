/**
 * `/dp clusters` with `fleet.azure` (DESIGN §12): Arc connectivity and last contact per cluster, the
 * clusters known only from Azure ("Azure only") with their Arc findings, and every subscription dpbot
 * cannot read, by id.
 */
import { compareSeverity, type Finding, type Status, worstStatus } from '../jobs/checks/finding.js';
import type { ArcFleetMeta } from '../jobs/fleet/arc-inventory.js';
import type { Posture } from '../jobs/posture.js';
import type { BotMessage, Section } from './message.js';
import { ago } from './reports.js';

function counts(p: Posture): string {
  const by = new Map<Status, number>();
  for (const f of p.findings) by.set(f.status, (by.get(f.status) ?? 0) + (f.count ?? 1));
  return (['fail', 'warn', 'unknown', 'ok'] as Status[])
    .filter((s) => by.get(s))
    .map((s) => `${by.get(s)} ${s}`)
    .join(', ');
}

/** The connectivity line of a posture's `arc-connectivity` findings: status and last contact. */
export function arcConnectivity(p: Posture | undefined, now: Date): { arc: string; lastContact: string } {
  const arc = p?.findings.filter((f) => f.check === 'arc-connectivity') ?? [];
  const main = arc.find((f) => f.evidence && 'connectivityStatus' in f.evidence);
  if (main) {
    const last = main.evidence?.lastConnectivityTime;
    return {
      arc: String(main.evidence?.connectivityStatus ?? 'unknown'),
      // DESIGN §12: `lastConnectivityTime` as Azure reports it, with its age.
      lastContact: typeof last === 'string' ? `${last} (${ago(last, now)})` : 'unknown',
    };
  }
  const unknown = arc.find((f) => f.status === 'unknown');
  if (unknown) return { arc: `unknown (${unknown.reason})`, lastContact: '-' };
  return { arc: '-', lastContact: '-' };
}

export function arcFleetTable(
  configured: string[],
  azureOnly: string[],
  postures: Map<string, Posture>,
  meta: ArcFleetMeta | undefined,
  now: Date,
): BotMessage {
  const row = (c: string, only: boolean) => {
    const p = postures.get(c);
    const { arc, lastContact } = arcConnectivity(p, now);
    return [
      c,
      p?.status ?? 'unknown',
      p ? counts(p) : 'not scanned yet',
      only ? 'Azure only' : ago(p?.scannedAt, now),
      arc,
      lastContact,
    ];
  };
  const rows = [...configured.map((c) => row(c, false)), ...azureOnly.map((c) => row(c, true))];
  const all = [...configured, ...azureOnly];
  const tone = worstStatus(all.map((c) => postures.get(c)?.status ?? 'unknown'));
  const sections: Section[] = [
    { type: 'table', columns: ['cluster', 'status', 'findings', 'last scan', 'arc', 'last contact'], rows },
  ];
  const arcProblems: Finding[] = azureOnly.flatMap((c) =>
    (postures.get(c)?.findings ?? [])
      .filter((f) => f.status !== 'ok')
      .sort((a, b) => compareSeverity(b.status, a.status))
      .map((f) => ({ ...f, message: `${c} (Azure only): ${f.message}` })),
  );
  if (arcProblems.length) sections.push({ type: 'findings', findings: arcProblems });
  for (const s of meta?.unreadableSubscriptions ?? [])
    sections.push({
      type: 'text',
      tone: 'unknown',
      text: `Subscription ${s.subscriptionId} cannot be read (${s.code}): ${s.message}. Its Arc clusters are not listed; give dpbot's identity the Reader role there.`,
    });
  if (meta?.error)
    sections.push({
      type: 'text',
      tone: 'unknown',
      text: `Azure Resource Graph could not be read (${meta.error.reason}): ${meta.error.message}. Arc findings are unknown until it can.`,
    });
  sections.push({
    type: 'context',
    text: meta
      ? `Arc fleet from Azure Resource Graph: ${meta.clusters} connected cluster${meta.clusters === 1 ? '' : 's'}, ${azureOnly.length} Azure only; refreshed ${ago(meta.fetchedAt, now)}`
      : 'Arc fleet from Azure Resource Graph: not read yet',
  });
  const n = all.length;
  return {
    kind: 'fleet',
    title: `Fleet: ${n} cluster${n === 1 ? '' : 's'}`,
    summary: `Fleet: ${n} clusters (${azureOnly.length} Azure only), worst ${tone}`,
    tone,
    sections,
  };
}
