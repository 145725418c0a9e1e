import { UserFacingError } from '../bot/errors.js';
import { requireList, requireSubdomain } from '../bot/validate.js';
import type { ProposalRequest } from '../jobs/approvals/proposal.js';
import { newProposalId } from '../jobs/approvals/proposal.js';
import { requireCluster } from './authorize.js';
import { proposeReply, requireApprovalFlow, requireMapping, requireReason } from './backup.js';
import type { CommandSpec } from './handler.js';

const usage =
  '/dp restore <cluster> --backup NAME [--namespaces a,b] [--map old:new,…] [--existing none|update] [--allow-partial] [--reason "…"]';

/** Validates and authorizes; the action worker runs preflight and turns the reply into the approval card. */
export const restoreCommand: CommandSpec = {
  name: 'restore',
  usage,
  summary: 'proposes a Velero restore → approval card with a preview',
  role: 'operator',
  booleanFlags: ['allow-partial'],
  flags: ['backup', 'namespaces', 'map', 'existing', 'reason', 'allow-partial'],
  async run(args, ctx) {
    const flow = requireApprovalFlow(ctx);
    if (args.positionals.length !== 1) throw new UserFacingError('Name exactly one cluster.', usage);
    const cluster = requireCluster(ctx, args.positionals[0], 'operator', usage);
    if (typeof args.flags.backup !== 'string')
      throw new UserFacingError('Which backup? Add --backup NAME.', usage);
    const backup = requireSubdomain(args.flags.backup, 'backup name', usage);
    const existing = args.flags.existing ?? 'none';
    if (existing !== 'none' && existing !== 'update')
      throw new UserFacingError(
        `--existing must be "none" or "update", not "${String(existing).slice(0, 40)}".`,
        usage,
      );
    const request: Omit<ProposalRequest, 'card'> = {
      kind: 'restore',
      cluster: cluster.name,
      requester: ctx.request.user.id,
      requesterName: ctx.request.user.displayName,
      backup,
      existing,
      requestedAt: ctx.clock.now().toISOString(),
    };
    if (typeof args.flags.namespaces === 'string')
      request.namespaces = requireList(args.flags.namespaces, '--namespaces', usage);
    if (typeof args.flags.map === 'string') request.mapping = requireMapping(args.flags.map, usage);
    if (args.flags['allow-partial'] === true) request.allowPartial = true;
    const reason = requireReason(args.flags.reason, usage);
    if (reason) request.reason = reason;
    return proposeReply(ctx, flow, newProposalId(), request);
  },
};
