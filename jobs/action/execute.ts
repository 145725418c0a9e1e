/**
 * The `execute` step (jobId = proposal id): create the Velero object under its fixed name (409 on our
 * own object = already done), then follow it to a terminal phase. Following re-schedules the same job
 * (moveToDelayed) instead of sleeping, so no worker slot is held for hours and a crash loses nothing.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { findCluster } from '../../bot/config.js';
import { auditProposal } from '../approvals/audit-events.js';
import { approvalCard, cardVersion } from '../approvals/card.js';
import {
  actionHash,
  isFinished,
  type Outcome,
  PROPOSAL_LABEL,
  type Proposal,
  TERMINAL_PHASES,
} from '../approvals/proposal.js';
import type { ActionJobData, ActionResult } from '../queues.js';
import type { ActionProcessorDeps } from './deps.js';

export function outcomeOf(kind: Proposal['kind'], status: Record<string, unknown>, at: string): Outcome {
  const progress = (status.progress ?? {}) as {
    itemsBackedUp?: number;
    itemsRestored?: number;
    totalItems?: number;
  };
  const o: Outcome = { phase: String(status.phase || 'New'), at };
  const done = kind === 'restore' ? progress.itemsRestored : progress.itemsBackedUp;
  if (typeof progress.totalItems === 'number') [o.itemsDone, o.totalItems] = [done ?? 0, progress.totalItems];
  if (typeof status.errors === 'number') o.errors = status.errors;
  if (typeof status.warnings === 'number') o.warnings = status.warnings;
  if (typeof status.failureReason === 'string' && status.failureReason)
    o.failureReason = status.failureReason;
  if (Array.isArray(status.validationErrors) && status.validationErrors.length)
    o.validationErrors = status.validationErrors.map(String);
  return o;
}

async function showCard(deps: ActionProcessorDeps, id: string): Promise<void> {
  const p = await deps.proposals.get(id);
  if (p) await deps.requests.updateCard(p.card, approvalCard(p, deps.clock.now()), cardVersion(p));
}

async function finish(deps: ActionProcessorDeps, p: Proposal, outcome: Outcome): Promise<ActionResult> {
  const status = outcome.phase === 'Completed' ? 'succeeded' : 'failed';
  await deps.proposals.finish(p.id, status, outcome);
  await auditProposal(
    deps.audit,
    deps.clock,
    p,
    'dpbot',
    'outcome',
    `${outcome.phase} (${outcome.errors ?? 0} errors, ${outcome.warnings ?? 0} warnings)`,
  );
  await showCard(deps, p.id);
  return { phase: outcome.phase };
}

export async function executeProposal(
  deps: ActionProcessorDeps,
  job: Job<ActionJobData, ActionResult>,
  token: string | undefined,
): Promise<ActionResult> {
  const id = job.data.proposalId;
  const p = await deps.proposals.get(id);
  if (!p) throw new UnrecoverableError(`proposal ${id} does not exist`);
  if (isFinished(p.status)) return { phase: p.outcome?.phase ?? p.status };
  if (!(await deps.proposals.startRun(id)))
    throw new UnrecoverableError(`proposal ${id} is ${p.status}, not approved`);
  const cluster = findCluster(deps.config, p.cluster);
  const now = () => deps.clock.now().toISOString();
  if (!cluster)
    return finish(deps, p, {
      phase: 'Failed',
      failureReason: `cluster ${p.cluster} is no longer configured`,
      at: now(),
    });
  if (!p.created) {
    if (p.action.namespace !== cluster.checks.backups.veleroNamespace)
      return finish(deps, p, {
        phase: 'Failed',
        failureReason: `dpbot creates Velero objects only in ${cluster.checks.backups.veleroNamespace}, not ${p.action.namespace}`,
        at: now(),
      });
    if (actionHash(p.action) !== p.hash)
      return finish(deps, p, {
        phase: 'Failed',
        failureReason: 'the stored action does not match its hash; nothing was created',
        at: now(),
      });
    const r = await deps.velero.create(cluster, p.action);
    if (!r.created) {
      const owner = (r.existing.metadata as { labels?: Record<string, string> } | undefined)?.labels?.[
        PROPOSAL_LABEL
      ];
      if (owner !== id)
        return finish(deps, p, {
          phase: 'Failed',
          failureReason: `${p.action.kind} ${p.action.name} already exists and was not created for this proposal`,
          at: now(),
        });
      deps.logger.info(
        { cluster: p.cluster, jobId: job.id, queue: 'action', proposal: id, name: p.action.name },
        'Velero object already exists (ours): carrying on',
      );
    }
    await deps.proposals.markCreated(id);
    await auditProposal(
      deps.audit,
      deps.clock,
      p,
      'dpbot',
      'create',
      r.created ? 'created' : 'already existed (409), carrying on',
    );
    await showCard(deps, id);
  }
  const obj = await deps.velero.getObject(cluster, p.action);
  if (!obj)
    return finish(deps, p, {
      phase: 'Failed',
      failureReason: `${p.action.kind} ${p.action.name} disappeared from the cluster`,
      at: now(),
    });
  const outcome = outcomeOf(p.kind, obj.status, now());
  if (TERMINAL_PHASES.includes(outcome.phase)) return finish(deps, p, outcome);
  if (await deps.proposals.recordProgress(id, outcome)) await showCard(deps, id);
  const polls = job.data.polls ?? 0;
  const { initial, max } = deps.pollMs ?? { initial: 2000, max: 15_000 };
  await job.updateData({ ...job.data, polls: polls + 1 });
  if (!token) throw new Error('execute needs a worker token to re-schedule itself');
  await job.moveToDelayed(Date.now() + Math.min(max, initial * 2 ** Math.min(polls, 10)), token);
  throw new DelayedError();
}
