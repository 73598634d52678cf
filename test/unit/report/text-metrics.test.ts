import path from 'node:path';
import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { loadLabelled } from '../../../src/cli/commands/report.js';
import { allCharts } from '../../../src/report/charts.js';
import { FONT_METRICS_INSTALLED, renderSvg } from '../../../src/report/render.js';
import { dejaVuMeasurer, installTextMetrics } from '../../../src/report/text-metrics.js';

// .ci/install-system-deps.sh installs fonts-dejavu-core: the report's charts depend on it.
const measurer = dejaVuMeasurer();

describe('chart text widths from DejaVu Sans', () => {
  it('finds the font the CI installs, and says when it is missing', () => {
    expect(measurer).toBeDefined();
    expect(FONT_METRICS_INSTALLED).toBe(true);
    expect(dejaVuMeasurer(['/nonexistent'])).toBeUndefined();
    expect(installTextMetrics({ width: () => 1 }, undefined)).toBe(false);
  });

  it('measures real advances: narrow and wide letters, spaces, bold, linear in size', () => {
    const m = measurer as NonNullable<typeof measurer>;
    expect(m.width('iiii', 10, false)).toBeLessThan(m.width('mmmm', 10, false) / 2.5);
    expect(m.width('a b', 10, false)).toBeGreaterThan(m.width('ab', 10, false));
    expect(m.width('variant', 12, true)).toBeGreaterThan(m.width('variant', 12, false));
    expect(m.width('afterAppStart', 22, false)).toBeCloseTo(2 * m.width('afterAppStart', 11, false), 6);
    // DejaVu Sans digits are 0.636 em wide
    expect(m.width('0123456789', 100, false)).toBeGreaterThan(600);
    expect(m.width('0123456789', 100, false)).toBeLessThan(660);
    // vega's estimate is 0.8 em a character: a typical subtitle is about 40% narrower in fact
    const subtitle = 'time to ready of each measured start; fallback starts are drawn as crosses';
    expect(m.width(subtitle, 11, false)).toBeLessThan(0.7 * 0.8 * subtitle.length * 11);
  });

  it('lays the charts out without the blank band the estimate leaves', async () => {
    const inputs = await loadLabelled(['pingperf-3-variants.json'], path.resolve(__dirname, '../../fixtures/results'));
    const spec = allCharts(inputs).find((c) => c.name === 'distribution')?.spec;
    const tm = (vega as unknown as { textMetrics: { width: unknown; estimateWidth: unknown } }).textMetrics;
    const measured = tm.width;
    const widthOf = (svg: string): number => Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
    const real = widthOf(await renderSvg(spec as NonNullable<typeof spec>));
    tm.width = tm.estimateWidth;
    try {
      const estimated = widthOf(await renderSvg(spec as NonNullable<typeof spec>));
      expect(real).toBeLessThan(0.85 * estimated);
    } finally {
      tm.width = measured;
    }
  });
});
