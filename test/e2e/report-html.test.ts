import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { passThrough } from '../support/capture-io.js';
import { launchChromium } from '../support/browser.js';

describe('HTML report in a real browser', () => {
  it('draws every chart with no console error, offline', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'ib-report-'));
    const code = await runCli(
      [
        'report',
        'test/fixtures/results/pingperf-3-variants.json',
        'test/fixtures/results/pingperf-with-fallback.json',
        '--out',
        out,
      ],
      passThrough(),
    );
    expect(code).toBe(0);
    const files = await readdir(out);
    for (const f of ['index.html', 'summary.md', 'runs.csv']) expect(files).toContain(f);
    for (const ext of ['.svg', '.png', '.vl.json'])
      expect(files.filter((f) => f.endsWith(ext)).length).toBeGreaterThanOrEqual(4);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${path.join(out, 'index.html')}`);
      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => ({
          id: f.id,
          marks: f.querySelectorAll('svg path, svg rect, svg line, svg text').length,
          width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        })),
      );
      expect(charts.map((c) => c.id)).toEqual([
        'chart-ready',
        'chart-first-response',
        'chart-distribution',
        'chart-memory',
        'chart-speedup',
        // No waterfall: these fixture files hold no timelines, and a chart with nothing to draw is left out.
        'chart-scale-to-zero',
      ]);
      for (const c of charts) {
        expect(c.marks, c.id).toBeGreaterThan(10);
        expect(c.width, c.id).toBeGreaterThan(100);
      }
      expect(await page.locator('table').first().textContent()).toContain('afterAppStart');
      await page.screenshot({ path: path.join(out, 'screenshot.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("reads at a laptop's width: no table past the page at 1300 and 800 pixels; one host says so in one line", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'ib-report-width-'));
    // One host, as the quickstart's run: no portability matrix of "same" cells.
    expect(await runCli(['report', 'results/reference/noise-pingperf.json', '--out', out], passThrough())).toBe(0);
    const browser = await launchChromium();
    try {
      for (const width of [1300, 800]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`file://${path.join(out, 'index.html')}`);
        const overflow = await page.evaluate(() => {
          const page = document.documentElement.clientWidth;
          return [...document.querySelectorAll('table, figure svg')]
            .map((t) => ({ tag: t.tagName, right: t.getBoundingClientRect().right }))
            .filter((t) => t.right > page + 1);
        });
        expect(overflow, `at ${width} px`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await page.textContent('body')).toMatch(
          /Every start ran on the host that took the checkpoints, as it is/,
        );
        await page.screenshot({ path: path.join(out, `screenshot-${width}.png`), fullPage: true });
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
