/** The chart port (DESIGN §11): a Vega-Lite spec in, a PNG out. adapters/charts implements it locally. */
import type { TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

export interface RenderedChart {
  png: Buffer;
  /** The SVG the PNG was rasterized from (golden files, debugging). */
  svg: string;
  width: number;
  height: number;
}

export interface ChartRenderer {
  render(spec: ChartSpec): Promise<RenderedChart>;
}

/** Neither side of a picture may exceed this (DESIGN §11). */
export const MAX_CHART_PX = 1000;
/** Teams takes inline images up to 1 MB; Slack far more, but a chart never needs it. */
export const MAX_CHART_BYTES = 1024 * 1024;

/** The font every chart names; the renderer loads it from the repo (assets/fonts), never from the system. */
export const CHART_FONT = 'DejaVu Sans';
