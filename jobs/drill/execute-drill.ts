/**
 * The `execute` step of a drill (jobId = proposal id), a small state machine kept in the drill record:
 * namespaces → restoring → verifying → cleaning → done. Each step is idempotent (409 on our own
 * namespace or Restore = already done) and waiting re-schedules the same job (moveToDelayed), so a
 * killed worker's job is picked up by another one and carries on from the recorded stage; the Restore
 * has a name fixed in the proposal, so there is never a second one.
 */
import { createHash } from 'node:crypto';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { type ClusterConfig, findCluster } from '../../bot/config.js';
import type { ActionProcessorDeps } from '../action/deps.js';
import { outcomeOf } from '../action/execute.js';
import { auditProposal } from '../approvals/audit-events.js';
import {
  actionHash,
  isFinished,
  PROPOSAL_LABEL,
  type Proposal,
  TERMINAL_PHASES,
} from '../approvals/proposal.js';
import type { ActionJobData, ActionResult } from '../queues.js';
import { cleanupDrill } from './cleanup.js';
import { drillCard, verdictRecord } from './drill-card.js';
import { DRILL_LABEL, drillRestoreName, scratchLabels } from './drill-plan.js';
import type { DrillCluster, DrillRecord, DrillStore } from './ports.js';
import { verifyScratch } from './verify.js';

type Deps = ActionProcessorDeps & { drills: DrillCluster; drillStore: DrillStore };

const ms = (a: string, b: string) => Date.parse(b) - Date.parse(a);
/** A Restore still running after this is given up (Velero's own itemOperationTimeout defaults to 4h). */
const RESTORE_LIMIT_MS = 6 * 3_600_000;

async function show(deps: Deps, p: Proposal, r: DrillRecord): Promise<void> {
  const fresh = (await deps.proposals.get(p.id)) ?? p;
  const card = drillCard(fresh, r, deps.clock.now());
  // The version names the notify job: one per distinct card content, so a replayed step queues nothing new.
  const digest = createHash('sha256').update(JSON.stringify(card.sections)).digest('hex').slice(0, 16);
  await deps.requests.updateCard(fresh.card, card, `${p.id}-drill-${digest}`);
}

async function save(deps: Deps, p: Proposal, r: DrillRecord): Promise<void> {
  await deps.drillStore.put(r);
  await show(deps, p, r);
}

function fail(r: DrillRecord, failure: string): void {
  r.verdict = 'failed';
  r.failures = [...(r.failures ?? []), failure];
}

/** Creates each scratch namespace with this drill's label; one that exists without it stops the drill. */
async function createNamespaces(deps: Deps, cluster: ClusterConfig, p: Proposal, r: DrillRecord) {
  for (const ns of Object.values(r.namespaces)) {
    if (await deps.drills.createNamespace(cluster, r.id, ns, scratchLabels(r.id))) continue;
    const existing = await deps.drills.getNamespace(cluster, ns);
    if (existing && existing.labels[DRILL_LABEL] !== r.id) {
      fail(r, `namespace ${ns} exists and is not this drill's; nothing was restored`);
      return;
    }
  }
  await auditProposal(
    deps.audit,
    deps.clock,
    p,
    'dpbot',
    'create',
    `scratch namespaces ${Object.values(r.namespaces).join(', ')} created`,
  );
}

