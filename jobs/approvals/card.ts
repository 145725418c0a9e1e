/** The approval card (neutral model): preview, state, progress, result; buttons carry only id and hash. */

import { formatDuration } from '../../bot/duration.js';
import type { BotMessage, Section } from '../../bot/message.js';
import type { Status } from '../checks/finding.js';
import { drillCard } from '../drill/drill-card.js';
import type { Outcome, Proposal, ProposalRequest } from './proposal.js';

function target(p: { kind: string; cluster: string; backup?: string; schedule?: string }): string {
  if (p.kind === 'drill') return `Restore drill of ${p.cluster} from ${p.backup ?? 'latest'}`;
  if (p.kind === 'restore') return `Restore ${p.cluster} from ${p.backup}`;
  return `Backup of ${p.cluster}${p.schedule ? ` (schedule ${p.schedule})` : ''}`;
}

function spec(p: Proposal): Record<string, unknown> {
  return (p.action.object.spec ?? {}) as Record<string, unknown>;
}

function previewFields(p: Proposal, now: Date): Section {
  const s = spec(p);
  const fields: { label: string; value: string; highlight?: boolean }[] = [
    { label: 'Requested by', value: p.requesterName ? `${p.requesterName} (${p.requester})` : p.requester },
    { label: 'Cluster', value: p.cluster },
  ];
  if (p.kind === 'restore') {
    const pv = p.preview;
    fields.push({
      label: 'Backup',
      value: `${s.backupName} — ${pv.backupPhase}, ${pv.backupAge}, ${pv.backupErrors} errors, ${pv.backupWarnings} warnings`,
      highlight: pv.backupPhase !== 'Completed',
    });
    if (p.allowPartial)
      fields.push({ label: 'Allow partial', value: 'yes (--allow-partial)', highlight: true });
    fields.push({ label: 'Namespaces', value: ((s.includedNamespaces as string[]) ?? ['*']).join(', ') });
    const mapping = s.namespaceMapping as Record<string, string> | undefined;
    fields.push({
      label: 'Mapping',
      value: mapping
        ? Object.entries(mapping)
            .map(([a, b]) => `${a} → ${b}`)
            .join(', ')
        : 'none',
    });
    const policy = String(s.existingResourcePolicy ?? 'none');
    fields.push({
      label: 'existingResourcePolicy',
      value:
        policy === 'update'
          ? 'update — existing resources WILL BE OVERWRITTEN'
          : 'none (existing resources are kept)',
      highlight: policy === 'update',
    });
  } else {
    const labels = (p.action.object.metadata as { labels?: Record<string, string> }).labels ?? {};
    if (labels['velero.io/schedule-name'])
      fields.push({ label: 'From schedule', value: labels['velero.io/schedule-name'] });
    fields.push({ label: 'Namespaces', value: ((s.includedNamespaces as string[]) ?? ['*']).join(', ') });
    if (s.ttl) fields.push({ label: 'TTL', value: String(s.ttl) });
    fields.push({ label: 'Storage location', value: p.preview.storageLocation ?? 'default' });
  }
  fields.push({ label: 'Velero object', value: `${p.action.kind} ${p.action.namespace}/${p.action.name}` });
  if (p.reason) fields.push({ label: 'Reason', value: p.reason });
  fields.push({
    label: 'Approvals',
    value: `${p.approvals.length}/${p.required}${p.approvals.length ? ` (${p.approvals.join(', ')})` : ''}`,
  });
  if (p.status === 'pending') {
    const left = Date.parse(p.expiresAt) - now.getTime();
    fields.push({ label: 'Expires', value: left > 0 ? `in ${formatDuration(left)}` : 'now' });
  }
  return { type: 'fields', fields };
}

function progressText(o: Outcome): string {
  const items = o.totalItems ? ` — ${o.itemsDone ?? 0}/${o.totalItems} items` : '';
  return `${o.phase}${items}`;
}

