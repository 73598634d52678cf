import type { TopLevelSpec } from 'vega-lite';
import type { Analysis, MetricName } from '../stats/analyze.js';
import type { ResultsFile } from '../results/types.js';
import { idleTimeoutSweep, SWEEP_RATE_PER_S } from '../plan/timeout-sweep.js';
import { VARIANTS } from '../scenario/variants.js';
import { waterfalls } from '../stats/timeline.js';
import { rampGroups } from '../stats/ramp.js';
import { MARK_LABELS, MARK_ORDER } from '../results/timeline.js';

/** One results file with its label and analysis, as the charts consume it. */
export interface LabelledResults {
  readonly label: string;
  readonly results: ResultsFile;
  readonly analysis: Analysis;
}

export const CHART_FONT = 'DejaVu Sans';
const VARIANT_ORDER: string[] = [...VARIANTS];
const VARIANT_COLORS = ['#7f7f7f', '#ff7f0e', '#1f77b4', '#2ca02c'];
const variantColor = { field: 'variant', type: 'nominal', title: 'variant', sort: VARIANT_ORDER, scale: { domain: VARIANT_ORDER, range: VARIANT_COLORS } } as const;

const CONFIG = {
  font: CHART_FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** Scenarios in the order the run named them (the blog's order for --suite blog), not alphabetical. */
export function scenarioOrder(inputs: readonly LabelledResults[]): string[] {
  return [...new Set(inputs.flatMap((i) => [...i.results.config.scenarios, ...i.results.runs.map((r) => r.scenario)]))];
}

function medianRows(inputs: readonly LabelledResults[], metric: MetricName, scale = 1): Record<string, unknown>[] {
  return inputs.flatMap((input) =>
    input.analysis.groups.flatMap((g) => {
      const d = g.metrics[metric];
      if (!d) return [];
      return [{ source: input.label, scenario: g.scenario, variant: g.variant, median: d.median / scale, low: d.medianCi.low / scale, high: d.medianCi.high / scale, n: d.n }];
    }),
  );
}

/** Grouped bars of medians with 95% interval whiskers: by scenario, one bar per variant. */
function barsWithWhiskers(title: string, subtitle: string, yTitle: string, values: Record<string, unknown>[], scenarios: readonly string[], labelFormat = '.0f'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    data: { values },
    facet: { column: { field: 'source', type: 'nominal', title: null } },
    spec: {
      width: { step: 36 },
      height: 260,
      encoding: {
        x: { field: 'scenario', type: 'nominal', title: null, sort: [...scenarios], axis: { labelAngle: 0 } },
        xOffset: { field: 'variant', type: 'nominal', sort: VARIANT_ORDER },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'median', type: 'quantitative', title: yTitle },
            color: variantColor,
            tooltip: [{ field: 'scenario' }, { field: 'variant' }, { field: 'median', format: '.0f' }, { field: 'low', format: '.0f' }, { field: 'high', format: '.0f' }, { field: 'n' }],
          },
        },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        {
          mark: { type: 'text', dy: -8, fontSize: 10 },
          encoding: { y: { field: 'high', type: 'quantitative' }, text: { field: 'median', type: 'quantitative', format: labelFormat } },
        },
      ],
    },
    config: CONFIG,
  } as TopLevelSpec;
}

export function readyChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  return barsWithWhiskers(
    'Time to ready (CWWKF0011I)',
    'median of verified runs, podman run to CWWKF0011I; whiskers: 95% bootstrap interval',
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
      g.speedupReady ? [{ source: input.label, scenario: g.scenario, variant: g.variant, median: g.speedupReady.ratio, low: g.speedupReady.ci.low, high: g.speedupReady.ci.high, n: g.ok }] : [],
    ),
  );
  return barsWithWhiskers('InstantOn speedup over cold', 'cold median / InstantOn median of time to ready; whiskers: bootstrap 95% interval', 'times faster', values, scenarioOrder(inputs), '.1f');
}

