import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/core/io.js';
import { runCli } from '../../../src/cli/main.js';
import type { ResultsFile, RunRecord } from '../../../src/results/types.js';
import {
  compareReliability,
  compareResults,
  environmentDifferences,
  RECOMMENDED_RUNS,
} from '../../../src/stats/compare.js';
import { permutationTest } from '../../../src/stats/permutation.js';

const FIXTURE = path.resolve(__dirname, '../../fixtures/results/pingperf-3-variants.json');
const base = (): ResultsFile => JSON.parse(readFileSync(FIXTURE, 'utf8')) as ResultsFile;

/** A results file with n measured runs per variant, values spread like the real ones. */
function synthetic(n: number, scale: Record<string, number>): ResultsFile {
  const template = base();
  const spread = [0.97, 1.01, 0.99, 1.03, 1.0, 0.98, 1.02, 0.96, 1.04, 1.005];
  const medians: Record<string, number> = { cold: 7500, beforeAppStart: 1400, afterAppStart: 650 };
  const runs: RunRecord[] = [];
  for (const variant of Object.keys(medians)) {
    for (let i = 0; i < n; i += 1) {
      const r = template.runs.find((x) => x.variant === variant) as RunRecord;
      const v = (medians[variant] as number) * (spread[i % spread.length] as number) * (scale[variant] ?? 1);
      runs.push({ ...r, warmup: false, status: 'ok', iteration: i + 1, metrics: { ...r.metrics, readyMs: v } });
    }
  }
  return { ...template, runs };
}

