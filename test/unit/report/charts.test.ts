import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabelled } from '../../../src/cli/commands/report.js';
import { allCharts } from '../../../src/report/charts.js';
import { summaryMarkdown } from '../../../src/export/markdown.js';

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
    expect(values.filter((v) => v.status === 'fallback')).toEqual([
      expect.objectContaining({ source: 'pingperf-with-fallback' }),
    ]);
  });

  it('lists what each checkpoint holds that can matter at restore', async () => {
    const [input] = await loadLabelled(['pingperf-3-variants.json'], FIXTURES);
    if (!input) throw new Error('fixture missing');
    const checkpoints = input.results.checkpoints.map((c) => ({
      ...c,
      contents: {
        pagesWritten: 1,
        memoryBytes: 4096,
        dumpMs: { freezing: 1, frozen: 1, memdump: 1, memwrite: 1 },
        processes: 2,
        threads: 40,
        files: { regular: 3 },
        serverFiles: [
          {
            path: '/opt/ol/wlp/usr/servers/defaultServer/data/db/log/log1.dat',
            access: 'read-write' as const,
            append: false,
            sizeBytes: 1048576,
          },
        ],
        sockets: [{ state: 'established', protocol: 'tcp', local: '10.88.0.3:41000', remote: '10.88.0.2:5432' }],
      },
    }));
    const md = summaryMarkdown([{ ...input, results: { ...input.results, checkpoints } }]);
    expect(md).toContain('### What can matter at restore');
    expect(md).toContain('1 for writing (/opt/ol/wlp/usr/servers/defaultServer/data/db/log/log1.dat (1048576 bytes))');
    expect(md).toContain('1 connected (tcp 10.88.0.3:41000 -> 10.88.0.2:5432 established)');
  });
});

describe('the reference reports read right', () => {
  const REFERENCE = path.resolve(__dirname, '../../../results/reference');

  it('names waterfall segments by what happens in them, each with its own colour, on one time axis', async () => {
    const inputs = await loadLabelled(['blog-trio.json'], REFERENCE);
    const charts = allCharts(inputs);
    const waterfall = charts.find((c) => c.name === 'waterfall')?.spec as unknown as {
      spec: { layer: Array<{ encoding: { color?: { title: string; scale: { domain: string[]; range: string[] } } } }> };
      resolve?: unknown;
    };
    const color = waterfall.spec.layer[0]?.encoding.color;
    expect(color?.title).toBe('what happens');
    expect(color?.scale.domain).toContain('Liberty starts its features and the app');
    expect(color?.scale.domain).toContain('CRIU restores the process');
    // No segment is named after the mark it ends at (read as a phase of that name).
    expect(color?.scale.domain.some((d) => /^(app started|container created)/.test(d))).toBe(false);
    expect(new Set(color?.scale.range).size).toBe(color?.scale.domain.length);
    expect(waterfall.resolve).toBeUndefined();
    const distribution = charts.find((c) => c.name === 'distribution')?.spec as { resolve?: unknown };
    expect(distribution.resolve).toBeUndefined();
  });

  it('orders every summary table by scenario as the run was configured', async () => {
    const inputs = await loadLabelled(['blog-trio.json'], REFERENCE);
    const md = summaryMarkdown(inputs);
    const order = inputs[0]?.results.config.scenarios ?? [];
    expect(order).toEqual(['pingperf', 'rest-crud', 'acmeair-main']);
    for (const heading of [
      '# Startup summary',
      '## Where the time goes',
      '## Restores and what the checkpoints hold',
    ]) {
      const table = md.slice(md.indexOf(heading)).split('\n## ')[0] ?? '';
      const seen = [...table.matchAll(/^\| (pingperf|rest-crud|acmeair-main) \|/gm)].map((m) => m[1]);
      expect([...new Set(seen)], heading).toEqual(order);
    }
  });
});

describe('the committed reference reports are what the tool draws today', () => {
  const REFERENCE = path.resolve(__dirname, '../../../results/reference');
  const REPORTS = path.resolve(__dirname, '../../../reports');

  it.each([
    ['blog-trio.json', 'reference'],
    ['blog-trio-ramp-up.json', 'reference-ramp-up'],
  ])('%s: every chart spec and summary.md in reports/%s', async (file, dir) => {
    const inputs = await loadLabelled([file], REFERENCE);
    const regenerate = `regenerate: instanton-bench report results/reference/${file} --out reports/${dir}`;
    for (const chart of allCharts(inputs)) {
      const committed = await readFile(path.join(REPORTS, dir, `${chart.name}.vl.json`), 'utf8').catch(() => '');
      if (committed !== `${JSON.stringify(chart.spec, null, 2)}\n`)
        expect.fail(`${chart.name}.vl.json differs; ${regenerate}`);
    }
    const summary = await readFile(path.join(REPORTS, dir, 'summary.md'), 'utf8');
    if (summary !== summaryMarkdown(inputs)) expect.fail(`summary.md differs; ${regenerate}`);
  });
});
