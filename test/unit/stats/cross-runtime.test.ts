import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile, RunRecord } from '../../../src/results/types.js';
import { compareArms } from '../../../src/stats/compare-arms.js';
import { crossRuntime, crossRuntimeMarkdown } from '../../../src/stats/cross-runtime.js';
import { summaryMarkdown } from '../../../src/export/markdown.js';
import { analyze } from '../../../src/stats/analyze.js';
import { MACHINE_NOISE, simulatedArms } from '../../support/simulated-noise.js';

/**
 * A run with a Liberty arm (every variant) and a plain JVM arm (cold and aotCache, no checkpoint), simulated on this
 * machine's noise: like is paired with like, and each InstantOn phase is put against the plain arm's best variant.
 */
const template = JSON.parse(
  readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
) as ResultsFile;

/** base = Liberty; cand = a plain JVM: its restores dropped, an aotCache start added per round at `aot` x its cold. */
function bothRuntimes(rounds: number, plainCold: number, aot: number, seed: number): ResultsFile {
  const sim = simulatedArms(rounds, { cold: plainCold }, MACHINE_NOISE, seed, template);
  const runs: RunRecord[] = [];
  for (const r of sim.runs) {
    const liberty = r.arm === 'base';
    if (liberty) runs.push({ ...r, arm: 'liberty' });
    else if (r.variant === 'cold') {
      runs.push({ ...r, arm: 'plain' });
      const m = r.metrics;
      runs.push({
        ...r,
        arm: 'plain',
        variant: 'aotCache',
        metrics: { readyMs: (m.readyMs as number) * aot, firstResponseMs: (m.firstResponseMs as number) * aot },
      });
    }
  }
  return {
    ...sim,
    config: {
      ...sim.config,
      variants: ['cold', 'aotCache', 'beforeAppStart', 'afterAppStart'],
      arms: [
        { name: 'liberty', env: {} },
        { name: 'plain', env: {}, runtime: 'java' },
      ],
      notApplicable: { plain: ['beforeAppStart', 'afterAppStart'] },
    },
    runs,
  };
}

describe('InstantOn against the plain JVM (runtime=java) in one paired run', () => {
  it("each InstantOn phase is put against the plain arm's faster variant, and its interval holds the true ratio", () => {
    // Liberty: cold 5300, before 1150, after 600 ms; plain: cold 0.7 x 5300, aotCache 0.6 x that (2226 ms).
    const results = bothRuntimes(12, 0.7, 0.6, 3);
    const rows = crossRuntime(results, { metrics: ['readyMs', 'firstResponseMs'], seed: 1, resamples: 500 });
    expect(rows.map((r) => `${r.arm} ${r.variant} ${r.metric} vs ${r.against.arm} ${r.against.variant}`)).toEqual([
      'liberty beforeAppStart readyMs vs plain aotCache',
      'liberty afterAppStart readyMs vs plain aotCache',
      'liberty beforeAppStart firstResponseMs vs plain aotCache',
      'liberty afterAppStart firstResponseMs vs plain aotCache',
    ]);
    const after = rows.find((r) => r.variant === 'afterAppStart' && r.metric === 'readyMs');
    const truth = 600 / (5300 * 0.7 * 0.6);
    expect(after?.ratioCi.low).toBeLessThan(truth);
    expect(after?.ratioCi.high).toBeGreaterThan(truth);
    expect(after?.n).toBe(12);
    // With the AOT cache slower than cold (a cache that hurts), the best is cold.
    const slowAot = crossRuntime(bothRuntimes(12, 0.7, 1.3, 3), { metrics: ['readyMs'], seed: 1, resamples: 200 });
    expect(slowAot.every((r) => r.against.variant === 'cold')).toBe(true);
  });

  it('the gate pairs like with like only: no comparison of a variant the plain arm did not measure', () => {
    const rows = compareArms(bothRuntimes(10, 0.7, 0.6, 5), {
      thresholdPct: 5,
      metrics: ['readyMs'],
      seed: 1,
      resamples: 200,
    });
    expect(rows.map((r) => r.variant)).toEqual(['cold']);
    expect(rows[0]?.verdict).toBe('improvement');
  });

  it('a run without a plain JVM arm has no such rows; the report names the section only when there are', () => {
    const plain = simulatedArms(6, {}, MACHINE_NOISE, 1, template);
    expect(crossRuntime(plain, { metrics: ['readyMs'], seed: 1 })).toEqual([]);
    expect(crossRuntimeMarkdown([])).toBe('');
    const results = bothRuntimes(6, 0.7, 0.6, 2);
    const rows = crossRuntime(results, { metrics: ['readyMs'], seed: 1, resamples: 100 });
    const inputs = [{ label: 'x', results, analysis: analyze(results, 'x') }];
    expect(summaryMarkdown(inputs, [{ label: 'x', rows }])).toContain('## InstantOn against the plain JVM');
    expect(summaryMarkdown(inputs)).not.toContain('## InstantOn against the plain JVM');
  });
});

describe('the ramp-up chart of a run with arms', () => {
  it('each arm is its own panel and every variant keeps its colour (the arm is not folded into the variant)', async () => {
    const { rampUpChart } = await import('../../../src/report/timeline-charts.js');
    const { splitByArm } = await import('../../../src/results/split-arms.js');
    const results = JSON.parse(
      readFileSync(path.resolve('results/reference/spring-boot-runtimes.json'), 'utf8'),
    ) as ResultsFile;
    const inputs = splitByArm(results).map((p) => ({
      label: p.arm as string,
      results: p.results,
      analysis: analyze(p.results, p.arm),
    }));
    const spec = rampUpChart(inputs) as unknown as {
      data: { values: Array<{ kind: string; source: string; variant: string }> };
      spec: { layer: Array<{ encoding: { color: { scale: { domain: string[] } } } }> };
    };
    const curves = spec.data.values.filter((v) => v.kind === 'curve');
    expect([...new Set(curves.map((c) => `${c.source} ${c.variant}`))].sort()).toEqual([
      'liberty afterAppStart',
      'liberty aotCache',
      'liberty beforeAppStart',
      'liberty cold',
      'plain aotCache',
      'plain cold',
    ]);
    expect(spec.spec.layer[2]?.encoding.color.scale.domain).toEqual([
      'cold',
      'aotCache',
      'beforeAppStart',
      'afterAppStart',
    ]);
  });
});
