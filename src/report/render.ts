import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './chart-style.js';
import { dejaVuMeasurer, installTextMetrics } from './text-metrics.js';

/**
 * Whether vega lays text out with DejaVu Sans's real advances (see text-metrics.ts); false when
 * the font is not installed, and vega's 0.8 em-per-character estimate leaves wide margins.
 */
export const FONT_METRICS_INSTALLED = installTextMetrics(
  (vega as unknown as { textMetrics: Parameters<typeof installTextMetrics>[0] }).textMetrics,
  dejaVuMeasurer(),
);

/** vega-lite spec -> SVG, headless (vega's 'none' renderer; no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export const PNG_SCALE = 2;

/** SVG -> PNG with resvg (system fonts), at twice the SVG's size for sharp slides. */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  });
  return resvg.render().asPng();
}