/** Every measured start, fallbacks marked, so nothing hides behind a median. */
export function distributionChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = inputs.flatMap((input) =>
    input.results.runs
      .filter((r) => !r.warmup && r.metrics.readyMs !== undefined && (r.status === 'ok' || r.status === 'fallback'))
      .map((r) => ({ source: input.label, scenario: r.scenario, variant: r.variant, readyMs: r.metrics.readyMs, status: r.status === 'ok' ? 'ok' : 'fallback', iteration: r.iteration })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Every start', subtitle: 'time to ready of each measured start; fallback starts (not restored) are drawn as crosses and excluded from statistics' },
    data: { values },
    facet: { row: { field: 'scenario', type: 'nominal', title: null, sort: scenarioOrder(inputs) }, column: { field: 'source', type: 'nominal', title: null } },
    spec: {
      width: 420,
      height: { step: 22 },
      mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
      encoding: {
        y: { field: 'variant', type: 'nominal', sort: VARIANT_ORDER, title: null },
        x: { field: 'readyMs', type: 'quantitative', title: 'milliseconds to ready', scale: { zero: true } },
        color: variantColor,
        shape: { field: 'status', type: 'nominal', scale: { domain: ['ok', 'fallback'], range: ['circle', 'cross'] }, title: 'status' },
        tooltip: [{ field: 'variant' }, { field: 'iteration' }, { field: 'readyMs', format: '.0f' }, { field: 'status' }],
      },
    },
    resolve: { scale: { x: 'independent' } },
    config: CONFIG,
  } as TopLevelSpec;
}

/**
 * Scale-to-zero: p99 added latency against the idle timeout, per variant, as plan/ computes it
 * from the measured startup distributions (Poisson arrivals at SWEEP_RATE_PER_S).
 */
export function planChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = inputs.flatMap((input) => idleTimeoutSweep(input.results.runs, input.analysis.groups).map((p) => ({ source: input.label, ...p })));

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Scale to zero: p99 added latency', subtitle: `Poisson arrivals at ${SWEEP_RATE_PER_S}/s; measured time-to-first-response distributions (instanton-bench plan)` },
    data: { values },
    facet: { column: { field: 'scenario', type: 'nominal', title: null, sort: scenarioOrder(inputs) }, row: { field: 'source', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'idleTimeoutS', type: 'quantitative', title: 'idle timeout (s)' },
        y: { field: 'p99', type: 'quantitative', title: 'p99 added latency (ms)' },
        color: variantColor,
        tooltip: [{ field: 'variant' }, { field: 'idleTimeoutS' }, { field: 'p99', format: '.0f' }, { field: 'coldShare', format: '.2%' }],
      },
    },
    config: CONFIG,
  } as TopLevelSpec;
}

/** The waterfall rows of each input: segments stacked in order of their marks' median times. */
export function waterfallRows(inputs: readonly LabelledResults[]): Record<string, unknown>[] {
  return inputs.flatMap((input) =>
    waterfalls(input.results.runs, input.results.config.seed).flatMap((g) => {
      let at = 0;
      return g.segments.map((s) => {
        const start = at;
        at += s.median;
        return {
          source: input.label,
          scenario: g.scenario,
          variant: `${g.arm !== undefined ? `${g.arm} ` : ''}${g.variant}`,
          segment: MARK_LABELS[s.to],
          order: MARK_ORDER.indexOf(s.to),
          from: MARK_LABELS[s.from],
          start,
          end: at,
          median: s.median,
          low: s.ci.low,
          high: s.ci.high,
          intervalStart: start + s.ci.low,
          intervalEnd: start + s.ci.high,
          n: s.n,
        };
      });
    }),
  );
}

/**
 * Where a start's time goes: per scenario and variant, the median of each segment between
 * two timeline marks, stacked in the order of the marks; a black rule across each segment
 * spans its 95% interval (placed from the segment's start).
 */
