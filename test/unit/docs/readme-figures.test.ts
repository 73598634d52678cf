import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hostSpeedDay } from '../../bench/host-speed-day.js';
import { hoursSummary } from '../../bench/history-hours-summary.js';
import { describe, expect, it } from 'vitest';
import { median, quantile } from 'simple-statistics';
import type { ResultsFile, RunRecord } from '../../../src/results/types.js';
import { compareArms } from '../../../src/stats/compare-arms.js';
import { compareResults } from '../../../src/stats/compare.js';
import { analyzeSequential } from '../../../src/stats/sequential.js';
import { analyze } from '../../../src/stats/analyze.js';
import { waterfalls } from '../../../src/stats/timeline.js';
import { rampGroups } from '../../../src/stats/ramp.js';
import { summaryTable } from '../../../src/export/markdown.js';
import { splitByArm } from '../../../src/results/split-arms.js';
import { crossRuntimeOf } from '../../../src/stats/cross-runtime.js';
import { measuredStartupsMs, planVariant } from '../../../src/plan/capacity.js';
import { steadyRps } from '../../../src/plan/measured-service.js';
import { toCsv } from '../../../src/export/csv.js';
import { wilson } from '../../support/wilson.js';
import { seriesOfRuns } from '../../support/stored-series.js';
import { startCounts, storedRunOf } from '../../../src/store/record.js';
import { trendOf } from '../../../src/history/trend.js';
import { pickSeries } from '../../../src/history/load.js';
import { crashInstruction } from '../../../src/diagnose/crash-instruction.js';
import { diagnoseRuns } from '../../../src/diagnose/cases.js';
import { HOST_BAND_RATIO, HOST_SPEED_WARN_RATIO, speedIndex } from '../../../src/hostspeed/index.js';
import { collectPoints, fitsOf } from '../../bench/host-speed-points.js';
import { docNumbers, docPages } from '../../support/doc-numbers.js';

/**
 * Figures the README and the docs pages state, recomputed from the committed files they come from: a page that
 * drifts from its evidence fails here (the timings themselves are not re-measured). The figures live wherever the
 * README's tour and docs/*.md put them; the checks read them all.
 */

const readme = docPages()
  .map((f) => readFileSync(path.resolve(f), 'utf8'))
  .join('\n')
  .replace(/\s+/g, ' ');
/**
 * With DOCS_AUDIT_FILE set, every text a check reads is appended to that file (a JSON string a line):
 * test/bench/docs-figures-audit.ts lists the figures of README.md and docs/ that no check reads.
 */
const audited = (text: string): string => {
  checkedTexts.push(text);
  if (process.env.DOCS_AUDIT_FILE) appendFileSync(process.env.DOCS_AUDIT_FILE, `${JSON.stringify(text)}\n`);
  return text;
};
/** Every text a check of this file compared with a page (the last test holds the pages' numbers against them). */
const checkedTexts: string[] = [];
/** The README or a docs page holds this text (whitespace as one space); a failure shows only the expected text. */
const expectInReadme = (text: string): void => {
  if (!readme.includes(audited(text))) expect.fail(`README.md and docs/*.md do not say: ${text}`);
};
const json = <T>(file: string): T => JSON.parse(readFileSync(path.resolve(file), 'utf8')) as T;

/** The ten builds over an hour (results/reference/history-hours-amd/): each one's cold median and host speed index. */
function hoursSeries(): { own: ResultsFile[]; medians: number[]; indices: number[] } {
  const own = Array.from({ length: 10 }, (_, i) =>
    json<ResultsFile>(`results/reference/history-hours-amd/build-${i + 1}.json`),
  );
  return {
    own,
    medians: own.map((f) => median(f.runs.filter(startCounts).map((r) => r.metrics.readyMs as number))),
    indices: own.map((f) => f.environment.hostSpeed!.index),
  };
}

describe('README figures match the committed files', () => {
  it("the sequential gate's table is the committed benchmark output, row for row", () => {
    const { rows } = json<{
      rows: Array<{
        source: string;
        change: number | string;
        variant: string;
        share: number;
        gates: number;
        medianRounds: number;
        p90Rounds: number;
      }>;
    }>('results/reference/sequential-error-rates.json');
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      const noise = r.source.startsWith('real (')
        ? 'real'
        : r.source.startsWith('real slowdown')
          ? 'real, slowed arm'
          : 'simulated';
      const change =
        r.change === 1 ? '0' : typeof r.change === 'number' ? `+${Math.round((r.change - 1) * 100)}%` : r.change;
      const line = `| ${noise} | ${change} | ${r.variant} | ${Math.round(r.share * r.gates)}/${r.gates} | ${r.medianRounds} | ${r.p90Rounds} |`;
      expectInReadme(line);
    }
    // The sentence under the table: the power at +10% over both kinds of noise.
    const at10 = rows.filter((r) => r.change === 1.1).map((r) => r.share * 100);
    const pct = (x: number) => (x === 100 ? '100' : x.toFixed(1));
    expectInReadme(`a +10% change flagged in ${pct(Math.min(...at10))}-${pct(Math.max(...at10))}% of gates`);
  });

  it('the real A/A sequential run stopped "not worse" where the README says', () => {
    const run = json<ResultsFile>('results/reference/aa-seq-pingperf.json');
    const design = run.config.sequential;
    if (!design) throw new Error('aa-seq-pingperf.json has no sequential design');
    const o = analyzeSequential(run, design, { resamples: 50 });
    const at = (m: string) => o.comparisons.find((c) => c.metric === m)?.decidedAtRound;
    expect(o.comparisons.every((c) => c.verdict === 'not-worse')).toBe(true);
    expect(run.sequentialLooks?.at(-1)).toMatchObject({ round: o.rounds, stopped: 'answer-known' });
    expectInReadme(
      `the same command stopped after ${o.rounds} rounds (${run.runs.length} starts with the warm-ups, ` +
        `${Math.round((Date.parse(run.updatedAt) - Date.parse(run.createdAt)) / 1000)} s): readyMs not worse from ` +
        `round ${at('readyMs')}, firstResponseMs from round ${at('firstResponseMs')}`,
    );
  });

  it("the host speed table is each run's recorded index and medians", () => {
    const row = (file: string, label: string): void => {
      const r = json<ResultsFile>(`results/reference/host-speed-${file}.json`);
      const med = (v: string): number =>
        Math.round(
          median(
            r.runs
              .filter((x) => !x.warmup && x.variant === v && x.status === 'ok')
              .map((x) => x.metrics.readyMs as number),
          ),
        );
      expectInReadme(
        `| ${label} | ${r.environment.hostSpeed?.index} | ${med('cold')} ms | ${med('afterAppStart')} ms |`,
      );
    };
    row('idle-1', 'idle, first');
    row('hog-server-cpu', 'busy loop on the server CPU');
    row('idle-2', 'idle, again 2 minutes later');
  });

  it('the slowed sequential run stopped with a regression where docs/ab-gates.md says', () => {
    const run = json<ResultsFile>('results/reference/slow-seq-pingperf.json');
    const design = run.config.sequential;
    if (!design) throw new Error('slow-seq-pingperf.json has no sequential design');
    const o = analyzeSequential(run, design, { resamples: 50 });
    const of = (m: string) => o.comparisons.find((c) => c.metric === m);
    const ready = of('readyMs');
    const first = of('firstResponseMs');
    if (!ready || !first) throw new Error('slow-seq-pingperf.json lacks a gated metric');
    expect(o.comparisons.every((c) => c.verdict === 'regression')).toBe(true);
    expect(run.sequentialLooks?.at(-1)).toMatchObject({ round: o.rounds, stopped: 'answer-known' });
    const pct = (r: number) => `+${((r - 1) * 100).toFixed(1)}%`;
    const ci = (c: typeof ready) => `${c.look.interval.low.toFixed(3)}-${c.look.interval.high.toFixed(3)}`;
    expectInReadme(
      `host speed index ${run.environment.hostSpeed?.index}), stopped after ${o.rounds} rounds ` +
        `(${run.runs.length} starts with the warm-ups, ` +
        `${Math.round((Date.parse(run.updatedAt) - Date.parse(run.createdAt)) / 1000)} s), \`compare\` exit 1: ` +
        `readyMs regression from round ${ready.decidedAtRound}, ${pct(ready.look.ratio)} (repeated 95% ${ci(ready)}, ` +
        `Holm p ${ready.look.pAdjusted.toFixed(4)}), firstResponseMs ${pct(first.look.ratio)} (${ci(first)}).`,
    );
  });

  it('the A/A reference run has the starts and rounds the README gives', () => {
    const aa = json<ResultsFile>('results/reference/aa-pingperf.json');
    expectInReadme(
      `a 40-round A/A run (two arms of the same build, \`results/reference/aa-pingperf.json\`, ${aa.runs.length} starts incl. warm-ups`,
    );
    expect(Math.max(...aa.runs.map((r) => r.iteration))).toBe(40);
  });

  it("the slowed arm's readyMs ratios and intervals are what compare computes from its file", () => {
    const slow = json<ResultsFile>('results/reference/slow-pingperf.json');
    const rows = compareArms(slow, { thresholdPct: 5, metrics: ['readyMs'], seed: 1 });
    const r = (v: string) => rows.find((x) => x.variant === v);
    const f2 = (x: number | undefined) => (x ?? NaN).toFixed(2);
    const [c, b, a] = [r('cold'), r('beforeAppStart'), r('afterAppStart')];
    expectInReadme(`readyMs ratios ${f2(c?.ratio)} cold, ${f2(b?.ratio)} beforeAppStart, ${f2(a?.ratio)}`);
    expectInReadme(
      `paired 95% intervals ${f2(c?.ratioCi.low)}–${f2(c?.ratioCi.high)}, ${f2(b?.ratioCi.low)}–${f2(b?.ratioCi.high)}, ${f2(a?.ratioCi.low)}–${f2(a?.ratioCi.high)}`,
    );
  });
});

