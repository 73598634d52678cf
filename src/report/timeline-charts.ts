import { tooltipOf } from './chart-style.js';
import type { TopLevelSpec } from 'vega-lite';
import { waterfalls } from '../stats/timeline.js';
import { rampGroups } from '../stats/ramp.js';
import { MARK_LABELS, MARK_ORDER, SEGMENT_ORDER, segmentName } from '../results/timeline.js';
import {
  CONFIG,
  scenarioBySourceFacet,
  VARIANT_ORDER,
  VEGA_LITE_SCHEMA,
  variantColorOf,
  type LabelledResults,
} from './chart-style.js';

/** Charts of what happens inside and after a start: the timeline's waterfall and the ramp-up. */

/** The waterfall rows of each input: segments stacked in order of their marks' median times. */
export function waterfallRows(inputs: readonly LabelledResults[]): Record<string, unknown>[] {
  return inputs.flatMap((input) =>
    waterfalls(input.results.runs, input.results.config.seed, input.results.config.scenarios).flatMap((g) => {
      let at = 0;
      return g.segments.map((s) => {
        const start = at;
        at += s.median;
        return {
          source: input.label,
          scenario: g.scenario,
          variant: `${g.arm !== undefined ? `${g.arm} ` : ''}${g.variant}`,
          segment: segmentName(s.from, s.to),
          order: MARK_ORDER.indexOf(s.to),
          from: MARK_LABELS[s.from],
          to: MARK_LABELS[s.to],
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
 * One colour per named segment, in SEGMENT_ORDER: neighbours in a start's bar differ in hue or lightness (blues for
 * the container, orange for the server script, greens for a JVM's start, purples for CRIU, reds for Liberty's start
 * of the app, yellow, teal and grey for the end); segments without a name take the spares.
 */
const SEGMENT_COLORS = [
  '#4e79a7',
  '#a0cbe8',
  '#bab0ac',
  '#f28e2b',
  '#ffbe7d',
  '#8cd17d',
  '#59a14f',
  '#b07aa1',
  '#d4a6c8',
  '#e15759',
  '#ff9d9a',
  '#edc948',
  '#76b7b2',
  '#79706e',
];
const SPARE_COLORS = ['#9c755f', '#499894', '#d37295', '#b6992d', '#86bcb6', '#f1ce63'];

/**
 * Where a start's time goes: per scenario and variant, the median of each segment between
 * two timeline marks, stacked in the order of the marks; a black rule across each segment
 * spans its 95% interval (placed from the segment's start). Segments are named by what
 * happens in them, and every panel shares one time axis, so a short start looks short.
 */
export function waterfallChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const values = waterfallRows(inputs);
  // The segments drawn, named ones in a start's order with their own colours, then any others with the spares.
  const present = new Set(values.map((v) => v['segment'] as string));
  const others = [...present].filter((name) => !SEGMENT_ORDER.includes(name));
  const domain = [...SEGMENT_ORDER.filter((name) => present.has(name)), ...others];
  const range = domain.map((name) =>
    SEGMENT_ORDER.includes(name)
      ? (SEGMENT_COLORS[SEGMENT_ORDER.indexOf(name)] as string)
      : (SPARE_COLORS[others.indexOf(name) % SPARE_COLORS.length] as string),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'Where the time goes',
      subtitle:
        'median of each segment between two marks of the verified starts, from podman run to the first response; ' +
        'rules: 95% bootstrap interval of the segment; one time axis for every panel',
    },
    data: { values },
    facet: scenarioBySourceFacet(inputs),
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
            color: {
              field: 'segment',
              type: 'nominal',
              title: 'what happens',
              sort: domain,
              scale: { domain, range },
              legend: { labelLimit: 320 },
            },
            tooltip: [
              { field: 'variant' },
              { field: 'segment', title: 'segment' },
              { field: 'from', title: 'from' },
              { field: 'to', title: 'to' },
              { field: 'median', format: '.1f' },
              { field: 'low', format: '.1f' },
              { field: 'high', format: '.1f' },
              { field: 'n' },
            ],
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: { x: { field: 'intervalStart', type: 'quantitative' }, x2: { field: 'intervalEnd' } },
        },
      ],
    },
    config: CONFIG,
  } as TopLevelSpec;
}

/** The ramp-up chart's data: each group's median curve with its band, and its median ready and first-response. */
function rampUpData(inputs: readonly LabelledResults[]): {
  curve: Record<string, unknown>[];
  marks: Record<string, unknown>[];
} {
  const curve: Record<string, unknown>[] = [];
  const marks: Record<string, unknown>[] = [];
  for (const input of inputs) {
    for (const g of rampGroups(input.results.runs, input.results.config.scenarios)) {
      // The report shows each arm as its own source (a facet of its own): the variant alone keeps its colour.
      const variant = g.variant;
      for (const p of g.curve)
        curve.push({
          source: input.label,
          scenario: g.scenario,
          variant,
          second: p.second,
          median: p.median,
          low: p.low,
          high: p.high,
          starts: p.starts,
        });
      if (g.readyMs !== undefined)
        marks.push({ source: input.label, scenario: g.scenario, variant, at: g.readyMs / 1000, mark: 'ready' });
      if (g.firstResponseMs !== undefined)
        marks.push({
          source: input.label,
          scenario: g.scenario,
          variant,
          at: g.firstResponseMs / 1000,
          mark: 'first response',
        });
    }
  }
  return { curve, marks };
}

/**
 * After the start (--ramp-up): checked responses per second against seconds since launch, the
 * median of the verified starts with their interquartile band, and each variant's median ready
 * (dashed) and first-response (solid) marks.
 */
export function rampUpChart(inputs: readonly LabelledResults[]): TopLevelSpec {
  const { curve, marks } = rampUpData(inputs);
  const x = { type: 'quantitative', title: 'seconds since podman run' } as const;
  const color = variantColorOf(curve);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: 'After the start: throughput ramp-up',
      subtitle:
        'checked responses per second since launch (median of the verified starts, band: interquartile range); ' +
        'rules: median ready (dashed) and first response; one time axis, each panel its own rate axis',
    },
    data: { values: [...curve.map((c) => ({ ...c, kind: 'curve' })), ...marks.map((m) => ({ ...m, kind: 'mark' }))] },
    facet: scenarioBySourceFacet(inputs),
    spec: {
      width: 560,
      height: 200,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'area', opacity: 0.2, interpolate: 'step-after' },
          encoding: {
            x: { field: 'second', ...x },
            y: { field: 'low', type: 'quantitative', title: 'responses per second' },
            y2: { field: 'high' },
            color,
          },
        },
        {
          transform: [{ filter: "datum.kind === 'mark'" }],
          mark: { type: 'rule', strokeWidth: 1 },
          encoding: {
            x: { field: 'at', ...x },
            color,
            strokeDash: {
              field: 'mark',
              type: 'nominal',
              title: 'mark',
              scale: {
                domain: ['ready', 'first response'],
                range: [
                  [4, 3],
                  [1, 0],
                ],
              },
            },
            tooltip: [{ field: 'variant' }, { field: 'mark' }, { field: 'at', format: '.2f' }],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x: { field: 'second', ...x },
            y: { field: 'median', type: 'quantitative' },
            color,
            tooltip: tooltipOf('variant', 'second', 'median', 'low', 'high', 'starts'),
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: CONFIG,
  } as TopLevelSpec;
}