/** Creates the Restore once (409 on our own = carry on) and reads its phase; true when it is terminal. */
async function followRestore(
  deps: Deps,
  cluster: ClusterConfig,
  p: Proposal,
  r: DrillRecord,
): Promise<boolean> {
  if (!p.created) {
    if (actionHash(p.action) !== p.hash || p.action.namespace !== cluster.checks.backups.veleroNamespace) {
      fail(r, 'the stored Restore does not match its approved hash or namespace; nothing was created');
      return true;
    }
    const made = await deps.velero.create(cluster, p.action);
    if (!made.created) {
      const labels = (made.existing.metadata as { labels?: Record<string, string> } | undefined)?.labels;
      if (labels?.[PROPOSAL_LABEL] !== p.id) {
        fail(r, `Restore ${p.action.name} already exists and was not created for this drill`);
        return true;
      }
    }
    await deps.proposals.markCreated(p.id);
    p.created = true;
    await auditProposal(
      deps.audit,
      deps.clock,
      p,
      'dpbot',
      'create',
      made.created ? 'Restore created' : 'Restore already existed (409), carrying on',
    );
  }
  const obj = await deps.velero.getObject(cluster, p.action);
  const now = deps.clock.now().toISOString();
  if (!obj) {
    fail(r, `Restore ${p.action.name} disappeared from the cluster`);
    return true;
  }
  const o = outcomeOf('restore', obj.status, now);
  Object.assign(r, { restorePhase: o.phase, itemsRestored: o.itemsDone, totalItems: o.totalItems });
  if (!TERMINAL_PHASES.includes(o.phase)) {
    if (ms(r.approvedAt, now) < RESTORE_LIMIT_MS) return false;
    fail(r, `Restore still ${o.phase} after ${RESTORE_LIMIT_MS / 3_600_000}h`);
    Object.assign(r, { restoreFinishedAt: now, restoreMs: ms(r.approvedAt, now) });
    return true;
  }
  Object.assign(r, {
    restoreFinishedAt: now,
    restoreMs: ms(r.approvedAt, now),
    warnings: o.warnings ?? 0,
    errors: o.errors ?? 0,
  });
  if (o.failureReason) r.failureReason = o.failureReason;
  if (o.phase !== 'Completed') fail(r, `Restore ${o.phase} (${o.errors ?? 0} errors)`);
  else if (o.errors) fail(r, `Restore Completed with ${o.errors} errors`);
  if (o.totalItems === 0 || o.itemsDone === 0) fail(r, 'the Restore brought nothing back');
  return true;
}

/** One look at the scratch namespaces; true when verification is over (all up, or out of time). */
async function verify(deps: Deps, cluster: ClusterConfig, r: DrillRecord): Promise<boolean> {
  const contents = await Promise.all(
    Object.values(r.namespaces).map((ns) => deps.drills.listScratch(cluster, ns)),
  );
  const v = verifyScratch(contents);
  const now = deps.clock.now().toISOString();
  r.verifyProgress = `${v.readyCount}/${v.total} ready`;
  if (v.ready) {
    Object.assign(r, { readyAt: now, readyMs: ms(r.approvedAt, now) });
    return true;
  }
  if (ms(r.restoreFinishedAt ?? now, now) < cluster.drills.timeoutMs) return false;
  for (const f of v.failures) fail(r, f);
  fail(r, `not all up within drills.timeout (${Math.round(cluster.drills.timeoutMs / 1000)}s)`);
  return true;
}

/** Cleans up and records the result; the verdict goes to the audit stream with the cleanup outcome. */
export async function cleanupAndRecord(
  deps: Deps,
  cluster: ClusterConfig,
  r: DrillRecord,
): Promise<'done' | 'failed'> {
  const { leftovers } = await cleanupDrill(deps.drills, cluster, r);
  r.cleanupAttempts = (r.cleanupAttempts ?? 0) + 1;
  r.cleanup = leftovers.length ? 'failed' : 'done';
  r.leftovers = leftovers;
  return r.cleanup;
}