describe('permutationTest', () => {
  it('is exact on a worked example: 3 vs 3 fully separated gives p = 1/20 one-sided', () => {
    const p = permutationTest([1, 2, 3], [10, 11, 12], 1);
    expect(p.method).toBe('exact');
    expect(p.pGreater).toBeCloseTo(1 / 20, 12);
    expect(p.pLess).toBe(1);
    expect(p.minAchievableP).toBeCloseTo(1 / 20, 12);
  });

  it('gives no evidence either way for identical samples', () => {
    const p = permutationTest([5, 6, 7], [5, 6, 7], 1);
    expect(p.pGreater).toBeGreaterThan(0.5);
    expect(p.pLess).toBeGreaterThan(0.5);
  });

  it('counts the exact distribution: equal to enumerating every relabelling, ties included', () => {
    // Brute force over all C(n, k) label sets, on samples with ties.
    const brute = (b: number[], c: number[]): { ge: number; le: number } => {
      const pooled = [...b, ...c];
      const ranks = pooled.map(
        (v) => pooled.filter((x) => x < v).length + (pooled.filter((x) => x === v).length + 1) / 2,
      );
      const obs = ranks.slice(b.length).reduce((x, y) => x + y, 0);
      let ge = 0;
      let le = 0;
      let total = 0;
      const pick = (start: number, left: number, sum: number): void => {
        if (left === 0) {
          total += 1;
          if (sum >= obs - 1e-9) ge += 1;
          if (sum <= obs + 1e-9) le += 1;
          return;
        }
        for (let i = start; i <= pooled.length - left; i += 1) pick(i + 1, left - 1, sum + (ranks[i] as number));
      };
      pick(0, c.length, 0);
      return { ge: ge / total, le: le / total };
    };
    const cases: Array<[number[], number[]]> = [
      [
        [5, 7, 7, 9, 12],
        [7, 10, 12, 12, 15, 16],
      ],
      [
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        [4, 6, 8, 10, 12, 14, 16, 18, 20, 22],
      ],
      [
        [3, 3, 3],
        [3, 3, 4],
      ],
    ];
    for (const [b, c] of cases) {
      const p = permutationTest(b, c, 1);
      const e = brute(b, c);
      expect(p.method).toBe('exact');
      expect(p.pGreater).toBeCloseTo(e.ge, 12);
      expect(p.pLess).toBeCloseTo(e.le, 12);
    }
  });

  it('is exact for 10 vs 10 runs (the default) and Monte Carlo, seeded, for very large files', () => {
    const ten = Array.from({ length: 10 }, (_, i) => 100 + i);
    expect(
      permutationTest(
        ten,
        ten.map((v) => v + 5),
        1,
      ).method,
    ).toBe('exact');
    const big = Array.from({ length: 300 }, (_, i) => (i * 7919) % 1000);
    const shifted = big.map((v) => v + 100);
    const a = permutationTest(big, shifted, 3);
    expect(a.method).toBe('monte-carlo');
    expect(a).toEqual(permutationTest(big, shifted, 3));
    expect(a.pGreater).toBeLessThan(0.01);
    expect(permutationTest(big, big, 3).pGreater).toBeGreaterThan(0.3);
  });

  it('uses midranks for ties', async () => {
    const { midranks } = await import('../../../src/stats/permutation.js');
    expect(midranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
  });
});

describe('compareResults', () => {
  it('finds nothing when a file is compared with itself', () => {
    const f = synthetic(8, {});
    const rows = compareResults(f, f, { thresholdPct: 5, metrics: ['readyMs'], seed: 1 });
    expect(rows.map((r) => r.verdict)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('flags InstantOn variants 20% slower as regressions and leaves cold unchanged', () => {
    const rows = compareResults(synthetic(8, {}), synthetic(8, { beforeAppStart: 1.2, afterAppStart: 1.2 }), {
      thresholdPct: 5,
      metrics: ['readyMs'],
      seed: 1,
    });
    const verdicts = Object.fromEntries(rows.map((r) => [r.variant, r.verdict]));
    expect(verdicts).toEqual({ afterAppStart: 'regression', beforeAppStart: 'regression', cold: 'unchanged' });
    const after = rows.find((r) => r.variant === 'afterAppStart');
    expect(after?.ratio).toBeCloseTo(1.2, 6);
    expect(after?.ratioCi.low).toBeGreaterThan(1);
  });

  it('calls unchanged only a change whose whole interval lies inside the threshold band; a big faster one is an improvement', () => {
    const rows = compareResults(synthetic(10, {}), synthetic(10, { cold: 1.01, afterAppStart: 0.7 }), {
      thresholdPct: 5,
      metrics: ['readyMs'],
      seed: 1,
    });
    const verdicts = Object.fromEntries(rows.map((r) => [r.variant, r.verdict]));
    expect(verdicts.cold).toBe('unchanged');
    expect(verdicts.afterAppStart).toBe('improvement');
    // The same 1% change with 4 runs: the interval reaches beyond ±5%, so the data cannot say "unchanged".
    const few = compareResults(synthetic(4, {}), synthetic(4, { cold: 1.01 }), {
      thresholdPct: 5,
      metrics: ['readyMs'],
      seed: 1,
    }).find((r) => r.variant === 'cold');
    expect(few?.ratioCi.high).toBeGreaterThan(1.05);
    expect(few?.verdict).toBe('inconclusive');
    expect(few?.note).toMatch(/reaches beyond ±5%/);
  });

  it('says when too few runs can never be significant', () => {
    const rows = compareResults(synthetic(2, {}), synthetic(2, { afterAppStart: 1.5 }), {
      thresholdPct: 5,
      metrics: ['readyMs'],
      seed: 1,
    });
    const after = rows.find((r) => r.variant === 'afterAppStart');
    expect(after?.verdict).toBe('inconclusive');
    expect(after?.note).toMatch(/can never reach p <= 0.05: rerun with --runs 10/);
  });

  it('calls a 20% change that one outlier hides in 3 vs 3 runs inconclusive, not unchanged', () => {
    // The afterAppStart readyMs of a real 3-run quickstart file (ms): the first run is 20% high.
    const a = synthetic(3, {});
    const real = [729.9, 586.5, 609];
    const after = a.runs.filter((r) => r.variant === 'afterAppStart');
    after.forEach((r, i) => Object.assign(r.metrics, { readyMs: real[i] }));
    const b: ResultsFile = {
      ...a,
      runs: a.runs.map((r) =>
        r.variant === 'afterAppStart'
          ? { ...r, metrics: { ...r.metrics, readyMs: (r.metrics.readyMs as number) * 1.2 } }
          : r,
      ),
    };
    const row = compareResults(a, b, { thresholdPct: 5, metrics: ['readyMs'], seed: 1 }).find(
      (r) => r.variant === 'afterAppStart',
    );
    expect(row?.ratio).toBeCloseTo(1.2, 6);
    expect(row?.pValue).toBeCloseTo(2 * (2 / 20), 12); // two-sided
    expect(row?.verdict).toBe('inconclusive');
    expect(row?.note).toMatch(/3 vs 3 runs can never reach p <= 0.05: rerun with --runs 10 or more/);
  });

  it('with half the runs in a 50%-slower mode, a +20% copy is never called unchanged by the unpaired gate, and is flagged only with enough runs', () => {
    const bimodal = (n: number): ResultsFile => {
      const f = synthetic(n, {});
      // two modes 50% apart, half the runs in each, values distinct
      return {
        ...f,
        runs: f.runs.map((r, i) =>
          r.variant === 'beforeAppStart'
            ? { ...r, metrics: { ...r.metrics, readyMs: (i % 2 === 0 ? 1100 : 1650) + i } }
            : r,
        ),
      };
    };
    const slower = (f: ResultsFile): ResultsFile => ({
      ...f,
      runs: f.runs.map((r) =>
        r.variant === 'beforeAppStart'
          ? { ...r, metrics: { ...r.metrics, readyMs: (r.metrics.readyMs as number) * 1.2 } }
          : r,
      ),
    });
    const verdict = (n: number): string | undefined => {
      const f = bimodal(n);
      return compareResults(f, slower(f), { thresholdPct: 5, metrics: ['readyMs'], seed: 1 }).find(
        (r) => r.variant === 'beforeAppStart',
      )?.verdict;
    };
    // Holm across the three variants and two-sided p-values: unpaired files need more runs
    // than before to flag it (A/B arms in one run, paired by round, need far fewer).
    expect(verdict(8)).toBe('inconclusive');
    expect(verdict(RECOMMENDED_RUNS)).toBe('inconclusive');
    expect(verdict(16)).toBe('regression');
  });

  it('lists environment differences', () => {
    const a = base();
    const b = { ...base(), environment: { ...base().environment, kernel: '5.10.0' } };
    expect(environmentDifferences(a, b)).toEqual(['kernel: "6.18.44-fc-v669" vs "5.10.0"']);
  });
});

describe('compare command exit codes', () => {
  const io = (): CliIo & { text: string[] } => {
    const text: string[] = [];
    return { out: (t) => text.push(t), err: (t) => text.push(t), cwd: '/', env: {}, interactive: false, text };
  };

  it('exits 0 comparing a file with itself and 2 on a malformed file', async () => {
    const ok = io();
    expect(await runCli(['compare', FIXTURE, FIXTURE], ok)).toBe(0);
    const bad = io();
    expect(await runCli(['compare', FIXTURE, path.resolve(__dirname, '../../fixtures/results/README.md')], bad)).toBe(
      2,
    );
    expect(bad.text.join('\n')).toMatch(/README\.md is not valid JSON/);
  });

  it('passes an inconclusive change with a warning, and fails it with --fail-on-inconclusive', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-compare-'));
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    writeFileSync(a, JSON.stringify(synthetic(2, {})));
    writeFileSync(b, JSON.stringify(synthetic(2, { afterAppStart: 1.5 })));
    const lenient = io();
    expect(await runCli(['compare', a, b, '--metric', 'readyMs'], lenient)).toBe(0);
    // 2 runs a side can show nothing: every comparison is inconclusive, none unchanged.
    expect(lenient.text.join('\n')).toMatch(
      /WARNING: 3 comparison\(s\) cannot be decided from these runs[\s\S]*pingperf\/afterAppStart readyMs \+50\.0% \(n=2 vs 2, p=0\.333, Holm 1\.000; about 10 runs per side would decide it\)/,
    );
    expect(lenient.text.join('\n')).not.toMatch(/\| unchanged/);
    expect(lenient.text.join('\n')).toMatch(/compare: no regression \(3 inconclusive\)/);
    expect(await runCli(['compare', a, b, '--metric', 'readyMs', '--fail-on-inconclusive'], io())).toBe(1);
  });
});

describe('compare outputs for history trackers', () => {
  it('writes Bencher Metric Format and github-action-benchmark customSmallerIsBetter JSON for the candidate', async () => {
    const { mkdtempSync, writeFileSync, readFileSync: read } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-compare-out-'));
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    writeFileSync(a, JSON.stringify(synthetic(8, {})));
    writeFileSync(b, JSON.stringify(synthetic(8, { afterAppStart: 1.2 })));
    const text: string[] = [];
    const code = await runCli(
      [
        'compare',
        a,
        b,
        '--metric',
        'readyMs',
        '--bencher',
        path.join(dir, 'bmf.json'),
        '--github-benchmark',
        path.join(dir, 'gab.json'),
        '--markdown',
        path.join(dir, 'c.md'),
        '--json',
        path.join(dir, 'c.json'),
      ],
      {
        out: (t) => text.push(t),
        err: (t) => text.push(t),
        cwd: '/',
        env: {},
        interactive: false,
      },
    );
    expect(code).toBe(1);
    const bmf = JSON.parse(read(path.join(dir, 'bmf.json'), 'utf8')) as Record<
      string,
      Record<string, { value: number; lower_value: number; upper_value: number }>
    >;
    expect(Object.keys(bmf).sort()).toEqual(['pingperf/afterAppStart', 'pingperf/beforeAppStart', 'pingperf/cold']);
    const after = bmf['pingperf/afterAppStart']?.readyMs;
    expect(after?.value).toBeCloseTo(650 * 1.2 * 0.995, 6); // the median of the 8 synthetic spreads is 0.995
    expect(after?.lower_value).toBeLessThanOrEqual(after?.value as number);
    expect(after?.upper_value).toBeGreaterThanOrEqual(after?.value as number);
    const gab = JSON.parse(read(path.join(dir, 'gab.json'), 'utf8')) as Array<{
      name: string;
      unit: string;
      value: number;
      extra?: string;
    }>;
    expect(gab).toHaveLength(3);
    for (const e of gab) {
      expect(typeof e.name).toBe('string');
      expect(e.unit).toBe('ms');
      expect(Number.isFinite(e.value)).toBe(true);
    }
    expect(gab.find((e) => e.name === 'pingperf afterAppStart readyMs')?.extra).toMatch(/verdict regression/);
    const json = JSON.parse(read(path.join(dir, 'c.json'), 'utf8')) as {
      thresholdPct: number;
      comparisons: Array<{ variant: string; verdict: string; pValue: number }>;
    };
    expect(json.thresholdPct).toBe(5);
    expect(json.comparisons.find((c) => c.variant === 'afterAppStart')).toMatchObject({ verdict: 'regression' });
    expect(read(path.join(dir, 'c.md'), 'utf8')).toMatch(/\| pingperf \| afterAppStart \| readyMs \|.*🔴 regression/);
  });
});

describe('compare: starts that were not ok', () => {
  const io = (): CliIo & { text: string[] } => {
    const text: string[] = [];
    return { out: (t) => text.push(t), err: (t) => text.push(t), cwd: '/', env: {}, interactive: false, text };
  };
  const withFallbacks = (f: ResultsFile, variant: string, count: number): ResultsFile => {
    let left = count;
    return {
      ...f,
      runs: f.runs.map((r) => (r.variant === variant && left-- > 0 ? { ...r, status: 'fallback' as const } : r)),
    };
  };
  const write = async (f: ResultsFile): Promise<string> => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ib-rel-')), 'r.json');
    writeFileSync(file, JSON.stringify(f));
    return file;
  };

  it('flags a candidate whose restores fall back, even when its remaining starts are as fast', () => {
    const f = synthetic(10, {});
    const findings = compareReliability(f, withFallbacks(f, 'afterAppStart', 2));
    expect(findings).toEqual([
      {
        scenario: 'pingperf',
        variant: 'afterAppStart',
        baseline: { total: 10, notOk: {} },
        candidate: { total: 10, notOk: { fallback: 2 } },
        verdict: 'regression',
      },
    ]);
    expect(
      compareReliability(withFallbacks(f, 'afterAppStart', 2), withFallbacks(f, 'afterAppStart', 1))[0]?.verdict,
    ).toBe('unchanged');
  });

  it('exits 1 naming the fallbacks, also when every start of a variant fell back', async () => {
    const f = synthetic(10, {});
    const some = io();
    expect(
      await runCli(
        ['compare', await write(f), await write(withFallbacks(f, 'afterAppStart', 2)), '--metric', 'readyMs'],
        some,
      ),
    ).toBe(1);
    expect(some.text.join('\n')).toMatch(
      /\| pingperf \| afterAppStart \| 10 of 10 ok \| 2 of 10 not ok \(fallback 2\) \| 🔴 regression \|/,
    );
    expect(some.text.join('\n')).toMatch(
      /compare: 1 regression\(s\): pingperf\/afterAppStart 2 of 10 not ok \(fallback 2\)/,
    );
    const all = io();
    expect(
      await runCli(
        ['compare', await write(f), await write(withFallbacks(f, 'afterAppStart', 10)), '--metric', 'readyMs'],
        all,
      ),
    ).toBe(1);
    expect(all.text.join('\n')).toMatch(/pingperf\/afterAppStart 10 of 10 not ok \(fallback 10\)/);
  });

  it('warns about a results file that is not complete and about variants on one side only', async () => {
    const f = synthetic(10, {});
    const partial: ResultsFile = {
      ...f,
      state: 'interrupted',
      runs: f.runs.filter((r) => r.variant !== 'afterAppStart'),
    };
    const out = io();
    expect(await runCli(['compare', await write(f), await write(partial), '--metric', 'readyMs'], out)).toBe(0);
    expect(out.text.join('\n')).toMatch(
      /WARNING: the candidate .*r\.json is interrupted: it holds only the starts that finished/,
    );
    expect(out.text.join('\n')).toMatch(/WARNING: not compared: pingperf\/afterAppStart only in the baseline/);
  });
});

describe('throughput metrics (more is better)', () => {
  it('calls a drop in ramp-up throughput a regression and a rise an improvement', async () => {
    const { decide } = await import('../../../src/stats/compare.js');
    const raw = (metric: string, ratio: number) => ({
      scenario: 's',
      variant: 'cold',
      metric,
      paired: true,
      baseline: { n: 20, median: 1000 },
      candidate: { n: 20, median: 1000 * ratio, medianCi: { low: 1, high: 2 } },
      ratio,
      ratioCi: { low: ratio - 0.02, high: ratio + 0.02 },
      pValue: 0.001,
      minAchievableP: 0.000001,
    });
    const rows = decide(
      [raw('rampPeakRps', 0.7), raw('rampPeakRps', 1.3), raw('readyMs', 0.7), raw('readyMs', 1.3)] as never,
      { thresholdPct: 5 },
    );
    expect(rows.map((r) => r.verdict)).toEqual(['regression', 'improvement', 'improvement', 'regression']);
  });
});
