import { hasRole } from '../bot/access.js';
import { findCluster } from '../bot/config.js';
import { formatDuration } from '../bot/duration.js';
import { UserFacingError } from '../bot/errors.js';
import type { BotMessage } from '../bot/message.js';
import type { CommandSpec } from './handler.js';

const usage = '/dp approvals';

/** Pending proposals of clusters the caller can view, soonest-expiring first. */
export const approvalsCommand: CommandSpec = {
  name: 'approvals',
  usage,
  summary: 'pending approvals',
  role: 'viewer',
  async run(args, ctx) {
    if (args.positionals.length) throw new UserFacingError('/dp approvals takes no arguments.', usage);
    const now = ctx.clock.now().getTime();
    const rows = (await ctx.proposals.pending())
      .filter((p) => Date.parse(p.expiresAt) > now)
      .filter((p) => {
        const c = findCluster(ctx.config, p.cluster);
        return c !== undefined && hasRole(c, ctx.request.user, 'viewer');
      })
      .map((p) => [
        p.id,
        p.cluster,
        p.kind === 'restore'
          ? `restore from ${(p.action.object.spec as { backupName?: string }).backupName}`
          : `backup ${p.action.name}`,
        p.requester,
        `${p.approvals.length}/${p.required}`,
        `in ${formatDuration(Date.parse(p.expiresAt) - now)}`,
      ]);
    const message: BotMessage = {
      kind: 'approvals',
      title: 'Pending approvals',
      summary: rows.length ? `${rows.length} pending approval(s)` : 'No pending approvals.',
      tone: 'info',
      sections: rows.length
        ? [
            {
              type: 'table',
              columns: ['id', 'cluster', 'action', 'requested by', 'approvals', 'expires'],
              rows,
            },
            { type: 'context', text: 'Approve on the card, or /dp approve <id> · /dp reject <id>' },
          ]
        : [{ type: 'text', text: 'No pending approvals.' }],
    };
    return { message };
  },
};
