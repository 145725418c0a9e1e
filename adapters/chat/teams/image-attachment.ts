/**
 * Pictures into Teams (DESIGN §11): an inline attachment whose contentUrl is an `image/png` data URL,
 * next to the Adaptive Card. Teams takes inline images up to 1 MB; a bigger one is left out and the
 * card says so (the shell and Slack still get it).
 */
import type { BotMessage, MessageImage } from '../../../bot/message.js';
import { MAX_CHART_BYTES } from '../../../jobs/charts/chart-port.js';

export interface ImageAttachment {
  contentType: 'image/png';
  contentUrl: string;
  name: string;
}

export function pngBytes(image: MessageImage): number {
  return Buffer.byteLength(image.pngBase64, 'base64');
}

export function imageAttachment(image: MessageImage): ImageAttachment | undefined {
  if (pngBytes(image) > MAX_CHART_BYTES) return undefined;
  return {
    contentType: 'image/png',
    contentUrl: `data:image/png;base64,${image.pngBase64}`,
    name: image.fileName,
  };
}

/** The message as the card shows it when its picture is too big to travel inline. */
export function withoutImage(message: BotMessage): BotMessage {
  if (!message.image || imageAttachment(message.image)) return message;
  const kb = Math.round(pngBytes(message.image) / 1024);
  return {
    ...message,
    sections: [
      {
        type: 'context',
        text: `The picture (${kb} KB) is over Teams' 1 MB limit for inline images, so it is not shown: ${message.image.alt}`,
      },
      ...message.sections,
    ],
  };
}
