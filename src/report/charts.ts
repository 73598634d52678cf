import { plainJvmArms } from '../results/split-arms.js';
import {
  tooltipOf,
  CONFIG,
  scenarioBySourceFacet,
  scenarioOrder,
  VARIANT_ORDER,
  VEGA_LITE_SCHEMA,
  variantColorOf,
  type LabelledResults,
} from './chart-style.js';
import type { TopLevelSpec } from 'vega-lite';
import type { MetricName } from '../stats/analyze.js';
import { idleTimeoutSweep, SWEEP_RATE_PER_S } from '../plan/timeout-sweep.js';
import { rampUpChart, waterfallChart } from './timeline-charts.js';

function medianRows(inputs: readonly LabelledResults[], metric: MetricName, scale = 1): Record<string, unknown>[] {
  return inputs.flatMap((input) =>
    input.analysis.groups.flatMap((g) => {
      const d = g.metrics[metric];
      if (!d) return [];
      return [
        {
          source: input.label,
          scenario: g.scenario,
          variant: g.variant,
          median: d.median / scale,
          low: d.medianCi.low / scale,
          high: d.medianCi.high / scale,
          n: d.n,
        },
      ];
    }),
  );
}

/** Grouped bars of medians with 95% interval whiskers: by scenario, one bar per variant. */
function barsWithWhiskers(
  title: string,
  subtitle: string,
  yTitle: string,
  values: Record<string, unknown>[],
  scenarios: readonly string[],
  labelFormat = '.0f',
  /** A reference line across each panel (the speedup chart's 1x: no faster than cold). */
  ruleAt?: number,
): TopLevelSpec {
  const color = variantColorOf(values);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    data: { values },
    facet: { column: { field: 'source', type: 'nominal', title: null } },
    spec: {
      width: { step: 36 },
      height: 260,
      encoding: {
        x: { field: 'scenario', type: 'nominal', title: null, sort: [...scenarios], axis: { labelAngle: 0 } },
        xOffset: { field: 'variant', type: 'nominal', sort: color.sort },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'median', type: 'quantitative', title: yTitle },
            color,
            tooltip: tooltipOf('scenario', 'variant', 'median:.0f', 'low:.0f', 'high:.0f', 'n'),
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
        },
        {
          mark: { type: 'text', dy: -8, fontSize: 10 },
          encoding: {
            y: { field: 'high', type: 'quantitative' },
            text: { field: 'median', type: 'quantitative', format: labelFormat },
          },
        },
        ...(ruleAt !== undefined
          ? [
              {
                mark: { type: 'rule', color: 'gray', strokeDash: [4, 3] },
                // Across the whole panel: not at each bar's x, which the panel's layers share.
                encoding: {
                  y: { datum: ruleAt, type: 'quantitative' },
                  x: { value: 0 },
                  x2: { value: 'width' },
                  xOffset: { value: 0 },
                },
              },
            ]
          : []),
      ],
    },
    config: CONFIG,
  } as TopLevelSpec;
}

export function readyChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const plain = inputs.some((i) => plainJvmArms(i.results).length > 0);
  return barsWithWhiskers(
    plain ? 'Time to ready' : 'Time to ready (CWWKF0011I)',
    `median of verified runs, podman run to ${plain ? 'ready (CWWKF0011I on Liberty; the ready line on a plain JVM)' : 'CWWKF0011I'}; whiskers: 95% bootstrap interval`,
    'milliseconds',
    medianRows(inputs, 'readyMs'),
    scenarioOrder(inputs),
  );
}

export function firstResponseChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  return barsWithWhiskers(
    'Time to first response',
    'median of verified runs, podman run to the first expected response; whiskers: 95% bootstrap interval',
    'milliseconds',
    medianRows(inputs, 'firstResponseMs'),
    scenarioOrder(inputs),
  );
}

export function memoryChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  return barsWithWhiskers(
    'Memory after the first response',
    'median VmRSS of the Java process (host /proc); whiskers: bootstrap 95% interval',
    'MiB',
    medianRows(inputs, 'rssAfterFirstResponseKb', 1024),
    scenarioOrder(inputs),
  );
}

