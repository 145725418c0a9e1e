/**
 * A scheduler tick → one drill proposal (DESIGN §10). At most one per `drills.every` per cluster,
 * however often the scheduler fires (BullMQ runs an `every` scheduler once when it is created, and
 * every replica re-syncs it at startup): a Redis claim with that lifetime decides. The card is posted
 * to the cluster's first alert channel; preflight turns it into the approval card (or, with
 * `drills.approvals: 0`, runs the drill unattended).
 */
import type { Conversation, MessageRef } from '../../bot/chat-port.js';
import { findCluster } from '../../bot/config.js';
import type { BotMessage } from '../../bot/message.js';
import type { ActionProcessorDeps } from '../action/deps.js';
import { checkingCard } from '../approvals/card.js';
import { newProposalId, type ProposalRequest } from '../approvals/proposal.js';
import type { ActionResult } from '../queues.js';

/** Posts a new message and says where it landed (the notify queue behind it). */
export interface CardPoster {
  targets(cluster: string): Promise<Conversation[]>;
  post(to: Conversation, message: BotMessage): Promise<MessageRef>;
}

export const SCHEDULED_REQUESTER = 'dpbot';

export async function proposeScheduledDrill(
  deps: ActionProcessorDeps,
  clusterName: string,
): Promise<ActionResult> {
  const cluster = findCluster(deps.config, clusterName);
  if (!cluster?.drills.everyMs || !deps.drillStore || !deps.cardPoster) return { phase: 'not scheduled' };
  // 90 %: a tick that fires a little early must not skip a whole interval.
  if (!(await deps.drillStore.claimSchedule(cluster.name, Math.floor(cluster.drills.everyMs * 0.9))))
    return { phase: 'already proposed this interval' };
  const [to] = await deps.cardPoster.targets(cluster.name);
  const at = deps.clock.now().toISOString();
  if (!to) {
    deps.logger.warn(
      { cluster: cluster.name },
      'scheduled drill skipped: the cluster has no alert channel or subscription',
    );
    await deps.audit.append({
      at,
      cluster: cluster.name,
      actor: SCHEDULED_REQUESTER,
      event: 'preflight-failed',
      what: 'scheduled drill',
      outcome: 'no alert channel to post the card to',
    });
    return { phase: 'no channel' };
  }
  const id = newProposalId();
  const request: ProposalRequest = {
    kind: 'drill',
    cluster: cluster.name,
    requester: SCHEDULED_REQUESTER,
    requesterName: 'scheduled drill',
    backup: 'latest',
    scheduled: true,
    reason: `drills.every ${Math.round(cluster.drills.everyMs / 86_400_000) || '<1'}d`,
    requestedAt: at,
    card: { ...to, id: '' },
  };
  const card = await deps.cardPoster.post(to, checkingCard(request));
  await deps.audit.append({
    at,
    cluster: cluster.name,
    actor: SCHEDULED_REQUESTER,
    event: 'request',
    what: 'scheduled drill from latest',
    outcome: 'preflight queued',
    proposal: id,
  });
  await deps.requests.preflight(id, { ...request, card });
  return { phase: 'Proposed' };
}
