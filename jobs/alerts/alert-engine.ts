/** The alert engine: a PostureListener that runs the transitions of DESIGN §8 after every scan. */
import type { Conversation } from '../../bot/chat-port.js';
import type { Clock } from '../../bot/clock.js';
import type { ClusterConfig } from '../../bot/config.js';
import type { Logger } from '../../bot/logger.js';
import { recordAlertEvents } from '../metrics-listener.js';
import type { NotifyJobData } from '../notify-job.js';
import { type Posture, scanStartedMs } from '../posture.js';
import type { PostureListener } from '../scan-job.js';
import { observe } from './alert-rules.js';
import {
  type AlertChanges,
  type AlertStore,
  type ClusterAlerts,
  type SubscriptionStore,
  targetId,
  updateAlerts,
} from './alert-state.js';
import { decide, type Notice } from './transitions.js';

export interface AlertEngineDeps {
  store: AlertStore;
  subscriptions: SubscriptionStore;
  enqueueNotify: (data: NotifyJobData, jobId: string) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

/** The cluster's configured Slack channels and Teams conversations, plus `/dp subscribe` channels. */
export async function alertTargets(
  cluster: ClusterConfig,
  subscriptions: SubscriptionStore,
): Promise<Conversation[]> {
  const all: Conversation[] = [
    ...cluster.alerts.slack.map((channel) => ({ platform: 'slack' as const, channel })),
    ...cluster.alerts.teams.map((channel) => ({ platform: 'teams' as const, channel })),
    ...(await subscriptions.list(cluster.name)),
  ];
  const seen = new Set<string>();
  return all.filter((t) => !seen.has(targetId(t)) && Boolean(seen.add(targetId(t))));
}

export class AlertEngine implements PostureListener {
  constructor(private readonly deps: AlertEngineDeps) {}

  async onPosture(cluster: ClusterConfig, posture: Posture, log?: Logger): Promise<void> {
    const now = this.deps.clock.now();
    const observed = observe(posture);
    const policy = {
      openAfter: cluster.alerts.openAfter,
      renotifyAfterMs: cluster.alerts.renotifyAfterMs,
      targets: await alertTargets(cluster, this.deps.subscriptions),
    };
    // Serialized per cluster by optimistic concurrency: of two scans landing together, one
    // commits, the other re-reads and decides again on the committed state.
    const started = scanStartedMs(posture);
    let committed: { before: ClusterAlerts; changes: AlertChanges } | undefined;
    const notices: Notice[] = await updateAlerts(this.deps.store, cluster.name, (alerts) => {
      committed = undefined;
      // Two scans of one cluster (two replicas, a command scan beside the scheduled one) can end out
      // of order: a scan that started before the last applied one read older objects, and its
      // posture must not reopen what a newer one resolved (or resolve what it found failing).
      if (alerts.scanStartedMs !== undefined && started < alerts.scanStartedMs)
        return { changes: {}, result: [] };
      const d = decide(alerts, observed, policy, now);
      committed = { before: alerts, changes: d.changes };
      const changes = Number.isFinite(started) ? { ...d.changes, scanStartedMs: started } : d.changes;
      return { changes, result: d.notices };
    });
    if (committed) recordAlertEvents(committed.before, committed.changes, policy.openAfter, now);
    else
      (log ?? this.deps.logger).debug({ cluster: cluster.name }, 'stale posture: a newer scan was applied');
    // State first, then notify: a crash in between loses a post (the open send is repaired by the
    // next scan) but never doubles one; job ids derived from the transition dedupe repeats.
    for (const n of notices) await this.deps.enqueueNotify(n.data, n.jobId);
    if (notices.length)
      (log ?? this.deps.logger).info(
        { cluster: cluster.name, notices: notices.length },
        'alert notifications queued',
      );
  }
}
