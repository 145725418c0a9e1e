/** Finds the dp command in a Teams message: `dp status x`, `@dpbot status x`, or `status x` in personal chat. */
import type { Activity } from 'botbuilder';

/**
 * Returns the command text without the `dp` word and without the bot's `<at>…</at>` mention,
 * or undefined when the message is not addressed to dpbot (plain channel chatter).
 */
export function commandText(activity: Partial<Activity>): string | undefined {
  const botId = activity.recipient?.id;
  let text = normalize(activity.text ?? '');
  let mentioned = false;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention' || entity.mentioned?.id !== botId) continue;
    mentioned = true;
    // Same removal as TurnContext.removeRecipientMention, but without mutating the activity.
    const mentionText = typeof entity.text === 'string' ? normalize(entity.text) : '';
    if (mentionText) text = text.split(mentionText).join(' ');
  }
  text = text.replace(/<at>[^<]*<\/at>/g, ' ').trim();
  const dpWord = /^\/?dp(?:\s+|$)/i.exec(text);
  if (dpWord) return text.slice(dpWord[0].length).trim();
  const personal = activity.conversation?.conversationType === 'personal';
  return mentioned || personal ? text : undefined;
}

// Teams sends non-breaking spaces around mentions and may end messages with a newline.
function normalize(text: string): string {
  return text.replace(/&nbsp;|\u00a0/g, ' ').replace(/\s+/g, ' ');
}
