/** Renders the neutral BotMessage as Slack Block Kit, always within Slack's limits (slack-limits.ts). */
import type { types } from '@slack/bolt';
import type { BotMessage, Button, Section } from '../../../bot/message.js';
import { STATUS_EMOJI } from '../../../bot/message.js';
import { escapeMrkdwn, SLACK_LIMITS as L, truncate } from './slack-limits.js';

type KnownBlock = types.KnownBlock;
type ActionsBlock = types.ActionsBlock;

export interface SlackPayload {
  /** Notification / fallback text. */
  text: string;
  blocks: KnownBlock[];
}

/** A rendered body block and how many user-visible items (findings, rows…) it carries. */
interface Part {
  block: KnownBlock;
  items: number;
  unit: string;
  /** Parts that may be dropped (long lists) when the message is over the block limit. */
  droppable: boolean;
}

export const ACTION_PREFIX = 'dp:';

export function renderSlack(message: BotMessage): SlackPayload {
  const head: KnownBlock[] = [];
  if (message.title) {
    const emoji = message.tone ? `${STATUS_EMOJI[message.tone]} ` : '';
    head.push({
      type: 'header',
      text: { type: 'plain_text', text: truncate(`${emoji}${message.title}`, L.headerChars), emoji: true },
    });
  }
  const body = message.sections.flatMap(renderSection);
  const actions = renderButtons(message.buttons ?? []);
  const room = L.blocksPerMessage - head.length - actions.length;
  return {
    text: truncate(escapeMrkdwn(message.summary), L.fallbackChars),
    blocks: [...head, ...fitParts(body, room), ...actions],
  };
}

/** Drops droppable parts from the end until the message fits, then says what was left out. */
function fitParts(parts: Part[], room: number): KnownBlock[] {
  if (parts.length <= room) return parts.map((p) => p.block);
  const kept = [...parts];
  const dropped = new Map<string, number>();
  // One block is reserved for the "n more" line.
  while (kept.length > room - 1) {
    let i = kept.length - 1;
    while (i >= 0 && !kept[i].droppable) i--;
    if (i < 0) i = kept.length - 1; // nothing droppable left: drop from the end anyway
    const [p] = kept.splice(i, 1);
    dropped.set(p.unit, (dropped.get(p.unit) ?? 0) + p.items);
  }
  const more = [...dropped].map(([unit, n]) => `${n} more ${unit}`).join(', ');
  // Keep the "n more" line next to the list it shortens (before trailing context such as "scanned 2m ago").
  let at = kept.length;
  while (at > 0 && !kept[at - 1].droppable) at--;
  const note: Part = {
    block: { type: 'context', elements: [{ type: 'mrkdwn', text: `… ${more} not shown` }] },
    items: 0,
    unit: '',
    droppable: false,
  };
  kept.splice(at === 0 ? kept.length : at, 0, note);
  return kept.map((p) => p.block);
}

function renderSection(section: Section): Part[] {
  switch (section.type) {
    case 'text': {
      const emoji = section.tone ? `${STATUS_EMOJI[section.tone]} ` : '';
      return packLines(`${emoji}${escapeMrkdwn(section.text)}`.split('\n'), 'lines', (t) => t);
    }
    case 'findings':
      return packLines(
        section.findings.map(
          // The status in words too (DESIGN §1: ok / warn / fail / unknown), not only as an emoji.
          (f) =>
            `${STATUS_EMOJI[f.status]} ${f.status} *${f.check}* \`${f.reason}\` ${escapeMrkdwn(f.message)}`,
        ),
        'findings',
        (t) => t,
      );
    case 'table':
      return renderTable(section.columns, section.rows);
    case 'fields':
      return chunk(section.fields, L.fieldsPerSection).map((fields) => ({
        block: {
          type: 'section',
          fields: fields.map((f) => ({
            type: 'mrkdwn' as const,
            text: truncate(
              f.highlight
                ? `:warning: *${escapeMrkdwn(f.label)}*\n*${escapeMrkdwn(f.value)}*`
                : `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`,
              L.fieldChars,
            ),
          })),
        },
        items: fields.length,
        unit: 'fields',
        droppable: false,
      }));
    case 'context':
      return [
        {
          block: {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(section.text), L.textChars) }],
          },
          items: 1,
          unit: 'notes',
          droppable: false,
        },
      ];
  }
}

/** Tables as monospace code blocks (readable on every Slack client), header repeated in each block. */
function renderTable(columns: string[], rows: string[][]): Part[] {
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const line = (cells: string[]) =>
    columns
      .map((_, i) => truncate(cells[i] ?? '', widths[i]).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const header = line(columns);
  const fence = '```';
  const budget = L.textChars - header.length - 2 * fence.length - 2;
  return packLines(
    rows.map((r) => escapeMrkdwn(line(r))),
    'rows',
    (t) => `${fence}\n${header}\n${t}${fence}`,
    budget,
  );
}

/** Packs lines into as few sections as the per-text limit allows; one part per section. */
function packLines(
  lines: string[],
  unit: string,
  wrap: (text: string) => string,
  budget: number = L.textChars,
): Part[] {
  const parts: Part[] = [];
  let current: string[] = [];
  let size = 0;
  const flush = () => {
    if (current.length === 0) return;
    const text = wrap(current.join('\n'));
    parts.push({
      block: { type: 'section', text: { type: 'mrkdwn', text } },
      items: current.length,
      unit,
      droppable: true,
    });
    current = [];
    size = 0;
  };
  for (const raw of lines) {
    const l = truncate(raw, budget);
    if (size + l.length + 1 > budget) flush();
    current.push(l);
    size += l.length + 1;
  }
  flush();
  return parts;
}

/**
 * Every button's action_id is exactly `dp:<verb>`. Slack wants action_ids unique within a block, so a
 * verb repeated in one message (Snooze 4h, Snooze 1d) starts another actions block.
 */
function renderButtons(buttons: Button[]): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  let verbs = new Set<string>();
  for (const b of buttons) {
    const value = JSON.stringify(b.value);
    // Values carry ids only; a long one is a programming error, not something to truncate silently.
    if (value.length > L.buttonValueChars)
      throw new Error(`button ${b.verb} value exceeds ${L.buttonValueChars} chars`);
    const last = blocks.at(-1);
    if (!last || verbs.has(b.verb) || last.elements.length >= L.elementsPerActions) {
      blocks.push({ type: 'actions', elements: [] });
      verbs = new Set();
    }
    verbs.add(b.verb);
    blocks.at(-1)!.elements.push({
      type: 'button',
      action_id: `${ACTION_PREFIX}${b.verb}`,
      text: { type: 'plain_text', text: truncate(b.label, L.buttonTextChars), emoji: true },
      value,
      ...(b.style ? { style: b.style } : {}),
    });
  }
  return blocks;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
