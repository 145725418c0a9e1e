/**
 * Pictures into Slack (DESIGN §11): Bolt's `filesUploadV2` — files.getUploadURLExternal, the bytes to
 * the upload URL, files.completeUploadExternal with `channel_id` and the message's blocks, so the
 * picture and its text arrive as one message. Needs the `files:write` scope.
 */
import type { webApi } from '@slack/bolt';
import type { Conversation, MessageRef } from '../../../bot/chat-port.js';
import type { MessageImage } from '../../../bot/message.js';
import type { SlackPayload } from './render.js';

/** Refs of picture messages: Slack shares an uploaded file asynchronously, so there is no ts to edit. */
export const FILE_REF = 'file:';

export async function uploadImage(
  client: webApi.WebClient,
  to: Conversation,
  payload: SlackPayload,
  image: MessageImage,
): Promise<MessageRef> {
  const res = await client.filesUploadV2({
    channel_id: to.channel,
    ...(to.thread ? { thread_ts: to.thread } : {}),
    file: Buffer.from(image.pngBase64, 'base64'),
    filename: image.fileName,
    title: image.title,
    alt_text: image.alt.slice(0, 1000),
    // With blocks (and no initial_comment) the message carries our whole rendering next to the picture.
    blocks: payload.blocks,
  } as webApi.FilesUploadV2Arguments);
  const completed = (res.files ?? []) as { files?: { id?: string; shares?: Shares }[] }[];
  const file = completed[0]?.files?.[0];
  const ts = shareTs(file?.shares, to.channel);
  return {
    platform: 'slack',
    channel: to.channel,
    thread: to.thread,
    team: to.team,
    id: ts ?? `${FILE_REF}${file?.id ?? 'unknown'}`,
  };
}

type Shares = Record<'public' | 'private', Record<string, { ts?: string }[]> | undefined>;

function shareTs(shares: Shares | undefined, channel: string): string | undefined {
  return shares?.public?.[channel]?.[0]?.ts ?? shares?.private?.[channel]?.[0]?.ts;
}
