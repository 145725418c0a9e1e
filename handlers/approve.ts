/** Approval re-authorized at decision time (DESIGN §7.3), for `/dp approve <id>` and the Approve button. */
import { hasRole } from '../bot/access.js';
import type { Reply } from '../bot/chat-port.js';
import { findCluster } from '../bot/config.js';
import { AccessDeniedError, UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import { auditProposal } from '../jobs/approvals/audit-events.js';
import { approvalCard, cardVersion } from '../jobs/approvals/card.js';
import { actionHash, type Proposal } from '../jobs/approvals/proposal.js';
import { type ApprovalFlow, requireApprovalFlow } from './backup.js';
import type { CommandSpec, HandlerContext } from './handler.js';

const usage = '/dp approve <id>';
const ID = /^[a-z2-9]{10}$/;

const REFUSALS: Record<string, string> = {
  expired: 'This proposal has expired; ask for a new one.',
  'hash-mismatch':
    'The action changed since this card was posted; nothing was approved. Ask for a new proposal.',
  self: 'You requested this yourself: a second person must approve it.',
  already: 'You already approved this; it needs another approver.',
};

/** Refuses with a clear reply and an audit event. */
async function refuse(
  flow: ApprovalFlow,
  ctx: HandlerContext,
  p: Proposal,
  why: string,
  denied = false,
): Promise<never> {
  await auditProposal(flow.audit, ctx.clock, p, ctx.request.user.id, 'refused', why);
  throw denied ? new AccessDeniedError(why) : new UserFacingError(why);
}

/** Loads the proposal and checks the caller may decide on it (approver of its cluster). */
export async function loadForDecision(
  ctx: HandlerContext,
  flow: ApprovalFlow,
  id: string | undefined,
  usage: string,
): Promise<Proposal> {
  if (!id) throw new UserFacingError('Which proposal? Give its id (see /dp approvals).', usage);
  if (!ID.test(id)) throw new UserFacingError(`"${id.slice(0, 40)}" is not a proposal id.`, usage);
  const p = await flow.proposals.get(id);
  const cluster = p && findCluster(ctx.config, p.cluster);
  if (!p || !cluster || !hasRole(cluster, ctx.request.user, 'viewer'))
    throw new UserFacingError(`There is no proposal ${id}. See /dp approvals.`, usage);
  if (!hasRole(cluster, ctx.request.user, 'approver'))
    return refuse(flow, ctx, p, `${ctx.request.user.id} is not an approver of ${cluster.name}.`, true);
  return p;
}

export function notPendingText(status: string): string {
  return status === 'expired'
    ? REFUSALS.expired
    : `This proposal is already ${status}; there is nothing to decide.`;
}

/** The atomic approve step; on success queues execute (jobId = proposal id) and updates the card. */
export async function approveProposal(
  ctx: HandlerContext,
  id: string | undefined,
  clickedHash: string | undefined,
  via: 'click' | 'command',
): Promise<Reply> {
  const flow = requireApprovalFlow(ctx);
  const p = await loadForDecision(ctx, flow, id, usage);
  // The stored action must still hash to the stored hash, and a button must carry that same hash.
  const hash = clickedHash ?? p.hash;
  if (actionHash(p.action) !== p.hash || hash !== p.hash)
    return refuse(flow, ctx, p, REFUSALS['hash-mismatch']);
  const r = await flow.proposals.approve(p.id, ctx.request.user.id, hash, ctx.clock.now().getTime());
  if (r.result === 'not-found') throw new UserFacingError(`There is no proposal ${p.id}.`, usage);
  if (r.result === 'not-pending') return refuse(flow, ctx, p, notPendingText(r.status));
  if (r.result !== 'approved' && r.result !== 'counted') return refuse(flow, ctx, p, REFUSALS[r.result]);
  const done = r.proposal;
  await auditProposal(
    flow.audit,
    ctx.clock,
    done,
    ctx.request.user.id,
    r.result === 'approved' ? 'approved' : 'approve',
    r.result === 'approved'
      ? `approved (${done.approvals.length}/${done.required}); starting`
      : `counted (${done.approvals.length}/${done.required})`,
  );
  if (r.result === 'approved') await flow.actions.execute(done.id);
  const card = approvalCard(done, ctx.clock.now());
  if (via === 'click') return { message: card, replaceOriginal: true };
  await flow.actions.updateCard(done.card, card, cardVersion(done));
  return {
    message: textMessage(
      r.result === 'approved'
        ? `Approved ${done.id}: ${done.action.kind} ${done.action.name} is being created on ${done.cluster}; the card will show progress.`
        : `Approval counted for ${done.id} (${done.approvals.length}/${done.required}).`,
    ),
  };
}

export const approveCommand: CommandSpec = {
  name: 'approve',
  usage,
  summary: 'approve a pending backup/restore (same as the button)',
  role: 'approver',
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new UserFacingError('Give one proposal id.', usage);
    return approveProposal(ctx, args.positionals[0], undefined, 'command');
  },
};