/** The summary table's row for a scenario and variant, cell by cell, as `report` writes it. */
function summaryCells(file: string): Map<string, string[]> {
  const results = json<ResultsFile>(file);
  const table = summaryTable([{ label: 'x', results, analysis: analyze(results, 'x') }]);
  const out = new Map<string, string[]>();
  for (const line of table.split('\n').slice(2)) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    out.set(`${cells[0]}/${cells[1]}`, cells);
  }
  return out;
}

const mib = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);
const measuredOk = (r: RunRecord): boolean => !r.warmup && r.status === 'ok';
/** First launch to last launch, in minutes (the measuring; set-up before and the last start's own time left out). */
const launchSpanMin = (file: string): number => {
  const { runs } = json<ResultsFile>(file);
  return (Date.parse(runs[runs.length - 1]?.launchedAt ?? '') - Date.parse(runs[0]?.launchedAt ?? '')) / 60_000;
};
const med = (xs: readonly number[]): number => median([...xs]);
const BLOG = ['pingperf', 'rest-crud', 'acmeair-main'] as const;

describe('README figures of the blog-trio reference run match its file', () => {
  const trio = json<ResultsFile>('results/reference/blog-trio.json');
  const cells = summaryCells('results/reference/blog-trio.json');
  const ck = (scenario: string, phase: string) =>
    trio.checkpoints.find((c) => c.scenario === scenario && c.phase === phase && c.arm === undefined);
  const classes = (scenario: string, variant: string): number =>
    med(
      trio.runs
        .filter((r) => measuredOk(r) && r.scenario === scenario && r.variant === variant)
        .map((r) => r.startState?.classesFromArchive ?? NaN),
    );

  it('the main table: every median, interval, speedup, RSS, class count and checkpoint size', () => {
    for (const scenario of BLOG)
      for (const variant of ['cold', 'aotCache', 'beforeAppStart', 'afterAppStart']) {
        const [, , , ready, first, speedup, rss] = cells.get(`${scenario}/${variant}`) ?? [];
        const archive = variant === 'aotCache' ? 'AOT cache' : 'default CDS';
        const adds =
          variant === 'cold'
            ? '–'
            : variant === 'aotCache'
              ? ''
              : `${mib(ck(scenario, variant)?.addedBytes ?? NaN)} MiB`;
        const row =
          `| ${scenario} | ${variant} | ${ready?.replace(' (', ' ms (')} | ${first?.replace(' (', ' ms (')} | ` +
          `${speedup} | ${rss} MiB | ${Math.round(classes(scenario, variant))} (${archive}) | ${adds}`;
        // The aotCache images' sizes are from podman (the file predates aotCaches[]), so that cell is not checked.
        expectInReadme(row);
      }
    const minutes = launchSpanMin('results/reference/blog-trio.json');
    expectInReadme(`the four variants interleaved, ${trio.runs.length} starts in ${minutes.toFixed(1)} minutes`);
  });

  it('the AOT cache paragraph', () => {
    const [p, r, a] = BLOG.map((s) => cells.get(`${s}/aotCache`) ?? []) as [string[], string[], string[]];
    const part = (c: string[], cold: string[], name: string, first: boolean) => {
      const [ms] = (c[3] ?? '').split(' ');
      const [coldMs] = (cold[3] ?? '').split(' ');
      const [x, ci] = (c[5] ?? '').split(' ');
      return `from ${coldMs} to ${ms} ms for ${name} (${x}, ${first ? '95% CI ' : ''}${ci?.slice(1, -1)})`;
    };
    const cold = (s: string) => cells.get(`${s}/cold`) ?? [];
    expectInReadme(
      `${part(p, cold('pingperf'), 'Pingperf', true)}, ${part(r, cold('rest-crud'), 'Rest CRUD', false)} and ` +
        `${part(a, cold('acmeair-main'), 'AcmeAir', false)}`,
    );
    const cache = BLOG.map((s) => Math.round(classes(s, 'aotCache')));
    const cds = BLOG.map((s) => Math.round(classes(s, 'cold')));
    expectInReadme(
      `with ${cache[0]}, ${cache[1]} and ${cache[2]} classes loaded from the cache against ` +
        `${Math.min(...cds)}–${Math.max(...cds)} from the JDK's default CDS archive in cold starts`,
    );
    const after = BLOG.map((s) => (cells.get(`${s}/afterAppStart`)?.[5] ?? '').split(' ')[0]);
    expectInReadme(`afterAppStart restores in the same run were ${after[0]}, ${after[1]} and ${after[2]} faster`);
    const readyOf = (s: string, v: string) => Number((cells.get(`${s}/${v}`)?.[3] ?? '').split(' ')[0]);
    const off = BLOG.map((s) => Math.round(100 * (1 - readyOf(s, 'aotCache') / readyOf(s, 'cold'))));
    const still = BLOG.map((s) => readyOf(s, 'aotCache') / readyOf(s, 'afterAppStart'));
    expectInReadme(
      `takes ${Math.min(...off)}–${Math.max(...off)}% off a Liberty start's time to ready on HotSpot, and an ` +
        `afterAppStart restore is still ${Math.min(...still).toFixed(1)}–${Math.max(...still).toFixed(1)} times faster`,
    );
    const speedups = (v: string) => {
      const xs = BLOG.map((s) => Number((cells.get(`${s}/${v}`)?.[5] ?? '').split('x')[0]));
      return `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}x`;
    };
    expectInReadme(
      `afterAppStart brings time to ready down ${speedups('afterAppStart')} here, beforeAppStart ` +
        `${speedups('beforeAppStart')}, the JDK's AOT cache ${speedups('aotCache')}`,
    );
    const firstOf = (v: string) => Number((cells.get(`rest-crud/${v}`)?.[4] ?? '').split(' ')[0]);
    const gaps = ['beforeAppStart', 'afterAppStart'].map((v) => (firstOf(v) - readyOf('rest-crud', v)) / 1000);
    expectInReadme(
      `Rest CRUD's first response after restore still takes ${Math.min(...gaps).toFixed(1)}–` +
        `${Math.max(...gaps).toFixed(1)} s after ready`,
    );
    const adds = BLOG.map((s) => mib(ck(s, 'afterAppStart')?.addedBytes ?? NaN));
    expectInReadme(`the afterAppStart checkpoints add ${adds[0]}, ${adds[1]} and ${adds[2]} MiB`);
    const all = trio.checkpoints.map((c) => Number(mib(c.addedBytes)));
    expectInReadme(`Checkpoints added ${Math.min(...all)}–${Math.max(...all)} MiB to each image`);
  });

  it("where the time goes: Pingperf's segments", () => {
    const segmentsOf = (v: string) =>
      waterfalls(trio.runs, trio.config.seed).find((g) => g.scenario === 'pingperf' && g.variant === v)?.segments ?? [];
    const [cold, after] = [segmentsOf('cold'), segmentsOf('afterAppStart')];
    const ms = (segs: typeof cold, to: string): string => (segs.find((s) => s.to === to)?.median ?? NaN).toFixed(0);
    const criu = trio.runs
      .filter((r) => measuredOk(r) && r.scenario === 'pingperf' && r.variant === 'afterAppStart')
      .map((r) => r.timeline?.criuRestore);
    const pages = med(criu.map((c) => c?.pagesRestored ?? NaN));
    // From Liberty's resume to ready: the app's start message and the last features (the segments' medians added).
    const toReady = ['appStarted', 'featuresInstalled', 'ready']
      .reduce((a, to) => a + (after.find((s) => s.to === to)?.median ?? NaN), 0)
      .toFixed(0);
    expectInReadme(
      `spends ${ms(after, 'containerCreated')} ms until podman has created the container, ${ms(after, 'containerStarted')} ` +
        `ms more until it runs, ${ms(after, 'restoreStarted')} ms from the entrypoint to \`criu restore\` (Liberty's ` +
        `\`bin/server\` script), ${ms(after, 'criuRestored')} ms in CRIU's restore (CRIU itself reports ` +
        `${med(criu.map((c) => c?.restoreMs ?? NaN)).toFixed(0)} ms and ${pages.toLocaleString('en-US')} pages, about ` +
        `${mib(pages * 4096)} MiB), ${ms(after, 'resumed')} ms until Liberty says it resumed, ${toReady} ms ` +
        `more to ready and ${ms(after, 'firstResponse')} ms to the first response`,
    );
    expectInReadme(
      `A cold start spends ${ms(cold, 'jvmLaunched')} ms from the entrypoint to the JVM's own launch, ` +
        `${ms(cold, 'jvmCreated')} ms creating the JVM, ${ms(cold, 'kernelStarted')} ms to Liberty's kernel and ` +
        `${ms(cold, 'appStarted')} ms from the kernel to the application`,
    );
  });

  it("the harness's gaps between starts", () => {
    const gaps = trio.runs.flatMap((r, i) =>
      r.harness?.sincePreviousMs === undefined
        ? []
        : [{ ms: r.harness.sincePreviousMs, after: trio.runs[i - 1]?.variant }],
    );
    const all = gaps.map((g) => g.ms);
    const after = (...vs: string[]) => med(gaps.filter((g) => vs.includes(g.after ?? '')).map((g) => g.ms)).toFixed(0);
    const teardown = trio.runs.flatMap((r) => (r.harness?.teardownMs === undefined ? [] : [r.harness.teardownMs]));
    expectInReadme(
      `is a median of ${med(all).toFixed(0)} ms (${after('cold', 'aotCache')} ms after a cold or aotCache start, ` +
        `${after('beforeAppStart', 'afterAppStart')} ms after a restore; 10th–90th percentile ` +
        `${quantile(all, 0.1).toFixed(0)}–${quantile(all, 0.9).toFixed(0)} ms; ${all.length} gaps of the blog-trio ` +
        `reference run below; of it, reading the container and removing it: median ${med(teardown).toFixed(0)} ms)`,
    );
  });

  it('readiness detection lags', () => {
    const lags = (variants: readonly string[]) =>
      trio.runs
        .filter((r) => measuredOk(r) && variants.includes(r.variant))
        .map((r) => r.metrics.readyDetectionLagMs ?? NaN);
    const cold = lags(['cold', 'aotCache']);
    const restoreMedians = BLOG.flatMap((s) =>
      ['beforeAppStart', 'afterAppStart'].map((v) =>
        med(
          trio.runs
            .filter((r) => measuredOk(r) && r.scenario === s && r.variant === v)
            .map((r) => r.metrics.readyDetectionLagMs ?? NaN),
        ),
      ),
    );
    const restores = lags(['beforeAppStart', 'afterAppStart']);
    expectInReadme(
      `in the reference run a median of ${med(cold).toFixed(1)} ms for cold and aotCache starts ` +
        `(${Math.max(...cold).toFixed(0)} ms at most) and medians of ${Math.min(...restoreMedians).toFixed(0)}–` +
        `${Math.max(...restoreMedians).toFixed(0)} ms for restores (${Math.max(...restores).toFixed(0)} ms at most)`,
    );
  });

  it('the unpaired halves and the +20% copy', () => {
    const half = (lo: number, hi: number): ResultsFile => ({
      ...trio,
      runs: trio.runs.filter((r) => !r.warmup && r.iteration >= lo && r.iteration <= hi),
    });
    const halves = compareResults(half(1, 5), half(6, 10), {
      thresholdPct: 5,
      metrics: ['readyMs', 'firstResponseMs'],
      seed: 1,
    });
    expect(halves.every((r) => r.verdict === 'inconclusive')).toBe(true);
    expectInReadme(`(iterations 1–5 against 6–10, same build) come out ${halves.length} × inconclusive`);
    const instantOn = (v: string) => v === 'beforeAppStart' || v === 'afterAppStart';
    const copy: ResultsFile = {
      ...trio,
      runs: trio.runs.map((r) =>
        instantOn(r.variant) ? { ...r, metrics: { ...r.metrics, readyMs: (r.metrics.readyMs ?? NaN) * 1.2 } } : r,
      ),
    };
    const rows = compareResults(trio, copy, { thresholdPct: 5, metrics: ['readyMs'], seed: 1 });
    const on = rows.filter((r) => instantOn(r.variant));
    expect(rows.every((r) => r.verdict === 'inconclusive')).toBe(true);
    const range = (xs: number[], d: number) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
    expectInReadme(
      `all six InstantOn variants come out \`inconclusive\` (raw p = ${range(
        on.map((r) => r.pValue),
        3,
      )}, Holm ` +
        `${range(
          on.map((r) => r.pAdjusted),
          2,
        )})`,
    );
  });

  it("plan's share of requests meeting a cold start", () => {
    const share = (variant: 'cold' | 'afterAppStart') =>
      planVariant('pingperf', variant, measuredStartupsMs(trio.runs, 'pingperf', variant), {
        arrivalRatePerS: 0.5,
        idleTimeoutS: 5,
        concurrency: 100,
        serviceMs: 10,
        sloMs: 1000,
      }).coldShare;
    expectInReadme(
      `At λ = 0.5/s and T = 5 s on the reference results, ${(100 * share('cold')).toFixed(0)}% of Pingperf requests ` +
        `wait for a cold start against ${(100 * share('afterAppStart')).toFixed(0)}% with afterAppStart`,
    );
  });
});

