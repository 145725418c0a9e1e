/** Walks a rendered payload and lists every Slack limit it breaks (empty list = Slack accepts it). */
import { SLACK_LIMITS as L } from '../../../adapters/chat/slack/slack-limits.js';
import type { SlackPayload } from '../../../adapters/chat/slack/render.js';

type Json = { [k: string]: unknown };

export function slackLimitViolations(payload: SlackPayload): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  check(payload.blocks.length <= L.blocksPerMessage, `${payload.blocks.length} blocks > ${L.blocksPerMessage}`);
  check(payload.text.length <= L.fallbackChars, 'fallback text too long');
  const ids = new Set<string>();
  payload.blocks.forEach((b, i) => {
    const block = b as unknown as Json;
    const text = block.text as { text: string } | undefined;
    if (block.type === 'header') check(text!.text.length <= L.headerChars, `block ${i}: header too long`);
    if (block.type === 'section') {
      if (text) check(text.text.length <= L.textChars, `block ${i}: section text ${text.text.length} chars`);
      const fields = (block.fields as { text: string }[] | undefined) ?? [];
      check(fields.length <= L.fieldsPerSection, `block ${i}: ${fields.length} fields`);
      fields.forEach((f) => check(f.text.length <= L.fieldChars, `block ${i}: field too long`));
    }
    if (block.type === 'context') {
      const els = block.elements as { text: string }[];
      check(els.length <= L.contextElements, `block ${i}: ${els.length} context elements`);
      els.forEach((e) => check(e.text.length <= L.textChars, `block ${i}: context text too long`));
    }
    if (block.type === 'actions') {
      // Slack: an action_id "should be unique among all other action_ids in the containing block".
      ids.clear();
      const els = block.elements as { action_id: string; value: string; text: { text: string } }[];
      check(els.length <= L.elementsPerActions, `block ${i}: ${els.length} buttons`);
      for (const e of els) {
        check(/^dp:[a-z]+$/.test(e.action_id), `block ${i}: action_id ${e.action_id}`);
        check(!ids.has(e.action_id), `block ${i}: duplicate action_id ${e.action_id}`);
        ids.add(e.action_id);
        check(e.value.length <= L.buttonValueChars, `block ${i}: button value too long`);
        check(e.text.text.length <= L.buttonTextChars, `block ${i}: button text too long`);
      }
    }
  });
  return out;
}
