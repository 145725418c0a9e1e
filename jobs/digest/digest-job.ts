/**
 * The scheduled digest (DESIGN §11): one BullMQ job scheduler `digest` with the config's cron pattern
 * and time zone, so however many replicas run, each tick makes one job and one message per target.
 * The job renders the digest once and hands it to the notify queue (pacing, retries, Retry-After).
 */
import { createHash } from 'node:crypto';
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import type { Conversation } from '../../bot/chat-port.js';
import type { Clock } from '../../bot/clock.js';
import type { DigestConfig } from '../../bot/digest-config.js';
import type { Logger } from '../../bot/logger.js';
import type { ChartRenderer } from '../charts/chart-port.js';
import type { NotifyJobData } from '../notify-job.js';
import type { PostureStore } from '../posture.js';
import { buildDigest } from './build-digest.js';
import type { DigestStore } from './digest-summary.js';

export const DIGEST_QUEUE = 'digest';
export const DIGEST_SCHEDULER_ID = 'digest';

export interface DigestJobData {
  trigger: 'schedule';
}
export interface DigestResult {
  targets: number;
}

export interface DigestDeps {
  /** Absent: no scheduler exists, so no job should arrive; one that does posts nowhere. */
  digest?: DigestConfig;
  clusters: () => string[];
  postures: PostureStore;
  store: DigestStore;
  renderer: ChartRenderer;
  clock: Clock;
  logger: Logger;
  enqueueNotify: (data: NotifyJobData, jobId: string) => Promise<void>;
}

export function digestTargets(digest: DigestConfig | undefined): Conversation[] {
  if (!digest) return [];
  return [
    ...digest.slack.map((channel): Conversation => ({ platform: 'slack', channel })),
    ...digest.teams.map((channel): Conversation => ({ platform: 'teams', channel })),
  ];
}

/** The notify job id of one tick's digest to one target (BullMQ custom ids may not contain ':'). */
export function digestNoticeId(tickJobId: string | undefined, to: Conversation): string {
  const hash = createHash('sha256').update([tickJobId ?? '', to.platform, to.channel].join('\u0000'));
  return `digest-${hash.digest('hex').slice(0, 40)}`;
}

export function createDigestProcessor(deps: DigestDeps) {
  return async (job: Job<DigestJobData, DigestResult>): Promise<DigestResult> => {
    const names = deps.clusters();
    const now = deps.clock.now();
    const previous = await deps.store.last();
    const { message, summary } = await buildDigest(
      deps.renderer,
      names,
      await deps.postures.getMany(names),
      now,
      previous,
    );
    const targets = digestTargets(deps.digest);
    // Job ids per tick and target: a retried digest job posts nothing twice.
    for (const to of targets)
      await deps.enqueueNotify({ op: 'send', to, message }, digestNoticeId(job.id, to));
    await deps.store.save(summary);
    deps.logger.info({ jobId: job.id, targets: targets.length, clusters: names.length }, 'digest posted');
    return { targets: targets.length };
  };
}

/** Adds, updates or (without `digest:` in the config) removes the digest's job scheduler. */
export async function syncDigestScheduler(
  queue: Queue<DigestJobData, DigestResult>,
  digest: DigestConfig | undefined,
): Promise<boolean> {
  if (!digest) {
    await queue.removeJobScheduler(DIGEST_SCHEDULER_ID);
    return false;
  }
  await queue.upsertJobScheduler(
    DIGEST_SCHEDULER_ID,
    { pattern: digest.schedule, tz: digest.timezone },
    { name: 'digest', data: { trigger: 'schedule' } },
  );
  return true;
}

export interface DigestRunner {
  queue: Queue<DigestJobData, DigestResult>;
  worker: Worker<DigestJobData, DigestResult>;
  close(): Promise<void>;
}

export function startDigestWorker(
  opts: { connection: ConnectionOptions; prefix: string },
  processor: ReturnType<typeof createDigestProcessor>,
): DigestRunner {
  const queue = new Queue<DigestJobData, DigestResult>(DIGEST_QUEUE, {
    ...opts,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 3 },
  });
  const worker = new Worker<DigestJobData, DigestResult>(DIGEST_QUEUE, processor, {
    ...opts,
    concurrency: 1,
  });
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
