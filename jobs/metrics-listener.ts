/** Scan metrics from every new posture, and alert events from each committed alert decision. */
import type { ClusterConfig } from '../bot/config.js';
import { recordAlert, recordScan } from '../bot/metrics.js';
import type { AlertChanges, ClusterAlerts } from './alerts/alert-state.js';
import { snoozedUntil } from './alerts/alert-state.js';
import type { Posture } from './posture.js';
import type { PostureListener } from './scan-job.js';

export class ScanMetricsListener implements PostureListener {
  async onPosture(cluster: ClusterConfig, posture: Posture): Promise<void> {
    recordScan(cluster.name, posture.status, posture.durationMs / 1000);
  }
}

/**
 * Counts what one committed alert decision did: cards opened, alerts resolved, and alerts that were
 * due (or open) but silenced by a snooze. Called after the commit, so optimistic retries count once.
 */
export function recordAlertEvents(
  before: ClusterAlerts,
  changes: AlertChanges,
  openAfter: number,
  now: Date,
): void {
  const opened = (changes.put ?? []).filter((s) => s.open && !before.states.get(s.key)?.open).length;
  const resolved = (changes.remove ?? []).filter((k) => before.states.get(k)?.open).length;
  const suppressed = (changes.put ?? []).filter(
    (s) => (s.open || s.consecutive >= openAfter) && snoozedUntil(s, before.checkSnoozes, now),
  ).length;
  recordAlert('opened', opened);
  recordAlert('resolved', resolved);
  recordAlert('suppressed', suppressed);
}
