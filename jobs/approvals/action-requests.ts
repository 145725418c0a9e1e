/** ActionRequests over BullMQ: idempotent job ids make a redelivered command or click do nothing new. */
import type { Queue } from 'bullmq';
import type { MessageRef } from '../../bot/chat-port.js';
import type { BotMessage } from '../../bot/message.js';
import type { NotifyJobData, NotifyResult } from '../notify-job.js';
import type { ActionJobData, ActionResult } from '../queues.js';
import type { ActionRequests } from './ports.js';
import type { ProposalRequest } from './proposal.js';

export const PREFLIGHT_JOB = 'preflight';
export const EXECUTE_JOB = 'execute';
export const EXPIRE_JOB = 'expire';

/** A notify job id per card state (see cardVersion), so the same update is never queued twice. */
export function cardJobId(version: string): string {
  return `card-${version.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export class QueueActionRequests implements ActionRequests {
  constructor(
    private readonly action: Queue<ActionJobData, ActionResult>,
    private readonly notify: Queue<NotifyJobData, NotifyResult>,
  ) {}

  async preflight(proposalId: string, request: ProposalRequest): Promise<void> {
    await this.action.add(PREFLIGHT_JOB, { proposalId, request }, { jobId: `preflight-${proposalId}` });
  }

  async execute(proposalId: string): Promise<void> {
    // jobId = proposal id (DESIGN §7.4): a second approval or a retry never queues a second run.
    await this.action.add(EXECUTE_JOB, { proposalId }, { jobId: proposalId });
  }

  async expireAt(proposalId: string, atMs: number): Promise<void> {
    await this.action.add(
      EXPIRE_JOB,
      { proposalId },
      { jobId: `expire-${proposalId}`, delay: Math.max(0, atMs - Date.now()) },
    );
  }

  async updateCard(ref: MessageRef, message: BotMessage, version: string): Promise<void> {
    await this.notify.add('notify', { op: 'update', ref, message }, { jobId: cardJobId(version) });
  }
}
