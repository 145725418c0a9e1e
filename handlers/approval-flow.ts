/**
 * Handler code shared by the approval commands and clicks (DESIGN §7): proposing (backup, restore,
 * drill) and deciding (approve, reject). The rules themselves are in jobs/approvals/decide-approval.ts.
 */
import { hasRole } from '../bot/access.js';
import type { Reply } from '../bot/chat-port.js';
import { type ClusterConfig, findCluster } from '../bot/config.js';
import { AccessDeniedError, UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import { auditProposal } from '../jobs/approvals/audit-events.js';
import { approvalCard, cardVersion, checkingCard } from '../jobs/approvals/card.js';
import type { Proposal, ProposalKind, ProposalRequest } from '../jobs/approvals/proposal.js';
import type { HandlerContext } from './handler.js';

export function requireReason(value: string | true | undefined, usage: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.trim())
    throw new UserFacingError('--reason needs some text.', usage);
  if (value.length > 300) throw new UserFacingError('--reason is limited to 300 characters.', usage);
  return value.trim();
}

/** What every proposal request starts with: who asks, for which cluster, when, and why. */
export function proposalRequest(
  ctx: HandlerContext,
  kind: ProposalKind,
  cluster: ClusterConfig,
  reason: string | true | undefined,
  usage: string,
): Omit<ProposalRequest, 'card'> {
  const request: Omit<ProposalRequest, 'card'> = {
    kind,
    cluster: cluster.name,
    requester: ctx.request.user.id,
    requesterName: ctx.request.user.displayName,
    requestedAt: ctx.clock.now().toISOString(),
  };
  const why = requireReason(reason, usage);
  if (why) request.reason = why;
  return request;
}

/** The visible "Checking…" reply; afterPost audits the request and queues preflight for that message. */
export function proposeReply(ctx: HandlerContext, id: string, request: Omit<ProposalRequest, 'card'>): Reply {
  return {
    message: checkingCard({ ...request, card: { platform: ctx.request.platform, channel: '', id: '' } }),
    afterPost: async (ref) => {
      await ctx.audit.append({
        at: ctx.clock.now().toISOString(),
        cluster: request.cluster,
        actor: request.requester,
        event: 'request',
        what: `${request.kind}${request.backup ? ` from ${request.backup}` : ''}${request.schedule ? ` from schedule ${request.schedule}` : ''}${request.reason ? ` — ${request.reason}` : ''}`,
        outcome: 'preflight queued',
        proposal: id,
      });
      await ctx.actions.preflight(id, { ...request, card: ref });
      return { expectUpdate: true };
    },
  };
}

const ID = /^[a-z2-9]{10}$/;

/** Refuses with a clear reply and an audit event. */
export async function refuse(ctx: HandlerContext, p: Proposal, why: string, denied = false): Promise<never> {
  await auditProposal(ctx.audit, ctx.clock, p, ctx.request.user.id, 'refused', why);
  throw denied ? new AccessDeniedError(why) : new UserFacingError(why);
}

/** Loads a proposal the caller can see (a viewer of its cluster); anything else reads as "no such id". */
export async function loadForDecision(
  ctx: HandlerContext,
  id: string | undefined,
  usage: string,
): Promise<{ p: Proposal; cluster: ClusterConfig }> {
  if (!id) throw new UserFacingError('Which proposal? Give its id (see /dp approvals).', usage);
  if (!ID.test(id)) throw new UserFacingError(`"${id.slice(0, 40)}" is not a proposal id.`, usage);
  const p = await ctx.proposals.get(id);
  const cluster = p && findCluster(ctx.config, p.cluster);
  const hidden = `There is no proposal ${id}. See /dp approvals.`;
  if (!p || !cluster) throw new UserFacingError(hidden, usage);
  // Someone who may not see the cluster is told nothing more, but the refusal is audited (DESIGN §7.3).
  if (!hasRole(cluster, ctx.request.user, 'viewer')) {
    await auditProposal(
      ctx.audit,
      ctx.clock,
      p,
      ctx.request.user.id,
      'refused',
      `${ctx.request.user.id} is not a viewer of ${cluster.name}`,
    );
    throw new UserFacingError(hidden, usage);
  }
  return { p, cluster };
}

export function notApproverText(ctx: HandlerContext, cluster: ClusterConfig): string {
  return `${ctx.request.user.id} is not an approver of ${cluster.name}.`;
}

export const EXPIRED_TEXT = 'This proposal has expired; ask for a new one.';

export function notPendingText(status: string): string {
  return status === 'expired'
    ? EXPIRED_TEXT
    : `This proposal is already ${status}; there is nothing to decide.`;
}

/** Reads the proposal again after a stale step; it may have vanished meanwhile. */
export async function reread(ctx: HandlerContext, id: string, usage?: string): Promise<Proposal> {
  const p = await ctx.proposals.get(id);
  if (!p) throw new UserFacingError(`There is no proposal ${id}.`, usage);
  return p;
}

/** A stale step means another decision landed first; decisions are finite, so this bound is never hit. */
export const MAX_DECISION_ATTEMPTS = 100;

/** After a decision: a click replaces its card; a command updates the card and answers `text`. */
export async function decidedReply(
  ctx: HandlerContext,
  done: Proposal,
  via: 'click' | 'command',
  text: string,
): Promise<Reply> {
  const card = approvalCard(done, ctx.clock.now());
  if (via === 'click') return { message: card, replaceOriginal: true };
  await ctx.actions.updateCard(done.card, card, cardVersion(done));
  return { message: textMessage(text) };
}
