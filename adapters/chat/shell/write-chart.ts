/** The shell's pictures: PNG files under ./.dpbot/charts/, announced by their path (DESIGN §11). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { MessageImage } from '../../../bot/message.js';

export const DEFAULT_CHART_DIR = '.dpbot/charts';

/** Writes the PNG and returns the line that names it. */
export function writeChart(image: MessageImage, dir = DEFAULT_CHART_DIR): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  // fileName is built by dpbot (cluster names are DNS-1123 labels); keep only its last path segment anyway.
  const file = join(abs, image.fileName.replace(/^.*[\\/]/, ''));
  writeFileSync(file, Buffer.from(image.pngBase64, 'base64'));
  const shown = relative(process.cwd(), file);
  return `  🖼  picture: ${shown.startsWith('..') ? file : `./${shown}`} (${image.width}×${image.height} px)`;
}
