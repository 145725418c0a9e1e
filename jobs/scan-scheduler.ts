/**
 * Scheduled scans: one BullMQ job scheduler per configured cluster (`scan:<cluster>`). BullMQ
 * produces one job per tick whatever the number of replicas, so nobody double-scans. Config is
 * loaded once at startup: a change takes effect at the next restart, when this re-sync adds the
 * new clusters' schedulers, updates changed intervals and removes those of clusters now gone.
 */
import type { Queue } from 'bullmq';
import type { ClusterConfig } from '../bot/config.js';
import type { ScanJobData, ScanResult } from './scan-job.js';

const PREFIX = 'scan:';

export interface SchedulerSync {
  upserted: string[];
  removed: string[];
}

export function schedulerId(cluster: string): string {
  return `${PREFIX}${cluster}`;
}

export async function syncScanSchedulers(
  queue: Queue<ScanJobData, ScanResult>,
  clusters: Pick<ClusterConfig, 'name' | 'scanIntervalMs'>[],
): Promise<SchedulerSync> {
  const wanted = new Set(clusters.map((c) => schedulerId(c.name)));
  for (const c of clusters)
    await queue.upsertJobScheduler(
      schedulerId(c.name),
      { every: c.scanIntervalMs },
      { name: 'scan', data: { cluster: c.name, trigger: 'schedule' } },
    );
  const removed: string[] = [];
  const pageSize = 500;
  const stale: string[] = [];
  for (let start = 0; ; start += pageSize) {
    const page = await queue.getJobSchedulers(start, start + pageSize - 1, true);
    for (const s of page) if (s.key.startsWith(PREFIX) && !wanted.has(s.key)) stale.push(s.key);
    if (page.length < pageSize) break;
  }
  for (const id of stale) if (await queue.removeJobScheduler(id)) removed.push(id.slice(PREFIX.length));
  return { upserted: clusters.map((c) => c.name), removed };
}
