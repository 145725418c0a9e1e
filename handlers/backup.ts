import type { Reply } from '../bot/chat-port.js';
import { parseDuration } from '../bot/duration.js';
import { UserFacingError } from '../bot/errors.js';
import { requireLabel, requireList } from '../bot/validate.js';
import { checkingCard } from '../jobs/approvals/card.js';
import type { ActionRequests, AuditLog, ProposalStore } from '../jobs/approvals/ports.js';
import { newProposalId, type ProposalRequest } from '../jobs/approvals/proposal.js';
import { requireCluster } from './authorize.js';
import type { CommandSpec, HandlerContext } from './handler.js';

const usage = '/dp backup <cluster> [--schedule S | --namespaces a,b] [--ttl 720h] [--reason "…"]';

export interface ApprovalFlow {
  proposals: ProposalStore;
  audit: AuditLog;
  actions: ActionRequests;
}

export function requireApprovalFlow(ctx: HandlerContext): ApprovalFlow {
  const { proposals, audit, actions } = ctx;
  if (!proposals || !audit || !actions)
    throw new UserFacingError('Approvals are not enabled on this dpbot instance.');
  return { proposals, audit, actions };
}

export function requireReason(value: string | true | undefined, usage: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.trim())
    throw new UserFacingError('--reason needs some text.', usage);
  if (value.length > 300) throw new UserFacingError('--reason is limited to 300 characters.', usage);
  return value.trim();
}

/** `old:new,…` — both sides DNS-1123 labels. */
export function requireMapping(value: string, usage: string): Record<string, string> {
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

/** The visible "Checking…" reply; afterPost audits the request and queues preflight for that message. */
export function proposeReply(
  ctx: HandlerContext,
  flow: ApprovalFlow,
  id: string,
  request: Omit<ProposalRequest, 'card'>,
): Reply {
  return {
    message: checkingCard({ ...request, card: { platform: ctx.request.platform, channel: '', id: '' } }),
    afterPost: async (ref) => {
      await flow.audit.append({
        at: ctx.clock.now().toISOString(),
        cluster: request.cluster,
        actor: request.requester,
        event: 'request',
        what: `${request.kind}${request.backup ? ` from ${request.backup}` : ''}${request.schedule ? ` from schedule ${request.schedule}` : ''}${request.reason ? ` — ${request.reason}` : ''}`,
        outcome: 'preflight queued',
        proposal: id,
      });
      await flow.actions.preflight(id, { ...request, card: ref });
      return { expectUpdate: true };
    },
  };
}

export const backupCommand: CommandSpec = {
  name: 'backup',
  usage,
  summary: 'proposes an on-demand Velero backup → approval card',
  role: 'operator',
  flags: ['schedule', 'namespaces', 'ttl', 'reason'],
  async run(args, ctx) {
    const flow = requireApprovalFlow(ctx);
    if (args.positionals.length !== 1) throw new UserFacingError('Name exactly one cluster.', usage);
    const cluster = requireCluster(ctx, args.positionals[0], 'operator', usage);
    if (args.flags.schedule !== undefined && args.flags.namespaces !== undefined)
      throw new UserFacingError('Use either --schedule or --namespaces, not both.', usage);
    const request: Omit<ProposalRequest, 'card'> = {
      kind: 'backup',
      cluster: cluster.name,
      requester: ctx.request.user.id,
      requesterName: ctx.request.user.displayName,
      requestedAt: ctx.clock.now().toISOString(),
    };
    if (typeof args.flags.schedule === 'string')
      request.schedule = requireLabel(args.flags.schedule, 'schedule name', usage);
    if (typeof args.flags.namespaces === 'string')
      request.namespaces = requireList(args.flags.namespaces, '--namespaces', usage);
    if (typeof args.flags.ttl === 'string') request.ttl = requireTtl(args.flags.ttl, usage);
    const reason = requireReason(args.flags.reason, usage);
    if (reason) request.reason = reason;
    return proposeReply(ctx, flow, newProposalId(), request);
  },
};
