import { tooltipOf, CHART_FONT, VEGA_LITE_SCHEMA } from './chart-style.js';
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison, Verdict } from '../stats/compare.js';

const VERDICT_COLOURS: ReadonlyArray<readonly [Verdict, string]> = [
  ['regression', '#d62728'],
  ['improvement', '#2ca02c'],
  ['inconclusive', '#ff7f0e'],
  ['unchanged', '#7f7f7f'],
  ['not-worse', '#1f77b4'],
];

/**
 * A/B arms: every arm's ratio to the baseline arm per scenario, variant and metric, with its
 * paired 95% interval (a forest plot), the threshold band shaded, the verdict as the colour. A
 * sequential run's rows carry its design's figures: the trimmed-mean ratio and the repeated interval.
 */
export function forestChart(rows: readonly Comparison[], thresholdPct: number, sequential = false): TopLevelSpec {
  const values = rows.map((r) => ({
    row: `${r.arm ?? 'candidate'} · ${r.scenario} ${r.variant} · ${r.metric}`,
    ratio: r.ratio,
    low: r.ratioCi.low,
    high: r.ratioCi.high,
    verdict: r.verdict,
    pAdjusted: r.pAdjusted,
  }));
  const colours = VERDICT_COLOURS.filter(([v]) => v !== 'not-worse' || rows.some((r) => r.verdict === v));
  const lo = 1 - thresholdPct / 100;
  const hi = 1 + thresholdPct / 100;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'A/B arms against the baseline arm',
      subtitle:
        `ratio to ${rows[0]?.baselineArm ?? 'the baseline'} (paired by round), ` +
        `${sequential ? "repeated 95% interval of the run's sequential design" : '95% interval'}; band: ` +
        `±${thresholdPct}%`,
    },
    width: 420,
    height: { step: 22 },
    layer: [
      {
        data: { values: [{ lo, hi }] },
        mark: { type: 'rect', color: '#eeeeee' },
        encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', color: '#888888' },
        encoding: { x: { field: 'one', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          // The whole row label: arms, scenarios and metrics differ at its end (readyMs vs firstResponseMs).
          y: { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 400 } },
          x: { field: 'low', type: 'quantitative', title: 'candidate / baseline', scale: { zero: false } },
          x2: { field: 'high' },
          color: {
            field: 'verdict',
            type: 'nominal',
            // "not worse" only where a row has it: charts of runs without it stay as they were drawn.
            scale: {
              domain: colours.map(([v]) => v),
              range: colours.map(([, c]) => c),
            },
          },
        },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          y: { field: 'row', type: 'nominal', sort: null },
          x: { field: 'ratio', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal' },
          tooltip: tooltipOf('row', 'ratio:.3f', 'low:.3f', 'high:.3f', 'pAdjusted:.4f', 'verdict'),
        },
      },
    ],
    config: { font: CHART_FONT, view: { stroke: null } },
  } as TopLevelSpec;
}
