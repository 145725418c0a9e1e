/**
 * ChartRenderer on Vega-Lite → Vega (renderer `none`, no DOM, no canvas) → SVG → PNG by resvg, with
 * the bundled DejaVu Sans only (loadSystemFonts: false): the same pixels on every machine, no network.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import {
  CHART_FONT,
  type ChartRenderer,
  type ChartSpec,
  MAX_CHART_PX,
  type RenderedChart,
} from '../../jobs/charts/chart-port.js';

const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));
export const CHART_FONT_FILES = [`${FONT_DIR}DejaVuSans.ttf`, `${FONT_DIR}DejaVuSans-Bold.ttf`];

export interface VegaChartRendererOptions {
  /** Largest width and height of the PNG; larger charts are scaled down. @defaultValue 1000 */
  maxPx?: number;
  /** @defaultValue the bundled DejaVu Sans files */
  fontFiles?: string[];
}

/**
 * Vega, Vega-Lite and resvg are loaded on the first chart, not at start: together ~45 MB of RSS that a
 * worker scanning the fleet would otherwise carry all day for one digest a week (BENCHMARKS.md).
 */
let libraries: Promise<Libraries> | undefined;
interface Libraries {
  Resvg: typeof import('@resvg/resvg-js').Resvg;
  parse: typeof import('vega').parse;
  View: typeof import('vega').View;
  compile: typeof import('vega-lite').compile;
}
function loadLibraries(): Promise<Libraries> {
  libraries ??= Promise.all([import('@resvg/resvg-js'), import('vega'), import('vega-lite')]).then(
    ([resvg, vega, vegaLite]) => ({
      Resvg: resvg.Resvg,
      parse: vega.parse,
      View: vega.View,
      compile: vegaLite.compile,
    }),
  );
  return libraries;
}

export class VegaChartRenderer implements ChartRenderer {
  private readonly maxPx: number;
  private readonly resvg: ResvgRenderOptions;

  constructor(options: VegaChartRendererOptions = {}) {
    this.maxPx = options.maxPx ?? MAX_CHART_PX;
    const fontFiles = options.fontFiles ?? CHART_FONT_FILES;
    // resvg draws no text at all without its font, silently: refuse to start instead.
    const missing = fontFiles.filter((f) => !existsSync(f));
    if (missing.length)
      throw new Error(`chart font missing: ${missing.join(', ')} (ship assets/fonts with dpbot)`);
    this.resvg = {
      font: {
        loadSystemFonts: false,
        fontFiles,
        defaultFontFamily: CHART_FONT,
      },
      background: '#ffffff',
      shapeRendering: 2,
      textRendering: 1,
    };
  }

  async render(spec: ChartSpec): Promise<RenderedChart> {
    const { Resvg, parse, View, compile } = await loadLibraries();
    const view = new View(parse(compile(spec).spec), { renderer: 'none' });
    let svg: string;
    try {
      svg = await view.toSVG();
    } finally {
      view.finalize();
    }
    const natural = new Resvg(svg, this.resvg);
    const scale = Math.min(1, this.maxPx / natural.width, this.maxPx / natural.height);
    const resvg =
      scale < 1 ? new Resvg(svg, { ...this.resvg, fitTo: { mode: 'zoom', value: scale } }) : natural;
    const image = resvg.render();
    return { png: image.asPng(), svg, width: image.width, height: image.height };
  }
}