describe('README figures of the other reference runs match their files', () => {
  it('the A/A run: every comparison unchanged, and the span of its intervals', () => {
    const rows = compareArms(json<ResultsFile>('results/reference/aa-pingperf.json'), {
      thresholdPct: 5,
      metrics: ['readyMs', 'firstResponseMs'],
      seed: 1,
    });
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.verdict === 'unchanged')).toBe(true);
    const low = Math.min(...rows.map((r) => r.ratioCi.low));
    const high = Math.max(...rows.map((r) => r.ratioCi.high));
    expectInReadme(
      `all six comparisons \`unchanged\`, every ratio interval within ${low.toFixed(3)}–${high.toFixed(3)}`,
    );
  });

  it('checkpoints from a JVM with the AOT cache', () => {
    const file = json<ResultsFile>('results/reference/aot-checkpoint-pingperf.json');
    const rows = compareArms(file, { thresholdPct: 5, metrics: ['readyMs', 'firstResponseMs'], seed: 1 });
    const [ready, first] = ['readyMs', 'firstResponseMs'].map((m) => rows.find((r) => r.metric === m));
    const f3 = (x: number | undefined) => (x ?? NaN).toFixed(3);
    expectInReadme(
      `time to ready ${ready?.baseline.median.toFixed(0)} → ${ready?.candidate.median.toFixed(0)} ms (ratio ` +
        `${f3(ready?.ratio)}, 95% CI ${f3(ready?.ratioCi.low)}–${f3(ready?.ratioCi.high)}, ${ready?.verdict}), first ` +
        `response ${first?.baseline.median.toFixed(0)} → ${first?.candidate.median.toFixed(0)} ms (${f3(first?.ratio)}, ` +
        `${f3(first?.ratioCi.low)}–${f3(first?.ratioCi.high)}, Holm p = ${f3(first?.pAdjusted)}: an ${first?.verdict}`,
    );
    const [base, cached] = ['base', 'aotjvm'].map((arm) => file.checkpoints.find((c) => c.arm === arm));
    const rss = (arm: string) =>
      (
        med(
          file.runs.filter((r) => measuredOk(r) && r.arm === arm).map((r) => r.metrics.rssAfterFirstResponseKb ?? NaN),
        ) / 1024
      ).toFixed(0);
    expectInReadme(
      `the checkpoint holds ${mib(cached?.contents?.memoryBytes ?? NaN)} MiB of memory instead of ` +
        `${mib(base?.contents?.memoryBytes ?? NaN)} MiB (the image adds ${mib(cached?.addedBytes ?? NaN)} MiB instead of ` +
        `${mib(base?.addedBytes ?? NaN)} MiB) and the restored server's RSS after the first response is ` +
        `${rss('aotjvm')} MiB instead of ${rss('base')} MiB`,
    );
  });

  it('the ramp-up table and what the README reads off it', () => {
    const file = json<ResultsFile>('results/reference/blog-trio-ramp-up.json');
    const groups = rampGroups(file.runs, file.config.scenarios);
    const steady = (s: string, v: string) =>
      med(
        file.runs.filter((r) => measuredOk(r) && r.scenario === s && r.variant === v).map((r) => steadyRps(r) ?? NaN),
      );
    const fig = new Map<string, { first30: number; steady: number }>();
    for (const g of groups) {
      const row =
        `| ${g.scenario} | ${g.variant} | ${(g.first30s ?? NaN).toLocaleString('en-US')} | ` +
        `${steady(g.scenario, g.variant).toFixed(0)} | ${((g.rssUnderLoadKb ?? NaN) / 1024).toFixed(0)} MiB |`;
      expectInReadme(row);
      fig.set(`${g.scenario}/${g.variant}`, { first30: g.first30s ?? NaN, steady: steady(g.scenario, g.variant) });
    }
    expect(groups).toHaveLength(12);
    const requests = groups.reduce((a, g) => a + g.requests, 0);
    const errors = groups.reduce((a, g) => a + g.errors, 0);
    const busy = file.runs.flatMap((r) =>
      r.rampUp?.serverCpuBusyPct === undefined ? [] : [r.rampUp.serverCpuBusyPct],
    );
    expectInReadme(
      `Medians of 3 starts; ${errors} errors in ${(requests / 1e6).toFixed(2)} million checked responses; the server ` +
        `CPU was ${Math.min(...busy)}–${Math.max(...busy)}% busy`,
    );
    const ratio = (s: string, a: string, b: string, k: 'first30' | 'steady') =>
      (fig.get(`${s}/${a}`)?.[k] ?? NaN) / (fig.get(`${s}/${b}`)?.[k] ?? NaN);
    const x = BLOG.map((s) => ratio(s, 'afterAppStart', 'cold', 'first30').toFixed(1));
    expectInReadme(`(${x[0]}x Pingperf, ${x[1]}x Rest CRUD, ${x[2]}x AcmeAir)`);
    const below = (s: string, v: string) => Math.round(100 * (1 - ratio(s, v, 'cold', 'steady')));
    expectInReadme(`a restored Pingperf ran ${below('pingperf', 'afterAppStart')}% below cold`);
    expect(Math.abs(below('rest-crud', 'afterAppStart'))).toBeLessThanOrEqual(1); // "level with it"
    expectInReadme(`a restored AcmeAir ran ${below('acmeair-main', 'afterAppStart')}% below a cold one`);
    const aot = BLOG.map((s) => below(s, 'aotCache'));
    expectInReadme(`the aotCache variant ran ${Math.min(...aot)}–${Math.max(...aot)}% below cold in all three`);
  });

  it('every committed results CSV is what the tool writes from its JSON today (no column missing)', () => {
    for (const name of ['blog-trio', 'blog-trio-ramp-up', 'aa-pingperf', 'slow-pingperf', 'aot-checkpoint-pingperf']) {
      const csv = readFileSync(path.resolve(`results/reference/${name}.csv`), 'utf8');
      expect(csv, `${name}.csv: regenerate it from ${name}.json`).toBe(
        toCsv(json<ResultsFile>(`results/reference/${name}.json`).runs),
      );
    }
  });
});