export async function executeDrill(
  deps: ActionProcessorDeps,
  job: Job<ActionJobData, ActionResult>,
  token: string | undefined,
): Promise<ActionResult> {
  if (!deps.drills || !deps.drillStore)
    throw new UnrecoverableError('restore drills are not wired on this worker');
  const d = deps as Deps;
  const id = job.data.proposalId;
  const p = await d.proposals.get(id);
  if (!p) throw new UnrecoverableError(`proposal ${id} does not exist`);
  if (isFinished(p.status)) return { phase: p.outcome?.phase ?? p.status };
  if (!(await d.proposals.startRun(id)))
    throw new UnrecoverableError(`proposal ${id} is ${p.status}, not approved`);
  const cluster = findCluster(d.config, p.cluster);
  if (!cluster) throw new UnrecoverableError(`cluster ${p.cluster} is no longer configured`);
  let r = await d.drillStore.get(id);
  if (!r) {
    r = {
      id,
      cluster: p.cluster,
      backup: String((p.action.object.spec as { backupName?: string }).backupName),
      namespaces: p.drill?.namespaces ?? {},
      restoreName: drillRestoreName(id),
      veleroNamespace: p.action.namespace,
      requester: p.requester,
      ...(p.drill?.scheduled ? { scheduled: true } : {}),
      stage: 'namespaces',
      approvedAt: d.clock.now().toISOString(),
    };
    await save(d, p, r);
  }
  if (r.stage === 'namespaces') {
    await createNamespaces(d, cluster, p, r);
    r.stage = r.verdict ? 'cleaning' : 'restoring';
    await save(d, p, r);
  }
  if (r.stage === 'restoring') {
    const before = JSON.stringify(r);
    if (!(await followRestore(d, cluster, p, r))) {
      if (JSON.stringify(r) !== before) await save(d, p, r);
      return wait(d, job, token);
    }
    // Failed/FailedValidation restored nothing to verify; PartiallyFailed is verified to say what is up.
    r.stage =
      r.restorePhase === 'Completed' || r.restorePhase === 'PartiallyFailed' ? 'verifying' : 'cleaning';
    await save(d, p, r);
  }
  if (r.stage === 'verifying') {
    const before = r.verifyProgress;
    if (!(await verify(d, cluster, r))) {
      if (r.verifyProgress !== before) await save(d, p, r);
      return wait(d, job, token);
    }
    r.verdict ??= 'passed';
    r.stage = 'cleaning';
    await save(d, p, r);
  }
  if (r.stage === 'cleaning') {
    r.finishedAt ??= d.clock.now().toISOString();
    await auditProposal(d.audit, d.clock, p, 'dpbot', 'outcome', verdictRecord(r));
    await cleanupAndRecord(d, cluster, r);
    await auditProposal(
      d.audit,
      d.clock,
      p,
      'dpbot',
      'cleanup',
      r.cleanup === 'done' ? 'cleaned up' : `left behind: ${r.leftovers?.join('; ')}`,
    );
    r.stage = 'done';
    await d.proposals.finish(id, r.verdict === 'passed' ? 'succeeded' : 'failed', {
      phase: r.restorePhase ?? 'Failed',
      errors: r.errors,
      warnings: r.warnings,
      itemsDone: r.itemsRestored,
      totalItems: r.totalItems,
      at: r.finishedAt,
    });
    await save(d, p, r);
  }
  return { phase: r.verdict ?? 'done' };
}

async function wait(
  deps: Deps,
  job: Job<ActionJobData, ActionResult>,
  token: string | undefined,
): Promise<never> {
  const polls = job.data.polls ?? 0;
  const { initial, max } = deps.pollMs ?? { initial: 2000, max: 15_000 };
  await job.updateData({ ...job.data, polls: polls + 1 });
  if (!token) throw new Error('execute needs a worker token to re-schedule itself');
  await job.moveToDelayed(Date.now() + Math.min(max, initial * 2 ** Math.min(polls, 10)), token);
  throw new DelayedError();
}

/** A drill whose execute job gave up: record the failure, clean up what exists, show it. */
export async function abandonDrill(deps: ActionProcessorDeps, p: Proposal, err: Error): Promise<void> {
  if (!deps.drills || !deps.drillStore) return;
  const d = deps as Deps;
  const cluster = findCluster(d.config, p.cluster);
  const r = await d.drillStore.get(p.id);
  if (!cluster || !r || r.stage === 'done') return;
  fail(r, `dpbot could not run the drill: ${err.message.slice(0, 200)}`);
  r.finishedAt ??= d.clock.now().toISOString();
  await auditProposal(d.audit, d.clock, p, 'dpbot', 'outcome', verdictRecord(r));
  try {
    await cleanupAndRecord(d, cluster, r);
  } catch (cleanupErr) {
    r.cleanup = 'failed';
    r.leftovers = [`everything of drill ${r.id} (${(cleanupErr as Error).message.slice(0, 200)})`];
  }
  r.stage = 'done';
  await save(d, p, r);
}

/** The next scan's retry of a drill whose cleanup left something behind. */
export async function retryDrillCleanup(deps: ActionProcessorDeps, id: string): Promise<ActionResult> {
  if (!deps.drills || !deps.drillStore)
    throw new UnrecoverableError('restore drills are not wired on this worker');
  const d = deps as Deps;
  const r = await d.drillStore.get(id);
  const p = await d.proposals.get(id);
  if (r?.cleanup !== 'failed') return { phase: 'nothing to clean' };
  const cluster = findCluster(d.config, r.cluster);
  if (!cluster) throw new UnrecoverableError(`cluster ${r.cluster} is no longer configured`);
  const done = (await cleanupAndRecord(d, cluster, r)) === 'done';
  if (p)
    await auditProposal(
      d.audit,
      d.clock,
      p,
      'dpbot',
      'cleanup',
      done ? `cleaned up on retry ${r.cleanupAttempts}` : `still left behind: ${r.leftovers?.join('; ')}`,
    );
  if (p) await save(d, p, r);
  else await d.drillStore.put(r);
  return { phase: done ? 'cleaned' : 'leftovers' };
}
