import type { Analysis } from '../stats/analyze.js';
import type { ResultsFile } from '../results/types.js';
import { VARIANTS } from '../scenario/variants.js';
import { orderScenarios } from '../results/keys.js';

/** What every chart shares: its input, the variants' order and colours, fonts and layout. */

/** One results file with its label and analysis, as the charts consume it. */
export interface LabelledResults {
  readonly label: string;
  readonly results: ResultsFile;
  readonly analysis: Analysis;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const CHART_FONT = 'DejaVu Sans';
export const VARIANT_ORDER: string[] = [...VARIANTS];
export const VARIANT_COLORS = ['#7f7f7f', '#ff7f0e', '#1f77b4', '#2ca02c'];
export const variantColor = {
  field: 'variant',
  type: 'nominal',
  title: 'variant',
  sort: VARIANT_ORDER,
  scale: { domain: VARIANT_ORDER, range: VARIANT_COLORS },
} as const;

/** The variant colours for the variants a chart draws: no legend entry or empty bar slot for an absent one. */
export function variantColorOf(values: readonly Record<string, unknown>[]) {
  const present = new Set(values.map((v) => v['variant']));
  const domain = VARIANT_ORDER.filter((v) => present.has(v));
  return {
    ...variantColor,
    sort: domain,
    scale: { domain, range: domain.map((v) => VARIANT_COLORS[VARIANT_ORDER.indexOf(v)] as string) },
  } as const;
}

export const CONFIG = {
  font: CHART_FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** Scenarios in the order the run named them (the blog's order for --suite blog), not alphabetical. */
export function scenarioOrder(inputs: readonly LabelledResults[]): string[] {
  return [...new Set(inputs.flatMap((i) => orderScenarios(i.results.config.scenarios, i.results.runs)))];
}

/** One row of charts per scenario (in the run's order), one column per results file. */
export function scenarioBySourceFacet(inputs: readonly LabelledResults[]) {
  return {
    row: { field: 'scenario', type: 'nominal', title: null, sort: scenarioOrder(inputs) },
    column: { field: 'source', type: 'nominal', title: null },
  } as const;
}

/** A vega-lite tooltip from `field` or `field:format` names (house style: the same fields in the same order). */
export function tooltipOf(...fields: readonly string[]): Array<{ field: string; format?: string }> {
  return fields.map((f) => {
    const [field, format] = f.split(':') as [string, string | undefined];
    return format === undefined ? { field } : { field, format };
  });
}
