/** Drill jobs on the action queue besides preflight/execute (which drills share with §7). */
import type { Queue } from 'bullmq';
import type { ActionJobData, ActionResult } from '../queues.js';

export const DRILL_CLEANUP_JOB = 'drill-cleanup';

/** Queues a retry of a drill's cleanup; one per drill and scan, so a burst of scans queues it once. */
export async function requestDrillCleanup(
  action: Queue<ActionJobData, ActionResult>,
  drillId: string,
  scanAt: string,
): Promise<void> {
  const slot = scanAt.replace(/[^0-9]/g, '').slice(0, 12); // one per minute at most
  await action.add(DRILL_CLEANUP_JOB, { proposalId: drillId }, { jobId: `drill-cleanup-${drillId}-${slot}` });
}