describe("docs/measured.md: the self-benchmarks' table is the committed benchmark outputs", () => {
  /** A latency as the table gives it: µs below a millisecond, ms below a second, else s. */
  const time = (ms: number): string =>
    ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;

  it('every row: the hot paths (npm run bench:self -- --json) and the secret search (npm run bench:secrets -- --json)', () => {
    const self = json<{
      machine: { cpu: string };
      tasks: Array<{ name: string; medianMs: number }>;
      detectionLag: { lines: number; medianMs: number; p90Ms: number; maxMs: number };
    }>('results/reference/self-bench.json');
    expectInReadme(`On this machine (${self.machine.cpu}, \`results/reference/self-bench.json\`)`);
    for (const t of self.tasks) expectInReadme(`| ${t.name} | ${time(t.medianMs)} median |`);
    const lag = self.detectionLag;
    expectInReadme(
      `(${lag.lines} lines) | ${lag.medianMs.toFixed(3)} ms median, ${lag.p90Ms.toFixed(3)} ms p90, ` +
        `${lag.maxMs.toFixed(1)} ms max |`,
    );
    const secrets = json<{ files: number; bytes: number; values: number; seconds: number[] }>(
      'results/reference/secret-search.json',
    );
    const mib = secrets.bytes / 1024 ** 2;
    const med = median(secrets.seconds);
    expectInReadme(
      `(\`npm run bench:secrets\`, \`results/reference/secret-search.json\`: ${secrets.files} files, ` +
        `${Math.round(mib)} MiB, ${secrets.values} values in UTF-8 and UTF-16) | ${med.toFixed(2)} s median ` +
        `(${Math.round(mib / med)} MiB/s) |`,
    );
  });
});

describe('docs/beyond-one-machine.md: the emulated restore hosts are the committed runs', () => {
  it('each profile: what its starts did, their ready times, and the signature diagnose names for a fallback', () => {
    const doc = readFileSync(path.resolve('docs/beyond-one-machine.md'), 'utf8');
    for (const profile of ['no-ptrace-rseq', 'no-clone3', 'documented-caps']) {
      const f = json<ResultsFile>(`results/reference/restore-host-${profile}.json`);
      const runs = f.runs.filter((r) => !r.warmup);
      expect(runs.every((r) => r.restoreHost === profile)).toBe(true);
      const row = audited(doc.split('\n').find((l) => l.startsWith(`| \`${profile}\` |`)) ?? '');
      const ready = runs.map((r) => r.metrics.readyMs ?? NaN);
      if (runs.every((r) => r.restore?.verified === true)) {
        expect(row).toContain(
          `${runs.length}/${runs.length} restores verified (ready ${ready.map(Math.round).join(', ')} ms)`,
        );
      } else {
        expect(runs.every((r) => r.status === 'fallback')).toBe(true);
        expect(row).toContain(
          `${runs.length}/${runs.length} fell back to a cold start (ready ${ready.map((x) => (x / 1000).toFixed(1)).join(', ')} s)`,
        );
        const named = diagnoseRuns(runs).flatMap((c) => c.findings.map((x) => x.signature.id));
        expect(named).toContain('liberty-fallback');
        const criu = named.find((id) => id !== 'liberty-fallback');
        expect(row).toContain(`| \`${criu}\`: `);
      }
    }
  });
});

describe('docs/how-it-works.md: the teardown overlap is the committed benchmark output', () => {
  it("each kind of ending's starts, their medians as the script prints them, and the change", () => {
    const text = readFileSync(path.resolve('results/reference/teardown-overlap.txt'), 'utf8');
    const after = (kind: string) =>
      [...text.matchAll(new RegExp(`after an ${kind} ending: first response (\\d+) ms`, 'g'))].map((m) => Number(m[1]));
    // The script's median: the lower middle of the sorted starts.
    const lowerMedian = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;
    const [full, overlapped] = [after('S'), after('O')];
    expect(text).toContain(`(S): ${lowerMedian(full)} ms (${full.length} starts)`);
    expect(text).toContain(`(O): ${lowerMedian(overlapped)} ms (${overlapped.length} starts)`);
    const pct = Math.round((lowerMedian(overlapped) / lowerMedian(full) - 1) * 100);
    expectInReadme(
      `a median of ${lowerMedian(overlapped)} ms to the first response against ${lowerMedian(full)} ms after a full ` +
        `teardown (Pingperf afterAppStart, ${overlapped.length} and ${full.length} starts, ${pct >= 0 ? '+' : ''}${pct}%)`,
    );
  });
});

