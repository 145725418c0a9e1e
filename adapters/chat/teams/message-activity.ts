/**
 * Neutral message → Teams activity, and a Teams conversation id → neutral Conversation. Plain data, no
 * botbuilder values: the adapter uses these before (and without) loading botbuilder.
 */
import type { Activity } from 'botbuilder';
import type { Conversation } from '../../../bot/chat-port.js';
import type { BotMessage } from '../../../bot/message.js';
import { channelIdOf, threadIdOf } from '../../store/conversation-refs.js';
import { imageAttachment, withoutImage } from './image-attachment.js';
import { cardAttachment } from './render.js';

/** An invoke answer of this type shows its plain-text `value` to the clicker as a toast. */
export const MESSAGE_RESPONSE_TYPE = 'application/vnd.microsoft.activity.message';

export function messageActivity(message: BotMessage): Partial<Activity> {
  const image = message.image && imageAttachment(message.image);
  const card = cardAttachment(withoutImage(message));
  return { type: 'message', summary: message.summary, attachments: image ? [card, image] : [card] };
}

export function conversationOf(activity: Partial<Activity>): Conversation {
  const id = activity.conversation?.id ?? '';
  const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id;
  const conversation: Conversation = { platform: 'teams', channel: channelIdOf(id) };
  const thread = threadIdOf(id);
  if (thread) conversation.thread = thread;
  if (tenant) conversation.team = tenant;
  return conversation;
}
