/**
 * The alert state machine for one cluster and one scan, as a pure function: states in, changed
 * states and notifications out. The engine commits both atomically-enough (state first, then
 * notify jobs whose ids are derived from the transition, so a repeat enqueues nothing new).
 */
import { createHash } from 'node:crypto';
import type { Conversation } from '../../bot/chat-port.js';
import type { NotifyJobData } from '../notify-job.js';
import { alertCard, alertReply } from './alert-message.js';
import { type Observed, UNKNOWN_ALERT_AFTER_MS } from './alert-rules.js';
import {
  type AlertChanges,
  type AlertState,
  type ClusterAlerts,
  snoozedUntil,
  targetId,
} from './alert-state.js';

export interface AlertPolicy {
  openAfter: number;
  renotifyAfterMs: number;
  /** The cluster's channels plus subscriptions, for alerts that open now. */
  targets: Conversation[];
}

export interface Notice {
  data: NotifyJobData;
  jobId: string;
}

export interface Decision {
  changes: AlertChanges;
  notices: Notice[];
}

/** BullMQ job ids may not contain `:`; a hash of the transition is stable across replicas. */
export function noticeId(...parts: (string | number)[]): string {
  return `alert-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)}`;
}

/** One open…resolved run of a key; open counts restart when a resolved state is deleted, times don't. */
export const episode = (s: AlertState) => `${s.openCount}@${s.openedAt ?? ''}`;

export const signature = (s: AlertState) => `${s.finding.status}|${s.finding.reason}|${s.finding.message}`;

/** The sends that open an alert's cards (also used to repair a send lost in a crash). */
export function openNotices(s: AlertState, now: Date, targets: Conversation[]): Notice[] {
  const message = alertCard(s, now, 'open');
  return targets.map((to) => ({
    jobId: noticeId(s.key, episode(s), 'open', targetId(to)),
    data: {
      op: 'send',
      to,
      message,
      alert: { key: s.key, cluster: s.cluster, open: s.openCount, rev: s.rev, target: targetId(to) },
    },
  }));
}

export function editNotices(s: AlertState, now: Date, until?: string): Notice[] {
  const message = alertCard(s, now, 'open', until);
  return Object.entries(s.refs).map(([target, ref]) => ({
    jobId: noticeId(s.key, episode(s), 'edit', s.rev, target),
    data: { op: 'update', ref, message },
  }));
}

function threadNotices(s: AlertState, now: Date, what: 'renotify' | 'resolved'): Notice[] {
  const message = alertReply(s, now, what);
  return Object.entries(s.refs).map(([target, ref]) => ({
    jobId: noticeId(s.key, episode(s), what, s.lastNotified ?? '', target),
    data: { op: 'send', to: { ...ref, thread: ref.thread ?? ref.id }, message },
  }));
}

function resolve(s: AlertState, now: Date, quietly: boolean): Notice[] {
  const message = alertCard(s, now, 'resolved');
  const edits = Object.entries(s.refs).map(([target, ref]) => ({
    jobId: noticeId(s.key, episode(s), 'resolved-card', target),
    data: { op: 'update' as const, ref, message },
  }));
  // Snoozed: the card is corrected (an edit pings nobody) but the thread stays silent.
  return quietly ? edits : [...edits, ...threadNotices(s, now, 'resolved')];
}

function isDue(s: AlertState, policy: AlertPolicy, now: Date): boolean {
  if (s.kind === 'unknown') return now.getTime() - Date.parse(s.since) >= UNKNOWN_ALERT_AFTER_MS;
  return s.consecutive >= policy.openAfter;
}

/** A lost open send is repaired only while its job id can still deduplicate it. */
const REPAIR_WINDOW_MS = 30 * 60_000;

export function decide(alerts: ClusterAlerts, observed: Observed, policy: AlertPolicy, now: Date): Decision {
  const put: AlertState[] = [];
  const remove: string[] = [];
  const notices: Notice[] = [];
  const iso = now.toISOString();
  for (const o of observed.failing.values()) {
    const prev = alerts.states.get(o.key);
    const s: AlertState = prev
      ? { ...prev, finding: o.finding, consecutive: prev.consecutive + 1 }
      : {
          key: o.key,
          cluster: o.key.split('/')[0],
          check: o.check,
          kind: o.kind,
          finding: o.finding,
          since: iso,
          consecutive: 1,
          open: false,
          openCount: 0,
          rev: 0,
          targets: [],
          refs: {},
        };
    const until = snoozedUntil(s, alerts.checkSnoozes, now);
    if (!s.open && isDue(s, policy, now) && !until) {
      Object.assign(s, { open: true, openCount: s.openCount + 1, openedAt: iso, lastNotified: iso, rev: 0 });
      Object.assign(s, { targets: policy.targets, refs: {}, postedSig: signature(s) });
      notices.push(...openNotices(s, now, s.targets));
    } else if (s.open && !until) {
      if (signature(s) !== s.postedSig) {
        s.rev += 1;
        s.postedSig = signature(s);
        notices.push(...editNotices(s, now));
      }
      if (now.getTime() - Date.parse(s.lastNotified ?? s.since) >= policy.renotifyAfterMs) {
        s.lastNotified = iso;
        notices.push(...threadNotices(s, now, 'renotify'));
      }
      const missing = s.targets.filter((t) => !s.refs[targetId(t)]);
      if (missing.length && now.getTime() - Date.parse(s.openedAt ?? iso) < REPAIR_WINDOW_MS)
        notices.push(...openNotices({ ...s, rev: 0 }, now, missing));
    }
    put.push(s);
  }
  for (const s of alerts.states.values()) {
    if (observed.failing.has(s.key)) continue;
    // Not failing, but not seen to be ok either (the check or the whole cluster cannot be read):
    // unknown is never ok, so nothing changes — for "cannot verify" alerts too.
    if (observed.unverifiable(s.check, s.kind === 'finding' ? s.finding.resource : undefined)) continue;
    remove.push(s.key);
    if (s.open) notices.push(...resolve(s, now, Boolean(snoozedUntil(s, alerts.checkSnoozes, now))));
  }
  const removeSnoozes = [...alerts.checkSnoozes]
    .filter(([, until]) => Date.parse(until) <= now.getTime())
    .map(([check]) => check);
  return { changes: { put, remove, removeSnoozes }, notices };
}