describe('docs/diagnosis.md: the hygiene figures are the committed runs', () => {
  it("the restored monotonic clock's offset and the checkpoint's age", () => {
    const f = json<ResultsFile>('results/reference/slow-seq-pingperf.json');
    const offsets = f.checkpoints.map((c) => -(c.hygiene?.clocks?.monotonicOffsetMs ?? NaN) / 1000);
    const ages = f.checkpoints.map(
      (c) => (Date.parse(f.createdAt) - Date.parse(c.fingerprint?.takenAt ?? '')) / 60_000,
    );
    expectInReadme(
      `measured here ${Math.min(...offsets).toFixed(1)}-${Math.max(...offsets).toFixed(1)} s behind the host's for a ` +
        `checkpoint taken ${Math.round(Math.max(...ages))} minutes before the run, \`results/reference/slow-seq-pingperf.json\``,
    );
  });

  it("the secret search's size and time in the Spring Boot run", () => {
    const f = json<ResultsFile>('results/reference/spring-boot-runtimes.json');
    for (const phase of ['beforeAppStart', 'afterAppStart']) {
      const s = f.checkpoints.find((c) => c.phase === phase)?.hygiene?.secrets;
      if (!s?.bytesSearched || s.searchMs === undefined) throw new Error(`no secret search recorded for ${phase}`);
      expect(s.findings).toEqual([]);
      const files = /\((\d+) files/.exec(s.detail)?.[1];
      expectInReadme(
        `its ${phase === 'afterAppStart' ? 'afterAppStart one' : 'beforeAppStart checkpoint'} ` +
          `(${Math.round(s.bytesSearched / 1024 ** 2)} MiB, ${files} files) in ${s.searchMs} ms`,
      );
    }
  });
});

describe("docs/your-own-app.md: the examples' figures are the committed runs", () => {
  /** Medians of one scenario's variant, as the page's tables give them (ms; RSS after the first response in MiB). */
  const medians = (f: ResultsFile, scenario: string, variant: string) => {
    const runs = f.runs.filter((r) => r.scenario === scenario && r.variant === variant && startCounts(r));
    const of = (m: (r: RunRecord) => number | undefined) => Math.round(median(runs.map((r) => m(r) ?? NaN)));
    return {
      n: runs.length,
      ready: of((r) => r.metrics.readyMs),
      min: Math.round(Math.min(...runs.map((r) => r.metrics.readyMs ?? NaN))),
      max: Math.round(Math.max(...runs.map((r) => r.metrics.readyMs ?? NaN))),
      first: of((r) => r.metrics.firstResponseMs),
      rss: of((r) => (r.metrics.rssAfterFirstResponseKb ?? NaN) / 1024),
    };
  };

  it('derby-inventory and mp-health in every variant: every start counted, every median of the table', () => {
    const f = json<ResultsFile>('results/reference/examples.json');
    const measured = f.runs.filter((r) => !r.warmup);
    expect(measured.every(startCounts)).toBe(true);
    expectInReadme(
      `host speed index ${f.environment.hostSpeed?.index}, 5 starts per variant after 1 warm-up, interleaved, ` +
        `${measured.length} starts, all ok and every restore and AOT cache use verified`,
    );
    for (const example of ['derby-inventory', 'mp-health'])
      for (const variant of ['cold', 'aotCache', 'beforeAppStart', 'afterAppStart']) {
        const m = medians(f, `example-${example}`, variant);
        expect(m.n).toBe(5);
        expectInReadme(`| ${example} | ${variant} | ${m.ready} | ${m.first} | ${m.rss} |`);
      }
    const derby = medians(f, 'example-derby-inventory', 'afterAppStart');
    expectInReadme(`Derby's first response comes ${((derby.first - derby.ready) / 1000).toFixed(1)} s after ready`);
  });

  it('the Containerfile example under --base local: the table', () => {
    const f = json<ResultsFile>('results/reference/example-containerfile.json');
    const measured = f.runs.filter((r) => !r.warmup);
    expect(measured.every(startCounts)).toBe(true);
    for (const variant of ['cold', 'beforeAppStart', 'afterAppStart']) {
      const m = medians(f, 'example-containerfile', variant);
      expect(m.n).toBe(3);
      expectInReadme(`| ${variant} | ${m.ready} (${m.min}-${m.max}) | ${m.first} | ${m.rss} |`);
    }
  });
});

describe("README's fixed-gate error rates are the committed benchmark output", () => {
  interface GateRates {
    rounds: number;
    falseAlarms: { windows: { regression: number; gates: number }; resampled: { regression: number; gates: number } };
    power: Record<string, { powerAt10Pct: number; mde90?: number }>;
    realSlowdown?: { variants: Record<string, { flaggedResampled: number; flaggedWindows: string }> };
  }
  const VARIANTS = ['cold', 'beforeAppStart', 'afterAppStart'];

  it('each row of the table, from test/bench/gate-error-rates.ts --json', () => {
    for (const rounds of [10, 20, 25]) {
      const g = json<GateRates>(`results/reference/gate-error-rates-${rounds}.json`);
      expect(g.rounds).toBe(rounds);
      const { regression: k, gates: n } = g.falseAlarms.resampled;
      const [lo, hi] = wilson(k, n);
      const p = (x: number) => (100 * x).toFixed(1);
      const w = g.falseAlarms.windows;
      const power = VARIANTS.map((v) => `${Math.round(100 * (g.power[v]?.powerAt10Pct ?? NaN))}%`).join(' / ');
      const mde = VARIANTS.map((v) => {
        const f = g.power[v]?.mde90;
        return f === undefined ? '> +60%' : `+${Math.round((f - 1) * 100)}%`;
      }).join(' / ');
      expectInReadme(
        `rounds${rounds === 25 ? ' (the default)**' : ''} | ${k}/${n} = ${p(k / n)}% (95% CI ${p(lo)}–${p(hi)}%); ` +
          `measured windows ${w.regression}/${w.gates} | ${power} | ${mde} |`,
      );
    }
    const ten = json<GateRates>('results/reference/gate-error-rates-10.json');
    for (const v of VARIANTS) {
      expect(ten.realSlowdown?.variants[v]?.flaggedResampled).toBe(1);
      expect(ten.realSlowdown?.variants[v]?.flaggedWindows).toBe('2/2');
    }
    expectInReadme('is flagged in every gate of 10 rounds (300 drawn, and both measured windows)');
  });
});

describe('how long the reference runs took, as the README says', () => {
  it('the A/A, slowed and ramp-up runs', () => {
    const aa = launchSpanMin('results/reference/aa-pingperf.json');
    const slow = launchSpanMin('results/reference/slow-pingperf.json');
    expectInReadme(`Reproduce (measured here: ${aa.toFixed(1)} + ${slow.toFixed(1)} minutes of measuring`);
    const rounds =
      Math.max(...json<ResultsFile>('results/reference/aa-pingperf.json').runs.map((r) => r.iteration)) + 1;
    expectInReadme(
      `${((aa * 60) / rounds).toFixed(1)} s for Pingperf's three variants in two arms (the A/A run: ${rounds} rounds ` +
        `in ${aa.toFixed(1)} minutes)`,
    );
    const ramp = json<ResultsFile>('results/reference/blog-trio-ramp-up.json');
    expectInReadme(
      `${ramp.runs.length} starts in ${launchSpanMin('results/reference/blog-trio-ramp-up.json').toFixed(0)} minutes`,
    );
  });
});

describe("the README's tour", () => {
  it('shows the summary the committed noise run prints, and stays a five-minute read', async () => {
    const { formatSummaryTable } = await import('../../../src/report/summary-table.js');
    const table = formatSummaryTable(analyze(json<ResultsFile>('results/reference/noise-pingperf.json')).groups);
    const own = readFileSync(path.resolve('README.md'), 'utf8');
    expect(own).toContain(audited(table));
    expect(own.split('\n').length).toBeLessThan(300);
    for (const [, link] of own.matchAll(/\]\(((?:docs\/)?[\w.-]+\.md)\)/g))
      expect(readdirSync(path.resolve(path.dirname(link as string))).includes(path.basename(link as string))).toBe(
        true,
      );
  });
});

describe('docs/history.md figures match the committed files', () => {
  const doc = readFileSync(path.resolve('docs/history.md'), 'utf8').replace(/\s+/g, ' ');
  const expectInDoc = (text: string): void => {
    if (!doc.includes(audited(text))) expect.fail(`docs/history.md does not say: ${text}`);
  };

  it('the error-rate table is the committed benchmark output, row for row, and the A/A total is theirs', () => {
    const { rows, noise } = json<{
      rows: Array<{ noise: string; variant: string; stepPct: number; series: number; rate: number }>;
      noise: { buildMediansLogSd: number; medianOfStartsLogSd: number; betweenBuildLogSd: number };
    }>('results/reference/change-point-error-rates.json');
    expectInDoc(
      `(log SD of their medians ${noise.buildMediansLogSd.toFixed(4)}, of a median of 3 starts alone ` +
        `${noise.medianOfStartsLogSd.toFixed(4)}, so ${noise.betweenBuildLogSd.toFixed(4)} between builds)`,
    );
    expect(rows).toHaveLength(24);
    for (const r of rows) {
      const k = Math.round(r.rate * r.series);
      const [low, high] = wilson(k, r.series);
      const what =
        r.stepPct === 0
          ? 'none (A/A): series with a false change point'
          : `+${r.stepPct}%: step found within one build`;
      const pct = (v: number) => (100 * v).toFixed(1);
      expectInDoc(
        `| ${r.noise} | ${r.variant} | ${what} | ${k}/${r.series} | ${pct(r.rate)}% (${pct(low)}-${pct(high)}%) |`,
      );
    }
    const aa = rows.filter((r) => r.stepPct === 0);
    const falseAlarms = aa.reduce((a, r) => a + Math.round(r.rate * r.series), 0);
    const series = aa.reduce((a, r) => a + r.series, 0);
    expectInDoc(
      `${falseAlarms} of ${series.toLocaleString('en-US')} series had a false change point: ${((100 * falseAlarms) / series).toFixed(1)}%`,
    );
    const tenPct = rows
      .filter((r) => r.stepPct === 10 && r.noise === 'measured between-build spread')
      .map((r) => 100 * r.rate);
    expectInDoc(
      `${Math.min(...tenPct).toFixed(1)}-${Math.max(...tenPct).toFixed(1)}% of 10% steps are found within one build`,
    );
  });

  it("the ten real builds' change point is what the trend finds in the committed files", async () => {
    const { storedRunOf } = await import('../../../src/store/record.js');
    const { trendOf } = await import('../../../src/history/trend.js');
    const files = Array.from({ length: 10 }, (_, i) => `results/reference/history/build-${i + 1}.json`);
    const runs = files.map((f) => {
      const r = json<ResultsFile>(f);
      return storedRunOf(r, r.config.labels ?? {});
    });
    const series = ['firstResponseMs', 'readyMs'].map((metric) => ({
      scenario: 'pingperf',
      variant: 'cold',
      arm: '',
      hostClass: runs[0]!.host.cpuModel as string,
      metric,
      builds: runs.map((r) => {
        const p = r.points.find((x) => x.metric === metric && x.variant === 'cold')!;
        return {
          key: r.buildKey,
          labels: r.labels,
          firstAt: r.createdAt,
          attributes: r.attributes,
          values: [...p.values],
          segments: p.segments ? [p.segments] : [],
          reports: [],
          sources: [],
        };
      }),
    }));
    const trend = trendOf(series, { alpha: 0.04, thresholdPct: 5, seed: 1, minSize: 2 });
    expect(trend.changePoints.map((c) => c.build)).toEqual(['7', '7']);
    const ready = trend.changePoints[1]!;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    expectInDoc(
      `readyMs ${s(ready.beforeMedian)} -> ${s(ready.afterMedian)}, ${((ready.ratio - 1) * 100).toFixed(1)}% slower, 95% interval ` +
        `${((ready.interval.low - 1) * 100).toFixed(1)}-${((ready.interval.high - 1) * 100).toFixed(1)}%, p ${ready.pValue.toFixed(3)}`,
    );
    expectInDoc(`${s(ready.segment!.beforeMs)} -> ${s(ready.segment!.afterMs)}`);
  });

  it('the scale table is the committed benchmark outputs', () => {
    for (const [store, file] of [
      ['embedded (PGlite)', 'results/reference/history-scale-embedded.txt'],
      ["PostgreSQL server (the tool's image, CPU 1)", 'results/reference/history-scale-postgres.txt'],
    ] as const) {
      const text = readFileSync(path.resolve(file), 'utf8');
      const m = (task: string) => new RegExp(`${task}.*?median (\\d+\\.\\d+) s`).exec(text)?.[1];
      expectInDoc(`| ${store} | ${m('add one run')} s | ${m('trend')} s | ${m('report')} s |`);
    }
  });
});

