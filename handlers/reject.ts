import type { Reply } from '../bot/chat-port.js';
import { UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import { auditProposal } from '../jobs/approvals/audit-events.js';
import { approvalCard, cardVersion } from '../jobs/approvals/card.js';
import { loadForDecision, notPendingText } from './approve.js';
import { requireApprovalFlow, requireReason } from './backup.js';
import type { CommandSpec, HandlerContext } from './handler.js';

const usage = '/dp reject <id> [--reason "…"]';

export async function rejectProposal(
  ctx: HandlerContext,
  id: string | undefined,
  clickedHash: string | undefined,
  reason: string | undefined,
  via: 'click' | 'command',
): Promise<Reply> {
  const flow = requireApprovalFlow(ctx);
  const p = await loadForDecision(ctx, flow, id, usage);
  const r = await flow.proposals.reject(
    p.id,
    ctx.request.user.id,
    clickedHash,
    ctx.clock.now().getTime(),
    reason,
  );
  if (r.result !== 'rejected') {
    const why =
      r.result === 'not-pending'
        ? notPendingText(r.status)
        : r.result === 'expired'
          ? 'This proposal has expired already.'
          : r.result === 'hash-mismatch'
            ? 'The action changed since this card was posted.'
            : `There is no proposal ${p.id}.`;
    await auditProposal(flow.audit, ctx.clock, p, ctx.request.user.id, 'refused', `reject refused: ${why}`);
    throw new UserFacingError(why);
  }
  const done = r.proposal;
  await auditProposal(
    flow.audit,
    ctx.clock,
    done,
    ctx.request.user.id,
    'reject',
    `rejected${reason ? `: ${reason}` : ''}`,
  );
  const card = approvalCard(done, ctx.clock.now());
  if (via === 'click') return { message: card, replaceOriginal: true };
  await flow.actions.updateCard(done.card, card, cardVersion(done));
  return { message: textMessage(`Rejected ${done.id}; nothing will be changed on ${done.cluster}.`) };
}

export const rejectCommand: CommandSpec = {
  name: 'reject',
  usage,
  summary: 'reject a pending backup/restore (same as the button)',
  role: 'approver',
  flags: ['reason'],
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new UserFacingError('Give one proposal id.', usage);
    return rejectProposal(
      ctx,
      args.positionals[0],
      undefined,
      requireReason(args.flags.reason, usage),
      'command',
    );
  },
};
