import { existsSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { escapeHtml } from '../core/neutralise.js';

/**
 * Text widths for vega's layout from the chart font's real glyph advances.
 *
 * Without a canvas, vega estimates every string as 0.8 x font size per character, about 40%
 * wider than DejaVu Sans: titles and legends are then laid out far too wide and the rendered
 * charts carry a blank band on the right. vega lets a caller replace textMetrics.width (as
 * vl-convert does); here the advances come from resvg, the same engine that draws the PNGs:
 * advance(c) = width("H" + c + "H") - width("HH"), measured once per character and weight at
 * 100 px and scaled.
 */
export const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];
const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
const MEASURE_PX = 100;

type Weight = keyof typeof FILES;

export interface TextMeasurer {
  /** Advance width in px of text set in the chart font at fontSize px. */
  width(text: string, fontSize: number, bold: boolean): number;
}

/** A measurer over DejaVu Sans, or undefined when its files are not installed. */
export function dejaVuMeasurer(dirs: readonly string[] = FONT_DIRS): TextMeasurer | undefined {
  const dir = dirs.find((d) => existsSync(path.join(d, FILES.regular)) && existsSync(path.join(d, FILES.bold)));
  if (dir === undefined) return undefined;
  const fontFiles = [path.join(dir, FILES.regular), path.join(dir, FILES.bold)];
  const inkWidth = (text: string, weight: Weight): number => {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${MEASURE_PX * (text.length + 2)}" ` +
      `height="${MEASURE_PX * 2}"><text x="${MEASURE_PX}" y="${MEASURE_PX * 1.5}" font-family="DejaVu Sans" ` +
      `font-size="${MEASURE_PX}"${weight === 'bold' ? ' font-weight="bold"' : ''} ` +
      `xml:space="preserve">${escapeHtml(text)}</text></svg>`;
    const box = new Resvg(svg, {
      font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans' },
    }).getBBox();
    return box ? box.width : 0;
  };
  const advances: Record<Weight, Map<string, number>> = { regular: new Map(), bold: new Map() };
  const base: Partial<Record<Weight, number>> = {};
  const advance = (ch: string, weight: Weight): number => {
    const known = advances[weight].get(ch);
    if (known !== undefined) return known;
    base[weight] ??= inkWidth('HH', weight);
    const a = Math.max(0, inkWidth(`H${ch}H`, weight) - (base[weight] as number));
    advances[weight].set(ch, a);
    return a;
  };
  return {
    width(text, fontSize, bold) {
      const weight: Weight = bold ? 'bold' : 'regular';
      let sum = 0;
      for (const ch of text) sum += advance(ch, weight);
      return (sum * fontSize) / MEASURE_PX;
    },
  };
}

/** vega's view of a text mark item, as much as the width needs. */
interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
}

const isBold = (w: number | string | undefined): boolean =>
  w !== undefined && (w === 'bold' || w === 'bolder' || Number(w) >= 600);

/**
 * Replace vega's text width estimate with the measurer. Returns false (and leaves vega's estimate)
 * when DejaVu Sans is not installed.
 */
export function installTextMetrics(
  textMetrics: { width: (item: TextItem, text?: unknown) => number },
  measurer: TextMeasurer | undefined,
): boolean {
  if (!measurer) return false;
  textMetrics.width = (item: TextItem, text?: unknown): number => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const s = text == null ? '' : String(text).trim();
    return size <= 0 || s === '' ? 0 : measurer.width(s, size, isBold(item.fontWeight));
  };
  return true;
}
