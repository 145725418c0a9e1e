import type { BotMessage } from '../bot/message.js';
import { requirePositiveInt } from '../bot/validate.js';
import type { ClusterCommandSpec } from './handler.js';

const usage = '/dp audit <cluster> [--limit N]';

/** The latest audit events of one cluster, newest first. */
export const auditCommand: ClusterCommandSpec = {
  name: 'audit',
  usage,
  summary: 'recent audit events: requests, approvals, refusals, expiries, outcomes',
  role: 'viewer',
  cluster: { arg: 0, role: 'viewer', positionals: 1, countError: 'Name exactly one cluster.' },
  flags: ['limit'],
  async run(args, ctx, cluster) {
    const limit =
      typeof args.flags.limit === 'string' ? requirePositiveInt(args.flags.limit, '--limit', 200, usage) : 20;
    const events = await ctx.audit.latest(cluster.name, limit);
    const rows = events.map((e) => [
      e.at.replace(/\.\d+Z$/, 'Z'),
      e.actor,
      e.event,
      e.proposal ?? '',
      e.what,
      e.outcome,
    ]);
    const message: BotMessage = {
      kind: 'audit',
      title: `Audit: ${cluster.name}`,
      summary: `${rows.length} audit event(s) for ${cluster.name}`,
      tone: 'info',
      sections: rows.length
        ? [{ type: 'table', columns: ['at', 'who', 'event', 'proposal', 'what', 'outcome'], rows }]
        : [{ type: 'text', text: `No audit events for ${cluster.name} yet.` }],
    };
    return { message };
  },
};