describe("docs/history.md: the fresh AMD VM's drift is the committed builds'", () => {
  it('the first and the sixth primed build medians', () => {
    const med = (n: number) =>
      median(
        json<ResultsFile>(`test/fixtures/history-fresh-amd-vm/build-${n}.json`)
          .runs.filter(startCounts)
          .map((r) => r.metrics.readyMs as number),
      );
    expectInReadme(`drifted from ${(med(1) / 1000).toFixed(1)} to ${(med(6) / 1000).toFixed(1)} s`);
  });
});

describe('docs/history.md: beside a reference arm, the figures are the committed files', () => {
  const doc = readFileSync(path.resolve('docs/history.md'), 'utf8').replace(/\s+/g, ' ');
  const expectInDoc = (text: string): void => {
    if (!doc.includes(audited(text))) expect.fail(`docs/history.md does not say: ${text}`);
  };

  it('the error-rate table is the committed benchmark output, row for row, and so are its summary sentences', () => {
    const { rows } = json<{
      rows: Array<{
        drift: string;
        buildSd: number;
        series: string;
        variant: string;
        stepPct: number;
        count: number;
        rate: number;
      }>;
    }>('results/reference/referenced-trend-error-rates.json');
    expect(rows).toHaveLength(80);
    const pct = (v: number) => (100 * v).toFixed(1);
    for (const r of rows) {
      const k = Math.round(r.rate * r.count);
      const [low, high] = wilson(k, r.count);
      const what = r.stepPct === 0 ? 'none (A/A): false change point' : `+${r.stepPct}%: step found within one build`;
      expectInDoc(
        `| ${r.drift} (${r.buildSd.toFixed(4)}) | ${r.series} | ${r.variant} | ${what} | ${k}/${r.count} | ` +
          `${pct(r.rate)}% (${pct(low)}-${pct(high)}%) |`,
      );
    }
    const rates = (series: string, step: number) =>
      rows.filter((r) => r.series === series && r.stepPct === step).map((r) => r.rate);
    expectInDoc(
      `flag ${pct(Math.min(...rates('referenced', 0)))}-${pct(Math.max(...rates('referenced', 0)))}% of series ` +
        `(target: at most 5%), and find a 10% step ${pct(Math.min(...rates('referenced', 10)))}% of the time`,
    );
    const fresh = rows.find((r) => r.series === 'absolute' && r.stepPct === 10 && r.drift.startsWith('fresh'))!;
    expectInDoc(`the absolute series find it ${pct(fresh.rate)}% of the time on the fresh AMD VM's drift`);
    const hours = (variant: string) =>
      rows.find(
        (r) => r.series === 'absolute' && r.stepPct === 10 && r.variant === variant && r.drift.startsWith('one AMD'),
      )!;
    const hoursSd = rows.find((r) => r.drift.startsWith('one AMD'))!.buildSd;
    const quietSd = rows.find((r) => r.drift.startsWith('quiet'))!.buildSd;
    expectInDoc(
      `${pct(hours('cold').rate)}% (cold) and ${pct(hours('afterAppStart').rate)}% (afterAppStart) of the time on the drift ` +
        `of one quiet AMD VM over an hour (log SD ${hoursSd.toFixed(4)} between builds, against ${quietSd.toFixed(4)} for ` +
        'six builds made within minutes)',
    );
    // The series' own builds: their medians and host speed indices, from the files.
    const { own, medians, indices } = hoursSeries();
    const minutes = Math.round((Date.parse(own[9]!.createdAt) - Date.parse(own[0]!.createdAt)) / 60_000);
    expectInDoc(
      `ten primed builds of my own, one every 7 minutes over ${minutes} minutes on one quiet AMD VM of this kind ` +
        `(\`results/reference/history-hours-amd/\`: the same image, medians ${Math.round(Math.min(...medians))}-` +
        `${Math.round(Math.max(...medians))} ms, host speed index ${Math.min(...indices)}-${Math.max(...indices)})`,
    );
  });

  it('the store candidates: the PGlite figures are the committed benchmark output', () => {
    const text = readFileSync(path.resolve('results/reference/store-candidates.txt'), 'utf8');
    const ms = (what: string) => (Number(new RegExp(`^pglite ${what} (\\d+)$`, 'm').exec(text)?.[1]) / 1000).toFixed(2);
    const size = /^pglite size MB ([\d.]+)$/m.exec(text)?.[1];
    expectInDoc(
      `PGlite created a store in ${ms('create')} s, inserted the points in ${ms('insert 30k points x20')} s, reopened ` +
        `the store in ${ms('reopen')} s and read them back in ${ms('read 30000')} s (${size} MB on disk)`,
    );
  });

  it('the ten referenced builds: the paired trend names build 7 alone; the absolute one sizes it otherwise and flags the reference', () => {
    const runs = Array.from({ length: 10 }, (_, i) =>
      storedRunOf(json<ResultsFile>(`results/reference/history-referenced/build-${i + 1}.json`), {
        build: String(i + 1),
      }),
    );
    const options = { alpha: 0.04, thresholdPct: 5, seed: 1, minSize: 2 };
    const paired = trendOf(pickSeries(seriesOfRuns(runs), false), options);
    expect(paired.changePoints.map((c) => c.build)).toEqual(['7']);
    const c = paired.changePoints[0]!;
    expectInDoc(
      `readyMs ratio to the reference ${c.beforeMedian.toFixed(3)} -> ${c.afterMedian.toFixed(3)} (${c.ratio.toFixed(2)}x, ` +
        `95% interval ${c.interval.low.toFixed(2)}-${c.interval.high.toFixed(2)}x, p ${c.pValue.toFixed(4)})`,
    );
    const absolute = trendOf(pickSeries(seriesOfRuns(runs), true), options).changePoints;
    const build = absolute.find((x) => x.arm === 'build')!;
    const ref = absolute.find((x) => x.arm === 'ref')!;
    expectInDoc(`finds the build arm's change at build ${build.build} but sizes it ${build.ratio.toFixed(2)}x`);
    expectInDoc(
      `a change in the unchanged reference arm at build ${ref.build} (${ref.ratio.toFixed(2)}x slower, p ${ref.pValue.toFixed(4)})`,
    );
    const confirm = json<ResultsFile>('results/reference/history-referenced/confirm.json');
    const outcome = analyzeSequential(confirm, confirm.config.sequential!, { baselineArm: 'before', seed: 1 });
    const ready = outcome.comparisons.find((x) => x.metric === 'readyMs')!;
    expect(confirm.config.arms?.map((a) => a.name)).toEqual(['before', 'after']);
    expectInDoc(
      `a ${ready.verdict} after ${outcome.rounds} rounds (readyMs after/before ${ready.ratio.toFixed(3)}, 95% interval ` +
        `${ready.ratioCi.low.toFixed(3)}-${ready.ratioCi.high.toFixed(3)}, Holm-adjusted p ${ready.pAdjusted.toFixed(4)};`,
    );
    const indices = runs.map((r) => r.host.hostSpeedIndex as number);
    expectInDoc(`host speed index ${Math.min(...indices)}-${Math.max(...indices)}`);
  });
});

describe('docs/history.md: a paired series of my own over hours, from its committed builds', () => {
  it("its builds, span, indices, the build arm's medians, the ratios and both trends; the bench's drift figures", async () => {
    const doc = readFileSync(path.resolve('docs/history.md'), 'utf8').replace(/\s+/g, ' ');
    const dir = 'results/reference/history-hours-paired-amd';
    const { builds, sentences } = await hoursSummary(dir);
    expect(builds.every((b) => b.config.reference === 'ref' && b.state === 'complete')).toBe(true);
    for (const s of sentences) if (!doc.includes(audited(s))) expect.fail(`docs/history.md does not say: ${s}`);
    const { drift } = json<{
      drift: { paired: { dir: string; builds: number; betweenBuildLogSd: number; residualLogSd: number } };
    }>('results/reference/referenced-trend-error-rates.json');
    expect(drift.paired.dir).toBe(dir);
    expect(drift.paired.builds).toBe(builds.length);
    const { rows } = json<{
      rows: Array<{ drift: string; series: string; variant: string; stepPct: number; rate: number }>;
    }>('results/reference/referenced-trend-error-rates.json');
    const at = (series: string, variant: string) =>
      rows.find((r) => r.drift.includes('paired') && r.series === series && r.variant === variant && r.stepPct === 10)!;
    const pct = (v: number) => (100 * v).toFixed(1);
    const power =
      `step ${pct(at('absolute', 'cold').rate)}% (cold) and ${pct(at('absolute', 'afterAppStart').rate)}% ` +
      `(afterAppStart) of the time, the referenced ${pct(Math.min(at('referenced', 'cold').rate, at('referenced', 'afterAppStart').rate))}%`;
    if (!doc.includes(audited(power))) expect.fail(`docs/history.md does not say: ${power}`);
    const said =
      `between-build log SD ${drift.paired.betweenBuildLogSd.toFixed(4)} in the build arm's medians and ` +
      `${drift.paired.residualLogSd.toFixed(4)} left in the ratios`;
    if (!doc.includes(audited(said))) expect.fail(`docs/history.md does not say: ${said}`);
  });
});

