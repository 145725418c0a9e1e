/** Plain-text rendering of the neutral message model for the terminal. */
import type { BotMessage, Section } from '../../../bot/message.js';
import { STATUS_EMOJI } from '../../../bot/message.js';

function table(columns: string[], rows: string[][]): string[] {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function section(s: Section): string[] {
  switch (s.type) {
    case 'text':
      return [s.tone && s.tone !== 'info' ? `${STATUS_EMOJI[s.tone]} ${s.text}` : s.text];
    case 'context':
      return [`  (${s.text})`];
    case 'fields':
      return s.fields.map((f) => `  ${f.label}: ${f.value}${f.highlight ? '   <-- attention' : ''}`);
    case 'table':
      return table(s.columns, s.rows).map((l) => `  ${l}`);
    case 'findings':
      return s.findings.map(
        (f) =>
          `  ${STATUS_EMOJI[f.status]} ${f.status.padEnd(7)} ${f.check.padEnd(18)} ${f.reason.padEnd(26)} ${f.message}`,
      );
  }
}

export function renderText(m: BotMessage): string {
  const lines: string[] = [];
  if (m.title) lines.push(`${m.tone ? `${STATUS_EMOJI[m.tone]} ` : ''}${m.title}`);
  for (const s of m.sections) lines.push(...section(s));
  if (m.buttons?.length)
    lines.push(
      `  [${m.buttons.map((b) => `${b.label}: /dp ${buttonCommand(b.verb, b.value)}`).join(' | ')}]`,
    );
  return lines.join('\n');
}

/** The text command a shell user types instead of clicking. */
function buttonCommand(verb: string, value: Record<string, string>): string {
  switch (verb) {
    case 'approve':
      return `approve ${value.id}`;
    case 'reject':
      return `reject ${value.id}`;
    case 'snooze': {
      const [cluster, ...check] = (value.key ?? '').split('/');
      return `snooze ${cluster} ${check[0] ?? ''} ${value.for ?? '4h'}`;
    }
    case 'backup':
      return `backup ${value.cluster}${value.schedule ? ` --schedule ${value.schedule}` : ''}`;
    default:
      return `status ${value.cluster ?? ''}`;
  }
}
