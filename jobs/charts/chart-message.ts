/** Rendered charts as neutral messages: the picture, its words (alt), and a text fallback. */
import type { BotMessage, MessageImage, Section } from '../../bot/message.js';
import type { Status } from '../checks/finding.js';
import type { Posture } from '../posture.js';
import { backupHistory } from './backup-history.js';
import type { ChartRenderer, ChartSpec } from './chart-port.js';
import { type FleetHeatmap, fleetHeatmap } from './fleet-heatmap.js';

function stamp(now: Date): string {
  return now.toISOString().slice(0, 16).replace(/[-:]/g, '');
}

export async function renderImage(
  renderer: ChartRenderer,
  spec: ChartSpec,
  meta: Omit<MessageImage, 'pngBase64' | 'width' | 'height'>,
): Promise<MessageImage> {
  const chart = await renderer.render(spec);
  return { ...meta, pngBase64: chart.png.toString('base64'), width: chart.width, height: chart.height };
}

export async function heatmapImage(
  renderer: ChartRenderer,
  heatmap: FleetHeatmap,
  now: Date,
  name = 'fleet',
): Promise<MessageImage> {
  return renderImage(renderer, heatmap.spec, {
    alt: heatmap.alt,
    title: 'Fleet protection heatmap',
    fileName: `dpbot-${name}-${stamp(now)}Z.png`,
  });
}

/** `/dp chart all`. */
export async function fleetChartMessage(
  renderer: ChartRenderer,
  names: string[],
  postures: Map<string, Posture>,
  now: Date,
): Promise<BotMessage> {
  const heatmap = fleetHeatmap(names, postures, now);
  const worst = (['fail', 'warn', 'unknown', 'ok'] as Status[]).find((s) => heatmap.counts[s] > 0) ?? 'ok';
  const sections: Section[] = [{ type: 'context', text: heatmap.alt }];
  return {
    kind: 'chart',
    title: `Fleet heatmap: ${names.length} cluster${names.length === 1 ? '' : 's'}`,
    tone: worst,
    summary: heatmap.alt,
    image: await heatmapImage(renderer, heatmap, now),
    sections,
  };
}

/** `/dp chart <cluster>`. */
export async function historyChartMessage(
  renderer: ChartRenderer,
  cluster: string,
  posture: Posture | undefined,
  now: Date,
): Promise<BotMessage> {
  const history = backupHistory(cluster, posture, now);
  return {
    kind: 'chart',
    title: `Backup history of ${cluster}`,
    tone: posture?.status ?? 'unknown',
    summary: history.alt,
    image: await renderImage(renderer, history.spec, {
      alt: history.alt,
      title: `Backups of ${cluster}, last 30 days`,
      fileName: `dpbot-backups-${cluster}-${stamp(now)}Z.png`,
    }),
    sections: [{ type: 'context', text: history.alt }],
  };
}
