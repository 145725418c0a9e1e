/** Alert cards and thread replies (neutral BotMessage; each adapter renders them). */
import { formatDuration } from '../../bot/duration.js';
import type { BotMessage, Button } from '../../bot/message.js';
import type { AlertState } from './alert-state.js';

export type CardPhase = 'open' | 'resolved';

/** `2026-11-26 08:00 UTC` */
export function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function headline(s: AlertState): string {
  if (s.kind === 'unknown')
    return s.check === 'cluster'
      ? `${s.cluster}: cannot verify protection (cluster unreachable)`
      : `${s.cluster}: cannot verify protection (${s.check})`;
  return `${s.cluster}: ${s.check} ${s.finding.reason}`;
}

/** The Velero schedule an alert is about, for "Back up now" (`velero/nightly` → `nightly`). */
function scheduleOf(s: AlertState): string | undefined {
  if (s.check !== 'backup-freshness' || !s.finding.resource?.includes('/')) return undefined;
  return s.finding.resource.split('/')[1];
}

export function alertButtons(s: AlertState): Button[] {
  const buttons: Button[] = [
    { verb: 'snooze', label: 'Snooze 4h', value: { key: s.key, for: '4h' } },
    { verb: 'snooze', label: 'Snooze 1d', value: { key: s.key, for: '1d' } },
    { verb: 'status', label: 'Show status', value: { cluster: s.cluster } },
  ];
  if (s.kind === 'finding' && s.check.startsWith('backup-')) {
    const schedule = scheduleOf(s);
    buttons.push({
      verb: 'backup',
      label: 'Back up now',
      value: schedule ? { cluster: s.cluster, schedule } : { cluster: s.cluster },
    });
  }
  return buttons;
}

/** The card itself: posted when the alert opens, edited on changes, snoozes and resolution. */
export function alertCard(s: AlertState, now: Date, phase: CardPhase, snoozedUntil?: string): BotMessage {
  const title = phase === 'resolved' ? `Resolved — ${headline(s)}` : headline(s);
  const context =
    phase === 'resolved'
      ? `resolved ${utc(now.toISOString())} · was open since ${utc(s.since)}`
      : [
          `open since ${utc(s.since)}`,
          s.kind === 'unknown'
            ? `unverified for ${formatDuration(now.getTime() - Date.parse(s.since))}`
            : `${s.consecutive} failing scan${s.consecutive === 1 ? '' : 's'}`,
          snoozedUntil ? `snoozed until ${utc(snoozedUntil)}` : undefined,
        ]
          .filter(Boolean)
          .join(' · ');
  const summary =
    phase === 'resolved'
      ? `${title}: ${s.kind === 'unknown' ? 'can be checked again' : 'ok again'}`
      : `${headline(s)}: ${s.finding.message}`.slice(0, 300);
  return {
    kind: 'alert',
    title,
    summary,
    tone: phase === 'resolved' ? 'ok' : s.kind === 'unknown' ? 'unknown' : s.finding.status,
    sections: [
      // Resolved: what it was, without the failing line's ❌ (the card now reads as resolved).
      phase === 'resolved'
        ? { type: 'text', text: `Was ${s.finding.status}: ${s.finding.reason} — ${s.finding.message}` }
        : { type: 'findings', findings: [s.finding] },
      { type: 'context', text: context },
    ],
    buttons:
      phase === 'resolved'
        ? [{ verb: 'status', label: 'Show status', value: { cluster: s.cluster } }]
        : alertButtons(s),
  };
}

/** Thread reply: a reminder after `renotifyAfter`, or the resolution. */
export function alertReply(s: AlertState, now: Date, what: 'renotify' | 'resolved'): BotMessage {
  const forHowLong = formatDuration(now.getTime() - Date.parse(s.since));
  const text =
    what === 'resolved'
      ? s.kind === 'unknown'
        ? `Resolved: ${s.key} can be checked again after ${forHowLong} (its findings are in the status report).`
        : `Resolved: ${s.key} is ok again after ${forHowLong}.`
      : `Still failing after ${forHowLong}: ${s.finding.reason} — ${s.finding.message}`;
  return {
    kind: 'alert',
    summary: text.slice(0, 300),
    tone: what === 'resolved' ? 'ok' : s.finding.status,
    sections: [{ type: 'text', text, tone: what === 'resolved' ? 'ok' : s.finding.status }],
    buttons: what === 'resolved' ? undefined : alertButtons(s),
  };
}
