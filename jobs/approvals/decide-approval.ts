/**
 * The approval rules (DESIGN §7.3) as pure functions: who may count, on what, and when the count is
 * enough. The store only performs the atomic step decided here, and refuses it when the proposal
 * changed since it was read (the caller then reads again and decides again).
 */
import { actionHash, type Proposal } from './proposal.js';

export interface Approver {
  id: string;
  /** Holds the approver role on the proposal's cluster, checked now, whatever the card said. */
  isApprover: boolean;
}

export type ApprovalRefusal =
  | 'not-approver'
  | 'hash-mismatch'
  | 'not-pending'
  | 'expired'
  | 'self'
  | 'already';

export type ApprovalDecision =
  | { verdict: 'refuse'; reason: ApprovalRefusal }
  /** Add the approver; `approved` when that reaches `required`. */
  | { verdict: 'count'; approvals: string[]; approved: boolean };

/**
 * Decides one approval. `hash` is what the button carried (a command approves the stored hash); the
 * stored action must still hash to the stored hash, so a tampered action is never approved.
 */
export function decideApproval(p: Proposal, approver: Approver, hash: string, now: Date): ApprovalDecision {
  const refuse = (reason: ApprovalRefusal): ApprovalDecision => ({ verdict: 'refuse', reason });
  if (!approver.isApprover) return refuse('not-approver');
  if (actionHash(p.action) !== p.hash || hash !== p.hash) return refuse('hash-mismatch');
  if (p.status !== 'pending') return refuse('not-pending');
  if (now.getTime() >= Date.parse(p.expiresAt)) return refuse('expired');
  if (approver.id === p.requester) return refuse('self');
  if (p.approvals.includes(approver.id)) return refuse('already');
  const approvals = [...p.approvals, approver.id];
  return { verdict: 'count', approvals, approved: approvals.length >= p.required };
}

export type RejectionRefusal = 'not-pending' | 'expired' | 'hash-mismatch';

export type RejectionDecision = { verdict: 'refuse'; reason: RejectionRefusal } | { verdict: 'reject' };

/** Decides one rejection; no `hash` (a command) is not compared. The role is checked by the caller. */
export function decideRejection(p: Proposal, hash: string | undefined, now: Date): RejectionDecision {
  if (p.status !== 'pending') return { verdict: 'refuse', reason: 'not-pending' };
  if (now.getTime() >= Date.parse(p.expiresAt)) return { verdict: 'refuse', reason: 'expired' };
  if (hash && hash !== p.hash) return { verdict: 'refuse', reason: 'hash-mismatch' };
  return { verdict: 'reject' };
}
