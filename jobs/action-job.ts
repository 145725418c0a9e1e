/**
 * action (proposal id) → preflight | execute | expire (DESIGN §5, §7). Preflight reads the cluster and
 * turns the "Checking…" reply into the approval card; execute creates and follows the Velero object;
 * expire marks a still-pending proposal expired at expiresAt.
 */
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { findCluster } from '../bot/config.js';
import type { ActionProcessorDeps } from './action/deps.js';
import { executeProposal } from './action/execute.js';
import { EXECUTE_JOB, EXPIRE_JOB, PREFLIGHT_JOB } from './approvals/action-requests.js';
import { auditProposal } from './approvals/audit-events.js';
import { approvalCard, cardVersion, preflightFailedCard } from './approvals/card.js';
import { runPreflight } from './approvals/preflight.js';
import { DRILL_CLEANUP_JOB } from './drill/drill-requests.js';
import { DRILL_PROPOSE_JOB } from './drill/drill-scheduler.js';
import { abandonDrill, executeDrill, retryDrillCleanup } from './drill/execute-drill.js';
import { proposeScheduledDrill } from './drill/scheduled-drill.js';
import type { ActionJobData, ActionResult } from './queues.js';

export type { ActionProcessorDeps } from './action/deps.js';

function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** A 4xx other than conflict/throttling will not get better by retrying. */
function isPermanent(err: unknown): boolean {
  const code = (err as { statusCode?: number }).statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 && code !== 409 && code !== 429;
}

async function preflight(
  deps: ActionProcessorDeps,
  job: Job<ActionJobData, ActionResult>,
): Promise<ActionResult> {
  const { proposalId: id, request } = job.data;
  if (!request) throw new UnrecoverableError('preflight job without a request');
  const existing = await deps.proposals.get(id);
  if (existing) {
    // A retried job after the proposal was stored: just make sure the card is there.
    await deps.requests.updateCard(
      existing.card,
      approvalCard(existing, deps.clock.now()),
      cardVersion(existing),
    );
    return { phase: 'Proposed' };
  }
  const cluster = findCluster(deps.config, request.cluster);
  const failed = async (problem: string) => {
    await deps.audit.append({
      at: deps.clock.now().toISOString(),
      cluster: request.cluster,
      actor: request.requester,
      event: 'preflight-failed',
      what: `${request.kind}${request.backup ? ` from ${request.backup}` : ''}${request.schedule ? ` from schedule ${request.schedule}` : ''}`,
      outcome: problem,
      proposal: id,
    });
    await deps.requests.updateCard(
      request.card,
      preflightFailedCard(request, problem),
      `${id}-preflight-failed`,
    );
    return { phase: 'PreflightFailed' };
  };
  if (!cluster) return failed(`cluster ${request.cluster} is not configured`);
  let result: Awaited<ReturnType<typeof runPreflight>>;
  try {
    result = await runPreflight(id, request, cluster, deps.velero, deps.clock.now(), deps.drills);
  } catch (err) {
    if (isPermanent(err) || isLastAttempt(job))
      return failed(`cannot read ${cluster.name}: ${(err as Error).message}`);
    throw err;
  }
  if (!result.ok) return failed(result.problem);
  const p = result.proposal;
  // A scheduled drill with drills.approvals: 0 runs unattended (DESIGN §10); nothing else skips approval.
  const unattended = p.kind === 'drill' && p.drill?.scheduled === true && p.required === 0;
  if (unattended) p.status = 'approved';
  await deps.proposals.create(p);
  if (!unattended) await deps.requests.expireAt(id, Date.parse(p.expiresAt));
  await auditProposal(
    deps.audit,
    deps.clock,
    p,
    p.requester,
    'proposed',
    unattended
      ? 'scheduled drill, drills.approvals: 0 — runs unattended'
      : `pending: needs ${p.required} approval(s) until ${p.expiresAt}`,
  );
  if (unattended) await deps.requests.execute(id);
  await deps.requests.updateCard(p.card, approvalCard(p, deps.clock.now()), cardVersion(p));
  return { phase: 'Proposed' };
}

async function expire(
  deps: ActionProcessorDeps,
  job: Job<ActionJobData, ActionResult>,
): Promise<ActionResult> {
  const id = job.data.proposalId;
  if (await deps.proposals.expire(id)) {
    const p = await deps.proposals.get(id);
    if (p) {
      await auditProposal(deps.audit, deps.clock, p, 'dpbot', 'expire', 'expired without enough approvals');
      await deps.requests.updateCard(p.card, approvalCard(p, deps.clock.now()), cardVersion(p));
    }
    return { phase: 'Expired' };
  }
  // Approved but its execute job never got queued (the web replica died in between): queue it now.
  const p = await deps.proposals.get(id);
  if (p?.status === 'approved') await deps.requests.execute(id);
  return { phase: p?.status ?? 'gone' };
}

export function createActionProcessor(deps: ActionProcessorDeps) {
  return async (job: Job<ActionJobData, ActionResult>, token?: string): Promise<ActionResult> => {
    switch (job.name) {
      case PREFLIGHT_JOB:
        return preflight(deps, job);
      case EXPIRE_JOB:
        return expire(deps, job);
      case DRILL_PROPOSE_JOB:
        return proposeScheduledDrill(deps, job.data.cluster ?? '');
      case DRILL_CLEANUP_JOB:
        return retryDrillCleanup(deps, job.data.proposalId);
      case EXECUTE_JOB:
        try {
          const kind = (await deps.proposals.get(job.data.proposalId))?.kind;
          if (kind === 'drill') return await executeDrill(deps, job, token);
          return await executeProposal(deps, job, token);
        } catch (err) {
          if (err instanceof DelayedError) throw err;
          const p = await deps.proposals.get(job.data.proposalId);
          if (
            p?.kind === 'drill' &&
            (err instanceof UnrecoverableError || isPermanent(err) || isLastAttempt(job))
          ) {
            deps.logger.error(
              { err, cluster: p.cluster, jobId: job.id, queue: 'action', proposal: p.id },
              `while running drill ${p.id} on ${p.cluster}`,
            );
            await abandonDrill(deps, p, err as Error);
            await deps.proposals.finish(p.id, 'failed', {
              phase: 'Failed',
              failureReason: (err as Error).message,
              at: deps.clock.now().toISOString(),
            });
            throw err instanceof UnrecoverableError ? err : new UnrecoverableError((err as Error).message);
          }
          if (err instanceof UnrecoverableError) throw err;
          if (!isPermanent(err) && !isLastAttempt(job)) throw err;
          if (!p) throw err;
          deps.logger.error(
            { err, cluster: p.cluster, jobId: job.id, queue: 'action', proposal: p.id },
            `while running ${p.kind} ${p.action.name} on ${p.cluster}`,
          );
          await deps.proposals.finish(p.id, 'failed', {
            phase: 'Failed',
            failureReason: (err as Error).message,
            at: deps.clock.now().toISOString(),
          });
          await auditProposal(
            deps.audit,
            deps.clock,
            p,
            'dpbot',
            'outcome',
            `Failed: ${(err as Error).message}`,
          );
          const done = await deps.proposals.get(p.id);
          if (done)
            await deps.requests.updateCard(
              done.card,
              approvalCard(done, deps.clock.now()),
              cardVersion(done),
            );
          throw new UnrecoverableError((err as Error).message);
        }
      default:
        throw new UnrecoverableError(`unknown action job "${job.name}"`);
    }
  };
}