export function waterfallChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = waterfallRows(inputs);
  const segments = MARK_ORDER.map((m) => MARK_LABELS[m]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Where the time goes', subtitle: 'median of each segment between two marks of the verified starts (launch to first response); rules: 95% bootstrap interval of the segment' },
    data: { values },
    facet: { row: { field: 'scenario', type: 'nominal', title: null, sort: scenarioOrder(inputs) }, column: { field: 'source', type: 'nominal', title: null } },
    spec: {
      width: 560,
      height: { step: 26 },
      encoding: { y: { field: 'variant', type: 'nominal', sort: VARIANT_ORDER, title: null } },
      layer: [
        {
          mark: { type: 'bar', height: { band: 0.7 } },
          encoding: {
            x: { field: 'start', type: 'quantitative', title: 'milliseconds since podman run' },
            x2: { field: 'end' },
            color: { field: 'segment', type: 'nominal', title: 'segment ending at', sort: segments, scale: { domain: segments, scheme: 'tableau20' } },
            tooltip: [{ field: 'variant' }, { field: 'from', title: 'from' }, { field: 'segment', title: 'to' }, { field: 'median', format: '.1f' }, { field: 'low', format: '.1f' }, { field: 'high', format: '.1f' }, { field: 'n' }],
          },
        },
        { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'intervalStart', type: 'quantitative' }, x2: { field: 'intervalEnd' } } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
    config: CONFIG,
  } as TopLevelSpec;
}

/**
 * After the start (--ramp-up): checked responses per second against seconds since launch, the
 * median of the verified starts with their interquartile band, and each variant's median ready
 * (dashed) and first-response (solid) marks.
 */
export function rampUpChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const curve: Record<string, unknown>[] = [];
  const marks: Record<string, unknown>[] = [];
  for (const input of inputs) {
    for (const g of rampGroups(input.results.runs)) {
      const variant = `${g.arm !== undefined ? `${g.arm} ` : ''}${g.variant}`;
      for (const p of g.curve) curve.push({ source: input.label, scenario: g.scenario, variant, second: p.second, median: p.median, low: p.low, high: p.high, starts: p.starts });
      if (g.readyMs !== undefined) marks.push({ source: input.label, scenario: g.scenario, variant, at: g.readyMs / 1000, mark: 'ready' });
      if (g.firstResponseMs !== undefined) marks.push({ source: input.label, scenario: g.scenario, variant, at: g.firstResponseMs / 1000, mark: 'first response' });
    }
  }
  const x = { type: 'quantitative', title: 'seconds since podman run' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'After the start: throughput ramp-up', subtitle: 'checked responses per second since launch (median of the verified starts, band: interquartile range); rules: median ready (dashed) and first response' },
    data: { values: [...curve.map((c) => ({ ...c, kind: 'curve' })), ...marks.map((m) => ({ ...m, kind: 'mark' }))] },
    facet: { row: { field: 'scenario', type: 'nominal', title: null, sort: scenarioOrder(inputs) }, column: { field: 'source', type: 'nominal', title: null } },
    spec: {
      width: 560,
      height: 200,
      layer: [
        { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: 'area', opacity: 0.2, interpolate: 'step-after' }, encoding: { x: { field: 'second', ...x }, y: { field: 'low', type: 'quantitative', title: 'responses per second' }, y2: { field: 'high' }, color: variantColor } },
        {
          transform: [{ filter: "datum.kind === 'mark'" }],
          mark: { type: 'rule', strokeWidth: 1 },
          encoding: { x: { field: 'at', ...x }, color: variantColor, strokeDash: { field: 'mark', type: 'nominal', title: 'mark', scale: { domain: ['ready', 'first response'], range: [[4, 3], [1, 0]] } }, tooltip: [{ field: 'variant' }, { field: 'mark' }, { field: 'at', format: '.2f' }] },
        },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: { x: { field: 'second', ...x }, y: { field: 'median', type: 'quantitative' }, color: variantColor, tooltip: [{ field: 'variant' }, { field: 'second' }, { field: 'median' }, { field: 'low' }, { field: 'high' }, { field: 'starts' }] },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
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
    ...(inputs.some((i) => i.results.runs.some((r) => r.rampUp)) ? [{ name: 'ramp-up', title: 'Throughput ramp-up', spec: rampUpChart(inputs) }] : []),
    { name: 'scale-to-zero', title: 'Scale to zero', spec: planChart(inputs) },
  ];
}
