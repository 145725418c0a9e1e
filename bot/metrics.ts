/**
 * dpbot's Prometheus series (`GET /metrics`), on one registry, with small record functions the jobs
 * call. Labels stay bounded for fleets of thousands of clusters: only scans and findings carry a
 * cluster label (findings ≈ 10 checks × the statuses present).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Status } from '../jobs/checks/finding.js';
import type { Posture } from '../jobs/posture.js';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export type ScanResultLabel = Status | 'error';
export type AlertEvent = 'opened' | 'resolved' | 'suppressed';
export type ChatSendResult = 'ok' | 'rate_limited' | 'error';

const scans = new Counter({
  name: 'dpbot_scans_total',
  help: 'Scans finished, by cluster and result (the cluster status, or error when the job failed)',
  labelNames: ['cluster', 'result'] as const,
  registers: [metricsRegistry],
});
const scanDuration = new Histogram({
  name: 'dpbot_scan_duration_seconds',
  help: 'Time to collect a snapshot and run the checks of one cluster',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [metricsRegistry],
});
const alerts = new Counter({
  name: 'dpbot_alerts_total',
  help: 'Alert transitions: opened, resolved, suppressed (due but snoozed, counted per scan)',
  labelNames: ['event'] as const,
  registers: [metricsRegistry],
});
const approvals = new Counter({
  name: 'dpbot_approvals_total',
  help: 'Approval decisions by outcome (approved, rejected, refused, expired, …)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
const chatSends = new Counter({
  name: 'dpbot_chat_sends_total',
  help: 'Messages sent or updated by the notify worker, by platform and result',
  labelNames: ['platform', 'result'] as const,
  registers: [metricsRegistry],
});
const chatRateLimited = new Counter({
  name: 'dpbot_chat_rate_limited_total',
  help: 'Chat API answers 429 (Retry-After honoured), by platform',
  labelNames: ['platform'] as const,
  registers: [metricsRegistry],
});

/** What the scrape-time gauges read: queues (BullMQ) and the fleet's postures (Redis). */
export interface JobCountsSource {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}
export type PostureSource = () => Promise<Iterable<Posture>>;

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'];
const queueSources = new Set<JobCountsSource[]>();
const postureSources = new Set<PostureSource>();

new Gauge({
  name: 'dpbot_queue_jobs',
  help: 'Jobs per queue and state, read from Redis at scrape time (the same on every replica)',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const set of queueSources)
      for (const q of set) {
        const counts = await q.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }
  },
});

new Gauge({
  name: 'dpbot_findings',
  help: 'Findings of the last scan per cluster, check and status (from the posture cache at scrape time)',
  labelNames: ['cluster', 'check', 'status'] as const,
  registers: [metricsRegistry],
  async collect() {
    // Rebuilt each scrape: a status that went away disappears instead of lingering at its last value.
    this.reset();
    for (const source of postureSources)
      for (const p of await source())
        for (const f of p.findings)
          this.inc({ cluster: p.cluster, check: f.check, status: f.status }, f.count ?? 1);
  },
});

export function recordScan(cluster: string, result: ScanResultLabel, seconds?: number): void {
  scans.inc({ cluster, result });
  if (seconds !== undefined) scanDuration.observe(seconds);
}

export function recordAlert(event: AlertEvent, count = 1): void {
  if (count > 0) alerts.inc({ event }, count);
}

export function recordApproval(outcome: string): void {
  approvals.inc({ outcome });
}

export function recordChatSend(platform: string, result: ChatSendResult): void {
  chatSends.inc({ platform, result });
  if (result === 'rate_limited') chatRateLimited.inc({ platform });
}

/** Exposes these queues' job counts; returns the undo (for a stopping bot). */
export function trackQueues(queues: JobCountsSource[]): () => void {
  queueSources.add(queues);
  return () => void queueSources.delete(queues);
}

/** Exposes the findings of these postures; returns the undo. */
export function trackPostures(source: PostureSource): () => void {
  postureSources.add(source);
  return () => void postureSources.delete(source);
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
