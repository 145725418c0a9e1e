import { parseDuration } from '../bot/duration.js';
import { UserFacingError } from '../bot/errors.js';
import { requireLabel, requireList } from '../bot/validate.js';
import { newProposalId, type ProposalRequest } from '../jobs/approvals/proposal.js';
import { proposalRequest, proposeReply } from './approval-flow.js';
import type { ClusterCommandSpec } from './handler.js';

const usage = '/dp backup <cluster> [--schedule S | --namespaces a,b] [--ttl 720h] [--reason "…"]';

/** Velero's ttl is a Go duration: `720h` → `720h0m0s`. */
function requireTtl(value: string, usage: string): string {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 60_000 || ms % 1000 !== 0)
    throw new UserFacingError(
      `--ttl must be a duration of at least 1m such as 720h, not "${value.slice(0, 40)}".`,
      usage,
    );
  const s = ms / 1000;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

export const backupCommand: ClusterCommandSpec = {
  name: 'backup',
  usage,
  summary: 'proposes an on-demand Velero backup → approval card',
  role: 'operator',
  cluster: { arg: 0, role: 'operator', positionals: 1, countError: 'Name exactly one cluster.' },
  flags: ['schedule', 'namespaces', 'ttl', 'reason'],
  async run(args, ctx, cluster) {
    if (args.flags.schedule !== undefined && args.flags.namespaces !== undefined)
      throw new UserFacingError('Use either --schedule or --namespaces, not both.', usage);
    const backup: Partial<ProposalRequest> = {};
    if (typeof args.flags.schedule === 'string')
      backup.schedule = requireLabel(args.flags.schedule, 'schedule name', usage);
    if (typeof args.flags.namespaces === 'string')
      backup.namespaces = requireList(args.flags.namespaces, '--namespaces', usage);
    if (typeof args.flags.ttl === 'string') backup.ttl = requireTtl(args.flags.ttl, usage);
    const request = { ...proposalRequest(ctx, 'backup', cluster, args.flags.reason, usage), ...backup };
    return proposeReply(ctx, newProposalId(), request);
  },
};