describe('portable checkpoints on a host without CPUID faulting: the guests table is the committed runs', () => {
  it('every guest model, both checkpoints: the forecast recorded before the start, the outcome, where it died', () => {
    const doc = readFileSync(path.resolve('docs/beyond-one-machine.md'), 'utf8');
    const models = ['Nehalem', 'Haswell-noTSX', 'Skylake-Server', 'EPYC-Rome'];
    let matched = 0;
    for (const model of models) {
      const r = json<ResultsFile>(`results/reference/portable-guests/${model}.json`);
      expect(r.environment.cpuModel).toMatch(/AMD EPYC/);
      for (const arm of ['default', 'portable']) {
        const start = r.runs.find((x) => x.arm === arm && !x.warmup)!;
        const forecast = start.guest!.forecast!.outcome;
        const restored = start.restore?.verified === true;
        if ((forecast === 'fails') === !restored) matched += 1;
        const checkpoint = arm === 'default' ? 'default' : 'x86-64-v3-clwb';
        const row = doc.split('\n').find((l) => l.startsWith(`| ${model} (`) && l.includes(`| ${checkpoint} |`));
        expect(row, `${model} ${checkpoint}`).toBeDefined();
        expect(audited(row ?? '')).toContain(`| ${forecast}`);
        expect(audited(row ?? '')).toContain(restored ? '**restored, verified**' : 'not restored: SIGILL');
        const where = start.restore?.hsErr ? crashInstruction(start.restore.hsErr) : undefined;
        if (!restored)
          expect(audited(row ?? '')).toContain(
            where?.mnemonic === 'CLWB' ? '**CLWB**' : where?.flag === 'avx512f' ? 'EVEX' : 'VZEROUPPER',
          );
      }
    }
    expect(matched).toBe(8);
    expect(doc).toContain('Eight of eight forecasts matched their outcome');
  });
});

describe('portable checkpoints: the figures are the committed runs', () => {
  it('the cost table is what compare computes from the committed A/B run, and the guest run restored only the portable arm', () => {
    const cost = json<ResultsFile>('results/reference/portable-cost-pingperf.json');
    expect(cost.config.arms?.map((a) => a.cpuBaseline ?? 'default')).toEqual(['default', 'x86-64-v2']);
    const rows = compareArms(cost, {
      thresholdPct: 5,
      metrics: ['readyMs', 'firstResponseMs', 'rampPeakRps', 'rampRequests10s'],
      seed: 1,
    });
    const ci = (variant: string, metric: string) => {
      const r = rows.find((x) => x.variant === variant && x.metric === metric)!;
      return `${r.ratio.toFixed(3)} (${r.ratioCi.low.toFixed(3)}–${r.ratioCi.high.toFixed(3)})`;
    };
    // Every row of the table: medians, ratio and interval, Holm-adjusted p and verdict, as compare computes them.
    const unit = (metric: string, v: number) =>
      metric.endsWith('Ms')
        ? `${Math.round(v)} ms`
        : metric.endsWith('Rps')
          ? `${Math.round(v)} req/s`
          : `${Math.round(v)}`;
    expect(rows).toHaveLength(8);
    for (const r of rows)
      expectInReadme(
        `| ${r.variant} | ${r.metric} | ${unit(r.metric, r.baseline.median)} | ${unit(r.metric, r.candidate.median)} | ` +
          `${ci(r.variant, r.metric)} | ${r.pAdjusted.toFixed(3)} | ${r.verdict} |`,
      );
    const cold = rows.find((x) => x.variant === 'cold' && x.metric === 'readyMs')!;
    expect(cold.verdict).toBe('inconclusive');
    expectInReadme(`yet \`compare\` calls both inconclusive, Holm p ${cold.pAdjusted.toFixed(3)}`);
    expectInReadme(`restore ${ci('afterAppStart', 'readyMs')}; cold start ${ci('cold', 'readyMs')}`);

    const guest = json<ResultsFile>('results/reference/portable-guest-pingperf.json');
    const measured = guest.runs.filter((r) => r.guest !== undefined);
    const byArm = (arm: string) => measured.filter((r) => r.arm === arm);
    expect(byArm('default').map((r) => [r.guest?.forecast?.outcome, r.restore?.verified])).toEqual([
      ['fails', false],
      ['fails', false],
    ]);
    expect(byArm('portable').map((r) => [r.guest?.forecast?.outcome, r.restore?.verified])).toEqual([
      ['at-risk', true],
      ['at-risk', true],
    ]);
    expectInReadme('**restored, verified, 2 of 2 starts**');
  });
});

describe('the host speed index: how still it holds and how far it predicts starts, from the committed files', () => {
  it('the repeat on the quiet AMD VM: the range, its ratio, the median and the median-of-three range, from the probes themselves', () => {
    const file = JSON.parse(readFileSync(path.resolve('results/reference/host-speed-repeat-amd.json'), 'utf8')) as {
      rows: Array<{ index: number; parts: Record<string, number>; durationMs: number }>;
    };
    const idx = file.rows.map((r) => r.index);
    expect(idx).toHaveLength(36);
    const took = file.rows.map((r) => r.durationMs / 1000);
    expectInReadme(`${Math.min(...took).toFixed(1)}-${Math.max(...took).toFixed(1)} s on the AMD VM below`);
    const [lo, hi] = [Math.min(...idx), Math.max(...idx)];
    expectInReadme(
      `36 probes 15 s apart over 9 minutes gave indices from ${lo} to ${hi} (${(hi / lo).toFixed(2)}x, median ${median(idx)})`,
    );
    const partSpread = (k: string) => {
      const xs = file.rows.map((r) => r.parts[k] as number);
      return (Math.max(...xs) / Math.min(...xs)).toFixed(k === 'spawnMs' ? 1 : 2);
    };
    expectInReadme(`the fixed integer loop ${partSpread('computeMs')}x, process creation ${partSpread('spawnMs')}x`);
    const triples: number[] = [];
    for (let i = 0; i + 3 <= file.rows.length; i += 3) {
      const parts = Object.fromEntries(
        Object.keys(file.rows[0]!.parts).map((k) => [k, median(file.rows.slice(i, i + 3).map((r) => r.parts[k]!))]),
      );
      triples.push(speedIndex(parts as never));
    }
    const [tlo, thi] = [Math.min(...triples), Math.max(...triples)];
    expectInReadme(`still spanned ${tlo}-${thi} (${(thi / tlo).toFixed(2)}x)`);
  });

  it("index against medians: every row of the table is what the bench's own code computes from the committed runs", async () => {
    const fits = fitsOf(await collectPoints());
    const shown = fits.filter((f) => f.spearman !== undefined);
    expect(shown.map((f) => f.group)).toEqual([
      'Intel Xeon VM, cold',
      'Intel Xeon VM, afterAppStart',
      'AMD EPYC VM, afterAppStart',
      'AMD EPYC VM, cold',
      'both hosts, cold',
    ]);
    const { medians: med, indices: idx } = hoursSeries();
    expectInReadme(
      `its moves (${Math.min(...idx)}-${Math.max(...idx)}) hardly predicted the cold medians ` +
        `(${Math.round(Math.min(...med))}-${Math.round(Math.max(...med))} ms)`,
    );
    for (const f of shown)
      expectInReadme(
        `| ${f.group} | ${f.points} | ${f.indexRange[0]}-${f.indexRange[1]} | ` +
          `${Math.round(f.medianRangeMs[0])}-${Math.round(f.medianRangeMs[1])} ms | ${f.spearman!.toFixed(2)} | ` +
          `${f.elasticity!.toFixed(2)} |`,
      );
  });
});

describe('the host speed index over a day: its spread on one host kind, and the warning bound that clears it', () => {
  it('every committed run with an index, per host kind: the hours, the range, the within-run ratio and the bound', async () => {
    const hosts = await hostSpeedDay();
    const amd = hosts.find((h) => h.host.startsWith('AMD EPYC'))!;
    const intel = hosts.find((h) => h.host.startsWith('Intel'))!;
    const within = amd.withinRun!;
    // The bound clears the spread one quiet host shows by itself, and is that spread rounded up to 0.05, no more.
    expect(HOST_SPEED_WARN_RATIO).toBeGreaterThanOrEqual(within.p95);
    expect(HOST_SPEED_WARN_RATIO).toBeCloseTo(Math.ceil(within.p95 * 20) / 20, 10);
    expectInReadme(
      `${amd.runs} runs over ${amd.hours.toFixed(1)} hours (${amd.first.slice(0, 16).replace('T', ' ')} to ` +
        `${amd.last.slice(0, 16).replace('T', ' ')} UTC) gave indices ${amd.min}-${amd.max} (median ${amd.median}); the ` +
        `${within.runs} of them that took the index twice, before the first start and after the last, moved by ` +
        `${within.median.toFixed(2)}x in the median, ${within.p95.toFixed(2)}x at the 95th percentile and ` +
        `${within.max.toFixed(2)}x at most`,
    );
    expectInReadme(
      `the Intel host's ${intel.runs} runs over ${intel.hours.toFixed(1)} hours gave ${intel.min}-${intel.max} ` +
        `(median ${intel.median})`,
    );
    expectInReadme(`warn beyond ${HOST_SPEED_WARN_RATIO.toFixed(2)}x`);
    // One reading against a series' median: the quiet hour-long series stays inside the history's band.
    const { indices } = hoursSeries();
    const mid = median(indices);
    const furthest = Math.max(...indices.map((i) => Math.max(i, mid) / Math.min(i, mid)));
    expect(furthest).toBeLessThanOrEqual(HOST_BAND_RATIO);
    expectInReadme(
      `no build of the quiet hour-long series lay beyond ${furthest.toFixed(2)}x of its median, so the band is ` +
        `${HOST_BAND_RATIO.toFixed(2)}x`,
    );
    const crossed = within.ratios.filter((r) => r > 1.15).length;
    expectInReadme(`(it was 1.15x, which ${crossed} of these ${within.runs} runs crossed by themselves)`);
  });
});

