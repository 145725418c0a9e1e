/** Records where an alert card landed (called by the notify worker) and catches up missed edits. */
import type { MessageRef } from '../../bot/chat-port.js';
import type { Clock } from '../../bot/clock.js';
import type { Logger } from '../../bot/logger.js';
import type { NotifyJobData } from '../notify-job.js';
import {
  type AlertDelivery,
  type AlertState,
  type AlertStore,
  snoozedUntil,
  updateAlerts,
} from './alert-state.js';
import { editNotices } from './transitions.js';

export interface AlertRefRecorderDeps {
  store: AlertStore;
  enqueueNotify: (data: NotifyJobData, jobId: string) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

export function createAlertRefRecorder(deps: AlertRefRecorderDeps) {
  return async (delivery: AlertDelivery, ref: MessageRef): Promise<void> => {
    try {
      const now = deps.clock.now();
      const catchUp = await updateAlerts(deps.store, delivery.cluster, (alerts) => {
        const s = alerts.states.get(delivery.key);
        // Resolved (or re-opened) meanwhile: this card belongs to an episode that is over.
        if (!s?.open || s.openCount !== delivery.open) return { changes: {}, result: undefined };
        const next: AlertState = { ...s, refs: { ...s.refs, [delivery.target]: ref } };
        const until = snoozedUntil(next, alerts.checkSnoozes, now);
        // The card changed while it was being sent: edit this copy to the latest revision.
        const stale = !until && s.rev !== delivery.rev;
        return {
          changes: { put: [next] },
          result: stale ? { ...next, refs: { [delivery.target]: ref } } : undefined,
        };
      });
      if (catchUp) for (const n of editNotices(catchUp, now)) await deps.enqueueNotify(n.data, n.jobId);
    } catch (err) {
      deps.logger.error(
        { err, alert: delivery.key, target: delivery.target },
        'while recording a sent alert',
      );
    }
  };
}
