import { UserFacingError } from '../bot/errors.js';
import { requireLabel, requireList, requireSubdomain } from '../bot/validate.js';
import type { ProposalRequest } from '../jobs/approvals/proposal.js';
import { newProposalId } from '../jobs/approvals/proposal.js';
import { proposalRequest, proposeReply } from './approval-flow.js';
import type { ClusterCommandSpec } from './handler.js';

// DESIGN §2's usage as written, then dpbot's own addition.
const usage =
  '/dp restore <cluster> --backup NAME [--namespaces a,b] [--map old:new,…] [--existing none|update] [--reason "…"] [--allow-partial]';

/** `old:new,…` — both sides DNS-1123 labels. */
function requireMapping(value: string, usage: string): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [from, to, extra] = pair.split(':');
    if (!from || !to || extra !== undefined)
      throw new UserFacingError(
        `--map takes old:new pairs separated by commas, not "${pair.slice(0, 60)}".`,
        usage,
      );
    if (mapping[from]) throw new UserFacingError(`--map names "${from}" twice.`, usage);
    mapping[requireLabel(from, 'namespace', usage)] = requireLabel(to, 'namespace', usage);
  }
  if (!Object.keys(mapping).length)
    throw new UserFacingError('--map needs at least one old:new pair.', usage);
  return mapping;
}

/** Validates and authorizes; the action worker runs preflight and turns the reply into the approval card. */
export const restoreCommand: ClusterCommandSpec = {
  name: 'restore',
  usage,
  summary: 'proposes a Velero restore → approval card with a preview',
  role: 'operator',
  cluster: { arg: 0, role: 'operator', positionals: 1, countError: 'Name exactly one cluster.' },
  booleanFlags: ['allow-partial'],
  flags: ['backup', 'namespaces', 'map', 'existing', 'reason', 'allow-partial'],
  async run(args, ctx, cluster) {
    if (typeof args.flags.backup !== 'string')
      throw new UserFacingError('Which backup? Add --backup NAME.', usage);
    const backup = requireSubdomain(args.flags.backup, 'backup name', usage);
    const existing = args.flags.existing ?? 'none';
    if (existing !== 'none' && existing !== 'update')
      throw new UserFacingError(
        `--existing must be "none" or "update", not "${String(existing).slice(0, 40)}".`,
        usage,
      );
    const restore: Partial<ProposalRequest> = { backup, existing };
    if (typeof args.flags.namespaces === 'string')
      restore.namespaces = requireList(args.flags.namespaces, '--namespaces', usage);
    if (typeof args.flags.map === 'string') restore.mapping = requireMapping(args.flags.map, usage);
    if (args.flags['allow-partial'] === true) restore.allowPartial = true;
    const request = { ...proposalRequest(ctx, 'restore', cluster, args.flags.reason, usage), ...restore };
    return proposeReply(ctx, newProposalId(), request);
  },
};