describe('README figures of the Spring Boot run of both runtimes match its file', () => {
  const file = 'results/reference/spring-boot-runtimes.json';
  const results = json<ResultsFile>(file);
  const parts = splitByArm(results);
  const inputs = parts.map((p) => ({
    label: p.arm as string,
    results: p.results,
    analysis: analyze(p.results, p.arm),
  }));
  const cells = new Map<string, string[]>();
  for (const line of summaryTable(inputs).split('\n').slice(2)) {
    const c = line
      .split('|')
      .slice(1, -1)
      .map((x) => x.trim());
    cells.set(`${c[0]}/${c[2]}`, c);
  }
  const NAMES: Record<string, string> = {
    'plain/cold': 'plain JVM (`java -jar`), cold',
    'plain/aotCache': 'plain JVM + AOT cache (JDK 25)',
    'liberty/cold': 'Liberty, cold',
    'liberty/aotCache': 'Liberty + AOT cache (JDK 25)',
    'liberty/beforeAppStart': 'Liberty InstantOn, beforeAppStart',
    'liberty/afterAppStart': 'Liberty InstantOn, afterAppStart',
  };

  it('every start ok, every restore and AOT cache use verified; the plain arm has no checkpoint phase', () => {
    for (const r of results.runs.filter((x) => !x.warmup)) {
      expect(r.status).toBe('ok');
      if (r.variant.endsWith('AppStart')) expect(r.restore?.verified).toBe(true);
      if (r.variant === 'aotCache') expect(r.aotCache?.verified).toBe(true);
      expect(r.rampUp?.errors).toBe(0);
    }
    expect(results.config.notApplicable).toEqual({ plain: ['beforeAppStart', 'afterAppStart'] });
    expect(results.runs.some((r) => r.arm === 'plain' && r.variant.endsWith('AppStart'))).toBe(false);
    expectInReadme(`index ${results.environment.hostSpeed?.index}, server on one CPU; ${results.config.runs} rounds`);
  });

  it('the table: every median, interval, RSS and time to 90% of the peak, per runtime and variant', () => {
    const groups = rampGroups(results.runs, results.config.scenarios);
    for (const [key, name] of Object.entries(NAMES)) {
      const [, , , n, ready, first, , rss] = cells.get(key) ?? [];
      expect(n).toBe(`${results.config.runs}/${results.config.runs}`);
      const [arm, variant] = key.split('/');
      const ramp = groups.find((g) => g.arm === arm && g.variant === variant);
      const to90 = ((ramp?.to90OwnPeakMs ?? NaN) / 1000).toFixed(0);
      expectInReadme(`| ${name} | ${ready} | ${first} | ${rss} | ${to90} s |`);
    }
  });

  it('"which should I use": the figures it rounds are the table\'s', () => {
    const groups = rampGroups(results.runs, results.config.scenarios);
    const cell = (key: string, i: number) => Number.parseFloat((cells.get(key)?.[i] ?? '').split(' ')[0] ?? '');
    const s1 = (ms: number) => (ms / 1000).toFixed(1);
    const to90 = (arm: string, variant: string) =>
      ((groups.find((g) => g.arm === arm && g.variant === variant)?.to90OwnPeakMs ?? NaN) / 1000).toFixed(0);
    expectInReadme(
      `Liberty InstantOn from \`afterAppStart\` is ready in ${s1(cell('liberty/afterAppStart', 4))} s and answers ` +
        `from the database in ${s1(cell('liberty/afterAppStart', 5))} s, about a fifth of the best plain-JVM ready ` +
        `time (the AOT cache's ${s1(cell('plain/aotCache', 4))} s) and a third of its first response, and reaches ` +
        `90% of its peak throughput in ${to90('liberty', 'afterAppStart')} s against ${to90('plain', 'aotCache')} s.`,
    );
    expectInReadme(
      `(less memory: ${cell('plain/aotCache', 7)} MiB against ${cell('liberty/afterAppStart', 7)} MiB after the first ` +
        'response)',
    );
    const fifth = cell('liberty/afterAppStart', 4) / cell('plain/aotCache', 4);
    const third = cell('liberty/afterAppStart', 5) / cell('plain/aotCache', 5);
    expect(fifth).toBeGreaterThan(0.15);
    expect(fifth).toBeLessThan(0.25);
    expect(third).toBeGreaterThan(0.28);
    expect(third).toBeLessThan(0.38);
  });

  it('the ratios the text quotes: the paired gate (like with like) and InstantOn against the plain JVM best', () => {
    const gate = compareArms(results, { thresholdPct: 5, metrics: ['readyMs', 'firstResponseMs'], seed: 1 });
    for (const c of gate)
      expectInReadme(
        `${c.variant} ${c.metric}: ${c.ratio.toFixed(2)} (${c.ratioCi.low.toFixed(2)}-${c.ratioCi.high.toFixed(2)}, ${c.verdict})`,
      );
    for (const r of crossRuntimeOf(results))
      expectInReadme(
        `${r.variant} ${r.metric} against the plain JVM's ${r.against.variant}: ${r.ratio.toFixed(2)} ` +
          `(${r.ratioCi.low.toFixed(2)}-${r.ratioCi.high.toFixed(2)})`,
      );
  });
});

/**
 * Numbers the pages quote that are no measurement: versions, years, JEP and issue numbers, ports, a uid, seeds,
 * benchmark sizes and thresholds, arithmetic on constants, the published figures cited from other hosts, and the few
 * measured values with no committed file said as such on the page. A figure a page adds must be read by a check
 * above, or listed here with why.
 */
const NOT_MEASURED: Record<string, Record<string, string>> = {
  'README.md': {
    '26.0': 'Open Liberty 26.0.0.3',
    '6.18': 'a Linux version',
    '483': 'JEP 483',
    '4.486': "JEP 483's published PetClinic figure (another host)",
    '2.604': "JEP 483's published PetClinic figure (another host)",
    '2619': "Project Leyden's published PetClinic figure (another host)",
    '1471': "Project Leyden's published PetClinic figure (another host)",
    '14700': 'Intel i7-14700, the host of the published figures',
  },
  'docs/ab-gates.md': { '0.035': "the simulation's per-start SD (a parameter)", '2031': 'a seed' },
  'docs/beyond-one-machine.md': {
    '0.0078': '2/2^8, the exact signed-rank floor (arithmetic)',
    '2.42': 'a glibc version',
    '2026': 'a year (the KVM patch)',
    '4.12': 'a Linux version',
    '4242': 'a seed',
    '9999': 'a seed',
    '6.12': 'a Linux version',
    '6.13': 'a Linux version',
    '6.18': 'a Linux version',
  },
  'docs/capacity.md': { '400,000': "the unit test's simulated requests (a parameter)" },
  'docs/cli.md': { '3.1': 'restfulWS-3.1' },
  'docs/diagnosis.md': {
    '25.0': 'a Liberty or JDK version',
    '26.0': 'Open Liberty 26.0.0.3',
    '3.17': 'CRIU 3.17',
    '6.18': 'a Linux version',
  },
  'docs/history.md': {
    '0.008': '0.04/5, Holm (arithmetic)',
    '30,000': "the store benchmark's points (a parameter)",
    '60,000': "the scale benchmark's series points (a parameter)",
    '150,000': "the scale benchmark's series points (a parameter)",
    '600,000': "the scale benchmark's starts (a parameter)",
    '500': "the dashboard's default --last",
    '6.18': 'a Linux version',
  },
  'docs/how-it-works.md': {
    '104': "an AOT cache image's size, read from podman by hand (the blog-trio file predates aotCaches[]), said so",
    '127.0': '127.0.0.1',
    '3.17': 'CRIU 3.17',
    '483': 'JEP 483',
    '6.16': 'a Linux version',
    '6.18': 'a Linux version',
  },
  'docs/measured.md': {
    '104': "an AOT cache image's size, read from podman by hand (the blog-trio file predates aotCaches[])",
    '26.0': 'Open Liberty 26.0.0.3',
    '6.18': 'a Linux version',
  },
  'docs/results-format.md': {
    '2022': 'a year',
    '22493': 'open-liberty issue 22493',
    '400': 'a warning threshold (ms)',
  },
  'docs/your-own-app.md': {
    '1001': "the official images' uid",
    '1628': "an example of Spring's line (the unit test's sample)",
    '2022': 'a year',
    '26.0': 'Open Liberty 26.0.0.3',
    '8601': 'ISO 8601',
    '9080': 'a port',
  },
};

describe('every number the pages quote is read by a check above, or listed as no measurement', () => {
  it('README.md and docs/*.md, page by page (test/bench/docs-figures-audit.ts lists the same)', (ctx) => {
    // A run of some of the checks above (vitest -t) has not read every text: nothing to hold the pages against.
    if (checkedTexts.length < 200) ctx.skip();
    const checked = checkedTexts.join('\n');
    const unread = docPages().flatMap((page) =>
      docNumbers(page)
        .filter((n) => !checked.includes(n.number) && NOT_MEASURED[page]?.[n.number] === undefined)
        .map((n) => `${page}:${n.line} ${n.number}`),
    );
    expect(unread).toEqual([]);
  });
});
