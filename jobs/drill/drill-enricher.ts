/**
 * The scan's link to restore drills: puts the cluster's drill records into the snapshot before the
 * pure checks run (restore-verified), and queues a cleanup retry for each drill that left something.
 */
import type { Queue } from 'bullmq';
import type { ClusterConfig } from '../../bot/config.js';
import type { Logger } from '../../bot/logger.js';
import type { ClusterSnapshot } from '../checks/snapshot.js';
import type { Posture } from '../posture.js';
import type { ActionJobData, ActionResult } from '../queues.js';
import type { PostureListener, SnapshotEnricher } from '../scan-job.js';
import { requestDrillCleanup } from './drill-requests.js';
import type { DrillStore } from './ports.js';

export class DrillRecordsEnricher implements SnapshotEnricher {
  constructor(private readonly store: DrillStore) {}

  async enrich(cluster: ClusterConfig, snapshot: ClusterSnapshot): Promise<void> {
    try {
      snapshot.restoreDrills = { ok: true, items: await this.store.latest(cluster.name, 20) };
    } catch (err) {
      snapshot.restoreDrills = {
        ok: false,
        error: { reason: 'ApiError', message: `reading drill records: ${(err as Error).message}` },
      };
    }
  }
}

export class DrillLeftoverRetrier implements PostureListener {
  constructor(
    private readonly store: DrillStore,
    private readonly action: Queue<ActionJobData, ActionResult>,
  ) {}

  async onPosture(cluster: ClusterConfig, posture: Posture, log?: Logger): Promise<void> {
    for (const r of await this.store.withLeftovers(cluster.name)) {
      log?.info({ drill: r.id, leftovers: r.leftovers }, 'retrying the cleanup of a restore drill');
      await requestDrillCleanup(this.action, r.id, posture.scannedAt);
    }
  }
}
