/**
 * The neutral message model. Handlers and jobs build these; each chat adapter renders them
 * (Slack Block Kit, Teams Adaptive Cards, shell text). No platform markup here.
 */
import type { Finding, Status } from '../jobs/checks/finding.js';

export type MessageKind =
  | 'text'
  | 'error'
  | 'help'
  | 'whoami'
  | 'status-report'
  | 'fleet'
  | 'backups'
  | 'approval'
  | 'approvals'
  | 'alert'
  | 'alerts'
  | 'audit'
  | 'chart'
  | 'digest'
  | 'drills';

export type Section =
  | { type: 'text'; text: string; tone?: Status | 'info' }
  | { type: 'findings'; findings: Finding[] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'fields'; fields: { label: string; value: string; highlight?: boolean }[] }
  | { type: 'context'; text: string };

/** Button verbs: rendered as `dp:<verb>` (Slack action_id, Teams Action.Execute verb); adapters accept only these. */
export const BUTTON_VERBS = ['approve', 'reject', 'snooze', 'backup', 'status'] as const;
export type ButtonVerb = (typeof BUTTON_VERBS)[number];

export function isButtonVerb(verb: string): verb is ButtonVerb {
  return (BUTTON_VERBS as readonly string[]).includes(verb);
}

export interface Button {
  verb: ButtonVerb;
  label: string;
  /** Ids only (proposal id, action hash, cluster, alert key, duration) — never free text or secrets. */
  value: Record<string, string>;
  style?: 'primary' | 'danger';
}

export interface BotMessage {
  kind: MessageKind;
  /** Plain-text fallback used for notifications and the shell. */
  summary: string;
  title?: string;
  /** Overall tone: drives the colour/emoji of the header. */
  tone?: Status | 'info';
  sections: Section[];
  buttons?: Button[];
  /** A picture (DESIGN §11); shown above the sections, `summary` and `alt` stand in where it cannot be shown. */
  image?: MessageImage;
}

/** A rendered PNG. Base64 so a message stays plain JSON (job data, Redis). */
export interface MessageImage {
  pngBase64: string;
  /** What the picture shows, in words (screen readers, text-only clients). */
  alt: string;
  title: string;
  /** e.g. `dpbot-fleet-20261203T0800Z.png` */
  fileName: string;
  width: number;
  height: number;
}

export const STATUS_EMOJI: Record<Status | 'info', string> = {
  ok: '✅',
  warn: '⚠️',
  fail: '❌',
  unknown: '❔',
  info: 'ℹ️',
};

export function textMessage(text: string, kind: MessageKind = 'text'): BotMessage {
  return { kind, summary: text, sections: [{ type: 'text', text }] };
}
