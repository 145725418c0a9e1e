/** The drill card (DESIGN §10.5): the approval card of §7 for a drill, edited in place at each step. */
import { formatDuration } from '../../bot/duration.js';
import type { BotMessage, Section } from '../../bot/message.js';
import type { Proposal } from '../approvals/proposal.js';
import type { Status } from '../checks/finding.js';
import { DRILL_EXCLUDED_RESOURCES } from './drill-plan.js';
import type { DrillRecord } from './ports.js';

const MAX_LISTED = 8;

function list(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).join('; ');
  return items.length > MAX_LISTED ? `${shown}; … and ${items.length - MAX_LISTED} more` : shown;
}

/** `passed in 2m3s (Restore 1m10s, all Ready 2m3s)` */
export function verdictLine(r: DrillRecord): string {
  const times = [
    r.restoreMs !== undefined ? `Restore ${formatDuration(r.restoreMs)}` : '',
    r.readyMs !== undefined ? `all Ready ${formatDuration(r.readyMs)}` : '',
  ].filter(Boolean);
  const total = r.readyMs ?? r.restoreMs;
  if (r.verdict === 'passed')
    return `Drill PASSED: recovered in ${formatDuration(total ?? 0)} (${times.join(', ')})`;
  return `Drill FAILED${times.length ? ` (${times.join(', ')})` : ''}: ${list(r.failures ?? ['unknown'])}`;
}

/**
 * The verdict as the audit stream records it (DESIGN §10.3): the verdict line (passed/failed, recovery
 * times, what failed) plus items restored/total and Velero's warnings/errors.
 */
export function verdictRecord(r: DrillRecord): string {
  const items = r.totalItems !== undefined ? `${r.itemsRestored ?? 0}/${r.totalItems} items restored` : '';
  const velero =
    r.restorePhase !== undefined
      ? `Restore ${r.restorePhase}, ${r.warnings ?? 0} warnings, ${r.errors ?? 0} errors`
      : 'no Restore result';
  return [verdictLine(r), items, velero].filter(Boolean).join(' · ');
}

function stateLine(p: Proposal, r: DrillRecord | undefined): { text: string; tone: Status | 'info' } {
  if (p.status === 'pending') return { text: 'Waiting for approval', tone: 'info' };
  if (p.status === 'rejected')
    return { text: `Rejected by ${p.decidedBy}${p.rejectReason ? `: ${p.rejectReason}` : ''}`, tone: 'warn' };
  if (p.status === 'expired') return { text: 'Expired without approval — nothing was changed', tone: 'warn' };
  if (!r) {
    if (p.outcome) return { text: `Failed: ${p.outcome.failureReason ?? p.outcome.phase}`, tone: 'fail' };
    return { text: 'Approved — starting', tone: 'info' };
  }
  if (r.verdict && r.stage === 'done')
    return { text: verdictLine(r), tone: r.verdict === 'passed' ? 'ok' : 'fail' };
  switch (r.stage) {
    case 'namespaces':
      return { text: 'Running: creating the scratch namespaces', tone: 'info' };
    case 'restoring': {
      const items = r.totalItems ? ` — ${r.itemsRestored ?? 0}/${r.totalItems} items` : '';
      return {
        text: `Running: restoring (${r.restorePhase ?? 'Restore created, waiting for Velero'}${items})`,
        tone: 'info',
      };
    }
    case 'verifying':
      return {
        text: `Running: verifying the scratch namespaces (${r.verifyProgress ?? 'reading'})`,
        tone: 'info',
      };
    default:
      return { text: `${r.verdict ? verdictLine(r) : 'Finishing'} — cleaning up`, tone: 'info' };
  }
}

function fields(p: Proposal, now: Date): Section {
  const pv = p.preview;
  const spec = (p.action.object.spec ?? {}) as { backupName?: string };
  const f: { label: string; value: string; highlight?: boolean }[] = [
    { label: 'Requested by', value: p.requesterName ? `${p.requesterName} (${p.requester})` : p.requester },
    { label: 'Cluster', value: p.cluster },
    {
      label: 'Backup',
      value: `${spec.backupName} — ${pv.backupPhase}, ${pv.backupAge}, ${pv.backupErrors} errors, ${pv.backupWarnings} warnings`,
    },
    {
      label: 'Scratch namespaces',
      value: Object.entries(p.drill?.namespaces ?? {})
        .map(([a, b]) => `${a} → ${b}`)
        .join(', '),
    },
    { label: 'Not restored', value: `${DRILL_EXCLUDED_RESOURCES.join(', ')}; existing resources are kept` },
    { label: 'Velero object', value: `${p.action.kind} ${p.action.namespace}/${p.action.name}` },
  ];
  if (p.reason) f.push({ label: 'Reason', value: p.reason });
  f.push({
    label: 'Approvals',
    value: `${p.approvals.length}/${p.required}${p.approvals.length ? ` (${p.approvals.join(', ')})` : ''}${p.drill?.scheduled ? ' · scheduled drill' : ''}`,
  });
  if (p.status === 'pending') {
    const left = Date.parse(p.expiresAt) - now.getTime();
    f.push({ label: 'Expires', value: left > 0 ? `in ${formatDuration(left)}` : 'now' });
  }
  return { type: 'fields', fields: f };
}

function results(r: DrillRecord): Section[] {
  const out: Section[] = [];
  if (r.restorePhase && r.restoreFinishedAt)
    out.push({
      type: 'text',
      tone: r.restorePhase === 'Completed' && !r.errors ? 'ok' : 'fail',
      text: `Restore ${r.restorePhase}: ${r.itemsRestored ?? 0}/${r.totalItems ?? 0} items restored, ${r.errors ?? 0} errors, ${r.warnings ?? 0} warnings${r.failureReason ? ` (${r.failureReason})` : ''}`,
    });
  if (r.cleanup === 'done')
    out.push({
      type: 'text',
      tone: 'ok',
      text: 'Cleaned up: scratch namespaces, their Retain volumes and the Restore are deleted.',
    });
  if (r.cleanup === 'failed')
    out.push({
      type: 'text',
      tone: 'fail',
      text: `Cleanup incomplete — left behind: ${list(r.leftovers ?? [])}. dpbot retries at the next scan.`,
    });
  return out;
}

export function drillCard(p: Proposal, r: DrillRecord | undefined, now: Date): BotMessage {
  const state = stateLine(p, r);
  const backup = (p.action.object.spec as { backupName?: string }).backupName;
  const subject = `Restore drill of ${p.cluster} from ${backup}`;
  const status =
    p.status === 'pending' ? 'approval needed' : r?.verdict && r.stage === 'done' ? r.verdict : p.status;
  const sections: Section[] = [
    { type: 'text', text: state.text, tone: state.tone },
    fields(p, now),
    ...(r ? results(r) : []),
    { type: 'context', text: `proposal ${p.id} · action sha256 ${p.hash.slice(0, 12)}` },
  ];
  const tone: Status | 'info' = r?.cleanup === 'failed' && state.tone === 'ok' ? 'warn' : state.tone;
  const message: BotMessage = {
    kind: 'approval',
    title: `${subject} — ${status}`,
    summary: `${subject}: ${state.text}`,
    tone,
    sections,
  };
  if (p.status === 'pending')
    message.buttons = [
      { verb: 'approve', label: 'Approve', style: 'primary', value: { id: p.id, hash: p.hash } },
      { verb: 'reject', label: 'Reject', style: 'danger', value: { id: p.id, hash: p.hash } },
    ];
  return message;
}
