import { UserFacingError } from '../bot/errors.js';
import { requireList, requireSubdomain } from '../bot/validate.js';
import { newProposalId, type ProposalRequest } from '../jobs/approvals/proposal.js';
import { proposalRequest, proposeReply } from './approval-flow.js';
import type { ClusterCommandSpec } from './handler.js';

const usage = '/dp drill <cluster> [--backup NAME|latest] [--namespaces a,b] [--reason "…"]';

/** Validates and authorizes; the action worker's preflight picks the backup and builds the drill card. */
export const drillCommand: ClusterCommandSpec = {
  name: 'drill',
  usage,
  summary: 'proposes a restore drill → approval card; restores into scratch namespaces, verifies, cleans up',
  role: 'operator',
  cluster: { arg: 0, role: 'operator', positionals: 1, countError: 'Name exactly one cluster.' },
  flags: ['backup', 'namespaces', 'reason'],
  async run(args, ctx, cluster) {
    if (args.flags.backup === true)
      throw new UserFacingError('--backup needs a backup name or "latest".', usage);
    const backup =
      typeof args.flags.backup === 'string' && args.flags.backup !== 'latest'
        ? requireSubdomain(args.flags.backup, 'backup name', usage)
        : 'latest';
    const drill: Partial<ProposalRequest> = { backup };
    if (args.flags.namespaces !== undefined) {
      if (typeof args.flags.namespaces !== 'string')
        throw new UserFacingError('--namespaces needs a list such as pos,db.', usage);
      drill.namespaces = requireList(args.flags.namespaces, '--namespaces', usage);
    }
    const request = { ...proposalRequest(ctx, 'drill', cluster, args.flags.reason, usage), ...drill };
    return proposeReply(ctx, newProposalId(), request);
  },
};
