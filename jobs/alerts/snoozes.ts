/** Snoozing: a silenced alert posts, edits and renotifies nothing until `until`; it then resumes by itself. */
import { CHECK_NAMES } from '../checks/finding.js';
import { WHOLE_CLUSTER } from './alert-rules.js';
import { type AlertState, type AlertStore, updateAlerts } from './alert-state.js';

/** What `/dp snooze <cluster> <check>` accepts: a check, or `cluster` for "cannot verify" of the whole cluster. */
export const SNOOZABLE_CHECKS: readonly string[] = [...CHECK_NAMES, WHOLE_CLUSTER];
/** Longest snooze: a forgotten one must not hide a lapse for ever. */
export const MAX_SNOOZE_MS = 30 * 86_400_000;

/**
 * `postedSig` is cleared so the card is re-rendered (without "snoozed until") on the first scan
 * after the snooze ends, even when nothing else changed.
 */
function silence(s: AlertState, until: string | undefined): AlertState {
  return { ...s, snoozedUntil: until, postedSig: s.open ? 'snooze-changed' : s.postedSig };
}

/** Snoozes every alert of `check` on `cluster`, and alerts of it that open before `until`. */
export async function snoozeCheck(
  store: AlertStore,
  cluster: string,
  check: string,
  until: Date | undefined,
): Promise<AlertState[]> {
  return updateAlerts(store, cluster, (alerts) => {
    const hit = [...alerts.states.values()].filter((s) => s.check === check);
    const put = hit.map((s) => silence(s, until?.toISOString()));
    return {
      changes: until ? { put, snoozes: { [check]: until.toISOString() } } : { put, removeSnoozes: [check] },
      result: put,
    };
  });
}

/** Snoozes one alert (the card's button); undefined when the alert is gone (resolved meanwhile). */
export async function snoozeKey(
  store: AlertStore,
  cluster: string,
  key: string,
  until: Date,
): Promise<AlertState | undefined> {
  return updateAlerts(store, cluster, (alerts) => {
    const s = alerts.states.get(key);
    if (!s) return { changes: {}, result: undefined };
    const next = silence(s, until.toISOString());
    return { changes: { put: [next] }, result: next };
  });
}