export function speedupChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = inputs.flatMap((input) =>
    input.analysis.groups.flatMap((g) =>
      g.speedupReady
        ? [
            {
              source: input.label,
              scenario: g.scenario,
              variant: g.variant,
              median: g.speedupReady.ratio,
              low: g.speedupReady.ci.low,
              high: g.speedupReady.ci.high,
              n: g.ok,
            },
          ]
        : [],
    ),
  );
  return barsWithWhiskers(
    'Speedup over cold',
    "cold median / the variant's median of time to ready (InstantOn phases and the JDK's AOT cache); whiskers: " +
      'bootstrap 95% interval; dashed line: 1x, as fast as cold',
    'times faster',
    values,
    scenarioOrder(inputs),
    '.1f',
    1,
  );
}

/** Every measured start, fallbacks marked, so nothing hides behind a median. */
export function distributionChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = inputs.flatMap((input) =>
    input.results.runs
      .filter(
        (r) =>
          !r.warmup && !r.guest && r.metrics.readyMs !== undefined && (r.status === 'ok' || r.status === 'fallback'),
      )
      .map((r) => ({
        source: input.label,
        scenario: r.scenario,
        variant: r.variant,
        readyMs: r.metrics.readyMs,
        status: r.status === 'ok' ? 'ok' : 'fallback',
        iteration: r.iteration,
      })),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Every start',
      subtitle:
        'time to ready of each measured start, one time axis for every panel; fallback starts (not restored) are ' +
        'drawn as crosses and excluded from statistics',
    },
    data: { values },
    facet: scenarioBySourceFacet(inputs),
    spec: {
      width: 420,
      height: { step: 22 },
      mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
      encoding: {
        y: { field: 'variant', type: 'nominal', sort: VARIANT_ORDER, title: null },
        x: { field: 'readyMs', type: 'quantitative', title: 'milliseconds to ready', scale: { zero: true } },
        color: variantColorOf(values),
        shape: {
          field: 'status',
          type: 'nominal',
          scale: { domain: ['ok', 'fallback'], range: ['circle', 'cross'] },
          title: 'status',
        },
        tooltip: tooltipOf('variant', 'iteration', 'readyMs:.0f', 'status'),
      },
    },
    config: CONFIG,
  } as TopLevelSpec;
}

/**
 * Scale-to-zero: p99 added latency against the idle timeout, per variant, as plan/ computes it
 * from the measured startup distributions (Poisson arrivals at SWEEP_RATE_PER_S).
 */
export function planChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = inputs.flatMap((input) =>
    idleTimeoutSweep(input.results.runs, input.analysis.groups).map((p) => ({ source: input.label, ...p })),
  );

  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Scale to zero: p99 added latency',
      subtitle:
        `Poisson arrivals at ${SWEEP_RATE_PER_S}/s, plan's default (instanton-bench plan --idle-timeout S gives these ` +
        `points); measured time-to-first-response distributions; the p99 is 0 once fewer than 1% of requests meet a cold start`,
    },
    data: { values },
    facet: {
      column: { field: 'scenario', type: 'nominal', title: null, sort: scenarioOrder(inputs) },
      row: { field: 'source', type: 'nominal', title: null },
    },
    spec: {
      width: 220,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'idleTimeoutS', type: 'quantitative', title: 'idle timeout (s)' },
        y: { field: 'p99', type: 'quantitative', title: 'p99 added latency (ms)' },
        color: variantColorOf(values),
        tooltip: tooltipOf('variant', 'idleTimeoutS', 'p99:.0f', 'coldShare:.2%'),
      },
    },
    config: CONFIG,
  } as TopLevelSpec;
}

export interface NamedChart {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

export function allCharts(inputs: readonly LabelledResults[]): NamedChart[] {
  return [
    { name: 'ready', title: 'Time to ready', spec: readyChart(inputs) },
    { name: 'first-response', title: 'Time to first response', spec: firstResponseChart(inputs) },
    { name: 'distribution', title: 'Every start', spec: distributionChart(inputs) },
    { name: 'memory', title: 'Memory', spec: memoryChart(inputs) },
    { name: 'speedup', title: 'Speedup', spec: speedupChart(inputs) },
    { name: 'waterfall', title: 'Where the time goes', spec: waterfallChart(inputs) },
    ...(inputs.some((i) => i.results.runs.some((r) => r.rampUp))
      ? [{ name: 'ramp-up', title: 'Throughput ramp-up', spec: rampUpChart(inputs) }]
      : []),
    { name: 'scale-to-zero', title: 'Scale to zero', spec: planChart(inputs) },
  ];
}
