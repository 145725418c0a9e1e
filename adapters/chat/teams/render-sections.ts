/** Neutral message sections → Adaptive Card 1.5 body elements (TextBlock, FactSet, Table). */

import { type Section, STATUS_EMOJI } from '../../../bot/message.js';
import type { Finding, Status } from '../../../jobs/checks/finding.js';

/** Adaptive Card JSON is open-ended; elements are plain objects checked by the adaptivecards parser in tests. */
export type CardElement = Record<string, unknown>;

/** Longest text kept in one TextBlock; longer text is cut so one field cannot blow the card size limit. */
const MAX_TEXT = 3000;

export const TONE_COLOR: Record<Status | 'info', string> = {
  ok: 'good',
  warn: 'warning',
  fail: 'attention',
  unknown: 'default',
  info: 'accent',
};

export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function textBlock(text: string, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: clip(text), wrap: true, ...extra };
}

/** Renders one section; `cap` limits list-like sections (findings, table rows) to fit the size limit. */
export function renderSection(section: Section, cap: number): CardElement[] {
  switch (section.type) {
    case 'text':
      return [textBlock(section.text, section.tone ? { color: TONE_COLOR[section.tone] } : {})];
    case 'context':
      return [textBlock(section.text, { isSubtle: true, size: 'Small', spacing: 'Small' })];
    case 'findings':
      return withOverflow(
        section.findings.slice(0, cap).flatMap(renderFinding),
        section.findings.length,
        cap,
      );
    case 'table':
      return withOverflow(
        [renderTable(section.columns, section.rows.slice(0, cap))],
        section.rows.length,
        cap,
      );
    case 'fields':
      return renderFields(section.fields);
  }
}

/** Number of items a section can lose to truncation (0 for sections that are never cut). */
export function listLength(section: Section): number {
  if (section.type === 'findings') return section.findings.length;
  if (section.type === 'table') return section.rows.length;
  return 0;
}

function withOverflow(elements: CardElement[], total: number, cap: number): CardElement[] {
  if (total <= cap) return elements;
  const note = `… ${total - cap} more not shown (Teams card size limit)`;
  return [...elements, textBlock(note, { isSubtle: true, size: 'Small', weight: 'Bolder' })];
}

// The status in words and the reason code on every line (DESIGN §1, §6); the message below, subtle.
function renderFinding(f: Finding): CardElement[] {
  const resource = f.resource && !f.message.includes(f.resource) ? ` (${f.resource})` : '';
  return [
    textBlock(`${STATUS_EMOJI[f.status]} ${f.status} · **${f.check}** · ${f.reason}`, {
      color: TONE_COLOR[f.status],
      spacing: 'Medium',
    }),
    textBlock(`${f.message}${resource}`, { isSubtle: true, spacing: 'None' }),
  ];
}

function renderTable(columns: string[], rows: string[][]): CardElement {
  const cell = (text: string, header = false): CardElement => ({
    type: 'TableCell',
    items: [textBlock(text, header ? { weight: 'Bolder' } : {})],
  });
  return {
    type: 'Table',
    gridStyle: 'accent',
    firstRowAsHeader: true,
    showGridLines: false,
    columns: columns.map(() => ({ width: 1 })),
    rows: [
      { type: 'TableRow', cells: columns.map((c) => cell(c, true)) },
      ...rows.map((r) => ({ type: 'TableRow', cells: columns.map((_, i) => cell(r[i] ?? '')) })),
    ],
  };
}

// FactSet cannot colour one fact, so a highlighted field (e.g. existingResourcePolicy=update) breaks
// the run of facts and is shown as its own bold, red line, in its place.
function renderFields(fields: { label: string; value: string; highlight?: boolean }[]): CardElement[] {
  const out: CardElement[] = [];
  let facts: { title: string; value: string }[] = [];
  const flush = () => {
    if (facts.length) out.push({ type: 'FactSet', facts });
    facts = [];
  };
  for (const f of fields) {
    if (!f.highlight) {
      facts.push({ title: clip(f.label, 200), value: clip(f.value) });
      continue;
    }
    flush();
    out.push(textBlock(`⚠️ **${f.label}:** ${f.value}`, { color: 'attention', spacing: 'Small' }));
  }
  flush();
  return out;
}
