/**
 * How far the host speed index predicts start times (a benchmark, not a pass/fail test): every committed run that
 * carries an index, its index against its medians, per host kind and variant.
 *
 *   node --import tsx test/bench/host-speed-vs-medians.ts [--json OUT.json] [--svg OUT.svg]
 *
 * Only starts of unchanged code count: a series' builds before its deliberate change (builds 1-6), a referenced
 * series' reference arm, a plain run's default arm (test/bench/host-speed-points.ts). Per host kind and variant: the
 * points, Spearman's rank correlation of index and median, and the elasticity (the slope of log median on log index:
 * -1 = start time inversely proportional to the index).
 */
import { writeFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../../src/report/render.js';
import { benchArgs } from './bench-input.js';
import { collectPoints, fitsOf } from './host-speed-points.js';

const { flag } = benchArgs(process.argv.slice(2));
const points = await collectPoints();
const summary = { points: points.length, fits: fitsOf(points) };
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
const json = flag('--json');
if (json) writeFileSync(json, `${JSON.stringify({ summary, points }, null, 2)}\n`);
const svg = flag('--svg');
if (svg) {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Host speed index against the run’s median start (unchanged code, every committed run with an index)',
    data: {
      values: points
        .filter((p) => ['cold', 'afterAppStart'].includes(p.variant))
        .map((p) => ({ ...p, seconds: p.medianMs / 1000 })),
    },
    facet: { column: { field: 'variant', title: null } },
    spec: {
      width: 320,
      height: 260,
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: {
          field: 'index',
          type: 'quantitative',
          scale: { type: 'log', nice: false, padding: 12 },
          title: 'host speed index',
        },
        y: {
          field: 'seconds',
          type: 'quantitative',
          scale: { type: 'log', nice: false, padding: 12 },
          title: 'median ready (s)',
        },
        color: { field: 'host', type: 'nominal', title: null },
        tooltip: [{ field: 'file' }, { field: 'index' }, { field: 'medianMs' }],
      },
    },
    resolve: { scale: { y: 'independent', x: 'shared' } },
  };
  writeFileSync(svg, await renderSvg(spec));
}
