/** The three BullMQ queues and their workers, with typed job contracts end to end. */
import { type ConnectionOptions, type Processor, Queue, Worker } from 'bullmq';
import type { ProposalRequest } from './approvals/proposal.js';
import type { NotifyJobData, NotifyResult } from './notify-job.js';
import { NOTIFY_QUEUE } from './notify-job.js';
import type { ScanJobData, ScanResult } from './scan-job.js';
import { SCAN_QUEUE } from './scan-job.js';

export const ACTION_QUEUE = 'action';
export interface ActionJobData {
  proposalId: string;
  /** `preflight` jobs: the validated request the proposal is built from. */
  request?: ProposalRequest;
  /** `execute` jobs: how often the Velero object was polled (backoff). */
  polls?: number;
  /** `drill-propose` jobs (scheduled drills): the cluster. */
  cluster?: string;
}
export interface ActionResult {
  phase: string;
}

export interface Queues {
  scan: Queue<ScanJobData, ScanResult>;
  action: Queue<ActionJobData, ActionResult>;
  notify: Queue<NotifyJobData, NotifyResult>;
}

export interface QueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix. @defaultValue the config's redis prefix */
  prefix: string;
}

export function createQueues({ connection, prefix }: QueueOptions): Queues {
  return {
    scan: new Queue<ScanJobData, ScanResult>(SCAN_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: {
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
        attempts: 2,
        backoff: { type: 'exponential', delay: 2000 },
      },
    }),
    action: new Queue<ActionJobData, ActionResult>(ACTION_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: {
        removeOnComplete: { age: 7 * 86400 },
        removeOnFail: { age: 7 * 86400 },
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
      },
    }),
    notify: new Queue<NotifyJobData, NotifyResult>(NOTIFY_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: {
        removeOnComplete: { age: 3600, count: 5000 },
        removeOnFail: { age: 86400 },
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
      },
    }),
  };
}

export interface WorkerSet {
  workers: Worker[];
  close(): Promise<void>;
}

export interface WorkerProcessors {
  scan: Processor<ScanJobData, ScanResult>;
  notify: Processor<NotifyJobData, NotifyResult>;
  action?: Processor<ActionJobData, ActionResult>;
}

/** Scan concurrency is I/O bound (HTTP to clusters), so it is high by default. */
export function startWorkers(
  opts: QueueOptions & { scanConcurrency?: number; notifyConcurrency?: number },
  processors: WorkerProcessors,
): WorkerSet {
  const { connection, prefix } = opts;
  const workers: Worker[] = [
    new Worker<ScanJobData, ScanResult>(SCAN_QUEUE, processors.scan, {
      connection,
      prefix,
      concurrency: opts.scanConcurrency ?? 50,
    }),
    new Worker<NotifyJobData, NotifyResult>(NOTIFY_QUEUE, processors.notify, {
      connection,
      prefix,
      concurrency: opts.notifyConcurrency ?? 10,
    }),
  ];
  if (processors.action)
    workers.push(
      new Worker<ActionJobData, ActionResult>(ACTION_QUEUE, processors.action, {
        connection,
        prefix,
        concurrency: 5,
        // Each action step is a few API calls (following re-schedules the job), so a short lock lets
        // another worker take over a crashed worker's restore within ~20 s instead of a minute.
        lockDuration: 15_000,
        stalledInterval: 10_000,
      }),
    );
  return {
    workers,
    // Worker.close waits for active jobs to finish; a job still active after a kill is re-run (stalled) by another worker.
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
