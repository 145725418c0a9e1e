import { hasRole } from '../bot/access.js';
import type { Reply } from '../bot/chat-port.js';
import { UserFacingError } from '../bot/errors.js';
import { auditProposal } from '../jobs/approvals/audit-events.js';
import { decideRejection, type RejectionRefusal } from '../jobs/approvals/decide-approval.js';
import type { Proposal } from '../jobs/approvals/proposal.js';
import {
  decidedReply,
  loadForDecision,
  MAX_DECISION_ATTEMPTS,
  notApproverText,
  notPendingText,
  refuse,
  requireReason,
} from './approval-flow.js';
import type { CommandSpec, HandlerContext } from './handler.js';
import { countErrorText } from './run-command.js';

const usage = '/dp reject <id> [--reason "…"]';

const REFUSALS: Record<Exclude<RejectionRefusal, 'not-pending'>, string> = {
  expired: 'This proposal has expired already.',
  'hash-mismatch': 'The action changed since this card was posted.',
};

export async function rejectProposal(
  ctx: HandlerContext,
  id: string | undefined,
  clickedHash: string | undefined,
  reason: string | undefined,
  via: 'click' | 'command',
): Promise<Reply> {
  const user = ctx.request.user;
  let { p, cluster } = await loadForDecision(ctx, id, usage);
  if (!hasRole(cluster, user, 'approver')) return refuse(ctx, p, notApproverText(ctx, cluster), true);
  let done: Proposal | undefined;
  for (let attempt = 0; !done && attempt < MAX_DECISION_ATTEMPTS; attempt++) {
    if (attempt) {
      const again = await ctx.proposals.get(p.id);
      if (!again) {
        const why = `There is no proposal ${p.id}.`;
        await auditProposal(ctx.audit, ctx.clock, p, user.id, 'refused', `reject refused: ${why}`);
        throw new UserFacingError(why);
      }
      p = again;
    }
    const d = decideRejection(p, clickedHash, ctx.clock.now());
    if (d.verdict === 'refuse') {
      const why = d.reason === 'not-pending' ? notPendingText(p.status) : REFUSALS[d.reason];
      await auditProposal(ctx.audit, ctx.clock, p, user.id, 'refused', `reject refused: ${why}`);
      throw new UserFacingError(why);
    }
    if ((await ctx.proposals.markRejected(p.id, user.id, reason)) === 'applied')
      done = { ...p, status: 'rejected', decidedBy: user.id, ...(reason ? { rejectReason: reason } : {}) };
  }
  if (!done) throw new Error(`rejection of ${p.id} stayed stale after ${MAX_DECISION_ATTEMPTS} attempts`);
  await auditProposal(
    ctx.audit,
    ctx.clock,
    done,
    user.id,
    'reject',
    `rejected${reason ? `: ${reason}` : ''}`,
  );
  return decidedReply(ctx, done, via, `Rejected ${done.id}; nothing will be changed on ${done.cluster}.`);
}

export const rejectCommand: CommandSpec = {
  name: 'reject',
  usage,
  summary: 'reject a pending backup/restore (same as the button)',
  role: 'approver',
  flags: ['reason'],
  async run(args, ctx) {
    if (args.positionals.length > 1)
      throw new UserFacingError(
        countErrorText('Give one proposal id.', rejectCommand, args.positionals, 1),
        usage,
      );
    return rejectProposal(
      ctx,
      args.positionals[0],
      undefined,
      requireReason(args.flags.reason, usage),
      'command',
    );
  },
};
