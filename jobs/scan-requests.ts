/** Enqueues on-demand scans; the scan worker later updates the waiting reply. */
import { createHash, randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { MessageRef } from '../bot/chat-port.js';
import type { ScanRequests } from '../handlers/handler.js';
import type { ScanJobData, ScanResult } from './scan-job.js';
import type { UpdateWaiters, WaiterView } from './update-waiters.js';

export class QueueScanRequests implements ScanRequests {
  constructor(
    private readonly queue: Queue<ScanJobData, ScanResult>,
    private readonly waiters: UpdateWaiters,
  ) {}

  async request(
    clusters: string[],
    opts: { update?: { ref: MessageRef; view: WaiterView }; deliveryId?: string } = {},
  ): Promise<void> {
    const id = opts.deliveryId ? jobIdPart(opts.deliveryId) : randomBytes(8).toString('hex');
    // Registered before the scans are queued, so a scan can never finish without seeing its waiter.
    if (opts.update) await this.waiters.add({ id, ...opts.update }, clusters);
    await this.queue.addBulk(
      clusters.map((cluster) => ({
        name: 'scan',
        data: { cluster, trigger: 'command' as const },
        // A redelivered command (same delivery id) does not queue a second scan. LIFO: someone is
        // waiting for this one, so it goes before a fleet's scheduled scans (BENCHMARKS.md).
        opts: { jobId: `cmd-${id}-${cluster}`, lifo: true },
      })),
    );
  }
}

/**
 * A delivery id as a job id part: BullMQ refuses custom ids with a `:` (unless in exactly three parts),
 * and Slack event deliveries (`evt:Ev…`) and Teams invokes (`f:…`) have one. Such ids are hashed; the
 * waiter's id and the notify update's job id (`update-<id>`, scan-job.ts) are built from this one too.
 */
function jobIdPart(deliveryId: string): string {
  if (/^[A-Za-z0-9._-]+$/.test(deliveryId)) return deliveryId;
  return `h${createHash('sha256').update(deliveryId).digest('hex').slice(0, 32)}`;
}
