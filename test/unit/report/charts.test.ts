import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabelled } from '../../../src/cli/commands/report.js';
import { allCharts } from '../../../src/report/charts.js';
import { summaryMarkdown } from '../../../src/report/markdown.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/results');

describe('report builders on fixture results', () => {
  it('builds the same vega-lite specs every time', async () => {
    const inputs = await loadLabelled(['pingperf-3-variants.json'], FIXTURES);
    for (const chart of allCharts(inputs)) {
      expect(chart.spec).toMatchSnapshot(chart.name);
    }
  });

  it('writes the same summary.md every time', async () => {
    const inputs = await loadLabelled(['pingperf-3-variants.json'], FIXTURES);
    expect(summaryMarkdown(inputs)).toMatchSnapshot();
  });

  it('shows several results files side by side', async () => {
    const inputs = await loadLabelled(['pingperf-3-variants.json', 'pingperf-with-fallback.json'], FIXTURES);
    const md = summaryMarkdown(inputs);
    expect(md).toContain('| source | scenario | variant |');
    expect(md).toContain('| pingperf-with-fallback | pingperf | afterAppStart | 2/3 |');
    const distribution = allCharts(inputs).find((c) => c.name === 'distribution');
    const values = (distribution?.spec as { data: { values: Array<{ status: string; source: string }> } }).data.values;
    expect(values.filter((v) => v.status === 'fallback')).toEqual([expect.objectContaining({ source: 'pingperf-with-fallback' })]);
  });
});