function resultSections(o: Outcome): Section[] {
  const ok = o.phase === 'Completed';
  const tone: Status = ok ? 'ok' : o.phase === 'PartiallyFailed' ? 'warn' : 'fail';
  const out: Section[] = [
    {
      type: 'text',
      tone,
      text: `${o.phase}: ${o.errors ?? 0} errors, ${o.warnings ?? 0} warnings${o.totalItems ? `, ${o.itemsDone ?? 0}/${o.totalItems} items` : ''}`,
    },
  ];
  if (o.failureReason) out.push({ type: 'text', tone: 'fail', text: `Failure reason: ${o.failureReason}` });
  if (o.validationErrors?.length)
    out.push({ type: 'text', tone: 'fail', text: `Validation errors: ${o.validationErrors.join('; ')}` });
  return out;
}

const STATE: Record<Proposal['status'], { line: string; tone: Status | 'info' }> = {
  pending: { line: 'Waiting for approval', tone: 'info' },
  approved: { line: 'Approved — starting', tone: 'info' },
  running: { line: 'Running', tone: 'info' },
  succeeded: { line: 'Finished', tone: 'ok' },
  failed: { line: 'Finished with problems', tone: 'fail' },
  rejected: { line: 'Rejected', tone: 'warn' },
  expired: { line: 'Expired without approval — nothing was changed', tone: 'warn' },
};

export function approvalCard(p: Proposal, now: Date): BotMessage {
  // Drills (DESIGN §10) have their own card; the drill worker adds its progress and verdict.
  if (p.kind === 'drill') return drillCard(p, undefined, now);
  const state = STATE[p.status];
  const subject = target({
    kind: p.kind,
    cluster: p.cluster,
    backup: spec(p).backupName as string | undefined,
    schedule: (p.action.object.metadata as { labels?: Record<string, string> }).labels?.[
      'velero.io/schedule-name'
    ],
  });
  const sections: Section[] = [previewFields(p, now)];
  let line = state.line;
  if (p.status === 'rejected') line += ` by ${p.decidedBy}${p.rejectReason ? `: ${p.rejectReason}` : ''}`;
  if (p.status === 'running' && p.progress) line += `: ${progressText(p.progress)}`;
  if (p.status === 'running' && !p.progress)
    line += `: ${p.created ? `${p.action.kind} created, waiting for Velero` : `creating ${p.action.kind}`}`;
  sections.unshift({ type: 'text', text: line, tone: state.tone === 'info' ? 'info' : state.tone });
  if (p.outcome) sections.push(...resultSections(p.outcome));
  sections.push({ type: 'context', text: `proposal ${p.id} · action sha256 ${p.hash.slice(0, 12)}` });
  const tone: Status | 'info' = p.outcome
    ? p.outcome.phase === 'Completed'
      ? 'ok'
      : p.outcome.phase === 'PartiallyFailed'
        ? 'warn'
        : 'fail'
    : state.tone;
  const message: BotMessage = {
    kind: 'approval',
    title: `${subject} — ${p.status === 'pending' ? 'approval needed' : p.status}`,
    summary: `${subject}: ${line}`,
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

/** The visible placeholder while preflight reads the cluster. */
export function checkingCard(req: ProposalRequest): BotMessage {
  const subject = target(req);
  const what =
    req.kind === 'restore' || req.kind === 'drill'
      ? `backup ${req.backup ?? 'latest'}`
      : req.schedule
        ? `schedule ${req.schedule}`
        : 'the backup storage location';
  return {
    kind: 'approval',
    title: subject,
    summary: `${subject}: checking ${what}…`,
    tone: 'info',
    sections: [
      {
        type: 'text',
        text: `Checking ${what} on ${req.cluster}… this message becomes the approval card.`,
        tone: 'info',
      },
    ],
  };
}

export function preflightFailedCard(req: ProposalRequest, problem: string): BotMessage {
  const subject = target(req);
  return {
    kind: 'approval',
    title: `${subject} — not proposed`,
    summary: `${subject}: preflight failed: ${problem}`,
    tone: 'fail',
    sections: [
      { type: 'text', tone: 'fail', text: `Preflight failed: ${problem}` },
      { type: 'context', text: 'Nothing was proposed and nothing was changed.' },
    ],
  };
}

/** Changes whenever what the card shows changes; names the notify job that carries it. */
export function cardVersion(p: Proposal): string {
  const pr = p.outcome ?? p.progress;
  return [
    p.id,
    p.status,
    p.approvals.length,
    p.created ? 'c' : '',
    pr?.phase ?? '',
    pr?.itemsDone ?? '',
    pr?.totalItems ?? '',
  ].join('-');
}
