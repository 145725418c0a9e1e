/**
 * Scheduled drills (DESIGN §10): one BullMQ job scheduler per cluster with `drills.every`
 * (`drill:<cluster>` on the action queue), re-synced at startup like the scan schedulers. A tick only
 * proposes: the proposal goes through preflight and, unless `drills.approvals` is 0, an approver.
 */
import type { Queue } from 'bullmq';
import type { ClusterConfig } from '../../bot/config.js';
import type { ActionJobData, ActionResult } from '../queues.js';

export const DRILL_PROPOSE_JOB = 'drill-propose';
const PREFIX = 'drill:';

export async function syncDrillSchedulers(
  queue: Queue<ActionJobData, ActionResult>,
  clusters: Pick<ClusterConfig, 'name' | 'drills'>[],
): Promise<{ upserted: string[]; removed: string[] }> {
  const scheduled = clusters.filter((c) => c.drills.everyMs !== undefined);
  const wanted = new Set(scheduled.map((c) => `${PREFIX}${c.name}`));
  for (const c of scheduled)
    await queue.upsertJobScheduler(
      `${PREFIX}${c.name}`,
      { every: c.drills.everyMs as number },
      { name: DRILL_PROPOSE_JOB, data: { proposalId: '', cluster: c.name } },
    );
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers(0, -1, true))
    if (s.key.startsWith(PREFIX) && !wanted.has(s.key) && (await queue.removeJobScheduler(s.key)))
      removed.push(s.key.slice(PREFIX.length));
  return { upserted: scheduled.map((c) => c.name), removed };
}
