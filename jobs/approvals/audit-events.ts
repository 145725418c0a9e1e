/** Small helpers so every step writes the same shape of audit event. */
import type { Clock } from '../../bot/clock.js';
import { recordApproval } from '../../bot/metrics.js';
import type { AuditEvent, AuditEventType, AuditLog } from './ports.js';
import type { Proposal } from './proposal.js';

export function describeAction(p: Pick<Proposal, 'kind' | 'action'>): string {
  const spec = (p.action.object.spec ?? {}) as { backupName?: string };
  const from = p.kind === 'restore' || p.kind === 'drill' ? ` from ${spec.backupName}` : '';
  return `${p.kind}${from} → ${p.action.kind} ${p.action.namespace}/${p.action.name}`;
}

export async function auditProposal(
  audit: AuditLog | undefined,
  clock: Clock,
  p: Pick<Proposal, 'id' | 'cluster' | 'kind' | 'action'>,
  actor: string,
  event: AuditEventType,
  outcome: string,
): Promise<void> {
  const e: AuditEvent = {
    at: clock.now().toISOString(),
    cluster: p.cluster,
    actor,
    event,
    what: describeAction(p),
    outcome,
    proposal: p.id,
  };
  const approvalOutcome = APPROVAL_OUTCOMES[event];
  if (approvalOutcome) recordApproval(approvalOutcome);
  await audit?.append(e);
}

/** Audit events that are an approval decision, as `dpbot_approvals_total{outcome}` labels. */
const APPROVAL_OUTCOMES: Partial<Record<AuditEventType, string>> = {
  proposed: 'proposed',
  approve: 'counted',
  approved: 'approved',
  refused: 'refused',
  reject: 'rejected',
  expire: 'expired',
};
