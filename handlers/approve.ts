/** Approval re-authorized at decision time (DESIGN §7.3), for `/dp approve <id>` and the Approve button. */
import { hasRole } from '../bot/access.js';
import type { Reply } from '../bot/chat-port.js';
import { UserFacingError } from '../bot/errors.js';
import { auditProposal } from '../jobs/approvals/audit-events.js';
import { type ApprovalRefusal, decideApproval } from '../jobs/approvals/decide-approval.js';
import type { Proposal } from '../jobs/approvals/proposal.js';
import {
  decidedReply,
  EXPIRED_TEXT,
  loadForDecision,
  MAX_DECISION_ATTEMPTS,
  notApproverText,
  notPendingText,
  refuse,
  reread,
} from './approval-flow.js';
import type { CommandSpec, HandlerContext } from './handler.js';

const usage = '/dp approve <id>';

const REFUSALS: Record<Exclude<ApprovalRefusal, 'not-approver' | 'not-pending'>, string> = {
  expired: EXPIRED_TEXT,
  'hash-mismatch':
    'The action changed since this card was posted; nothing was approved. Ask for a new proposal.',
  self: 'You requested this yourself: a second person must approve it.',
  already: 'You already approved this; it needs another approver.',
};

/** Decides, then performs the atomic step; on approval queues execute (jobId = proposal id) and updates the card. */
export async function approveProposal(
  ctx: HandlerContext,
  id: string | undefined,
  clickedHash: string | undefined,
  via: 'click' | 'command',
): Promise<Reply> {
  const user = ctx.request.user;
  let { p, cluster } = await loadForDecision(ctx, id, usage);
  // A button must carry the hash it showed; a command approves what is stored.
  const hash = clickedHash ?? p.hash;
  let done: Proposal | undefined;
  let approved = false;
  for (let attempt = 0; !done && attempt < MAX_DECISION_ATTEMPTS; attempt++) {
    if (attempt) p = await reread(ctx, p.id, usage);
    const isApprover = hasRole(cluster, user, 'approver');
    const d = decideApproval(p, { id: user.id, isApprover }, hash, ctx.clock.now());
    if (d.verdict === 'refuse') {
      if (d.reason === 'not-approver') return refuse(ctx, p, notApproverText(ctx, cluster), true);
      return refuse(ctx, p, d.reason === 'not-pending' ? notPendingText(p.status) : REFUSALS[d.reason]);
    }
    if ((await ctx.proposals.countApproval(p, d.approvals, d.approved)) === 'applied') {
      done = { ...p, approvals: d.approvals, status: d.approved ? 'approved' : 'pending' };
      approved = d.approved;
    }
  }
  if (!done) throw new Error(`approval of ${p.id} stayed stale after ${MAX_DECISION_ATTEMPTS} attempts`);
  const count = `${done.approvals.length}/${done.required}`;
  await auditProposal(
    ctx.audit,
    ctx.clock,
    done,
    user.id,
    approved ? 'approved' : 'approve',
    approved ? `approved (${count}); starting` : `counted (${count})`,
  );
  if (approved) await ctx.actions.execute(done.id);
  return decidedReply(
    ctx,
    done,
    via,
    approved
      ? `Approved ${done.id}: ${done.action.kind} ${done.action.name} is being created on ${done.cluster}; the card will show progress.`
      : `Approval counted for ${done.id} (${count}).`,
  );
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
