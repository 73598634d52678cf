/**
 * What docs/history.md says of a paired series over hours (test/bench/history-hours.sh), computed from its committed
 * builds with the tool's own trend code: the builds, their span, the host speed indices, the build arm's cold medians,
 * the per-round ratios build/ref, and the change points of the referenced and the absolute trend. The docs test
 * checks each sentence against the page; run alone it prints them:
 *
 *   node --import tsx test/bench/history-hours-summary.ts results/reference/history-hours-paired-amd
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pickSeries } from '../../src/history/load.js';
import { medianOf, trendOf, type TrendResult } from '../../src/history/trend.js';
import { readResults } from '../../src/results/read.js';
import type { ResultsFile } from '../../src/results/types.js';
import { storedRunOf } from '../../src/store/record.js';
import { pairedColdStarts } from './bench-input.js';
import { seriesOfRuns } from '../support/stored-series.js';

/** history trend's defaults (the CLI's). */
const TREND = { alpha: 0.04, thresholdPct: 5, seed: 1, minSize: 2 } as const;

const utc = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function changeText(t: TrendResult): string {
  if (t.changePoints.length === 0) return 'no change point';
  return t.changePoints
    .map(
      (c) =>
        `${c.metric} ${c.variant}${c.arm ? ` (${c.arm})` : ''} at build ${c.build} (${c.ratio.toFixed(2)}x, p ` +
        `${c.pValue.toFixed(4)})`,
    )
    .join('; ');
}

export async function hoursSummary(dir: string): Promise<{ builds: ResultsFile[]; sentences: string[] }> {
  const files = readdirSync(dir)
    .filter((f) => /^build-\d+\.json$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  const builds = await Promise.all(files.map((f) => readResults(path.join(dir, f))));
  const at = builds.map((b) => Date.parse(b.createdAt));
  const minutes = Math.round((Math.max(...at) - Math.min(...at)) / 60_000);
  const indices = builds.flatMap((b) =>
    [b.environment.hostSpeed?.index, b.environment.hostSpeedAfter?.index].filter((i): i is number => i !== undefined),
  );
  const pairs = builds.map((b) => pairedColdStarts(b, 'readyMs'));
  const medians = pairs.map((p) => medianOf(p.starts));
  const ratios = pairs.map((p) => medianOf(p.ratios));
  const runs = builds.map((b) => storedRunOf(b, b.config.labels ?? {}));
  const referenced = trendOf(pickSeries(seriesOfRuns(runs), false), TREND);
  const absolute = trendOf(pickSeries(seriesOfRuns(runs), true), TREND);
  const sentences = [
    `${builds.length} builds of the same Pingperf image over ${minutes} minutes (${utc(builds[0]!.createdAt)} to ` +
      `${utc(builds[builds.length - 1]!.createdAt)} UTC)`,
    `host speed index ${Math.min(...indices)}-${Math.max(...indices)}`,
    `the build arm's cold ready medians ${Math.round(Math.min(...medians))}-${Math.round(Math.max(...medians))} ms`,
    `its cold per-round ratios to the reference arm, a build's median ${Math.min(...ratios).toFixed(3)}-` +
      `${Math.max(...ratios).toFixed(3)}`,
    `the referenced trend of readyMs (the default): ${changeText(referenced)}`,
    `the absolute trend of readyMs (\`--absolute\`): ${changeText(absolute)}`,
  ];
  return { builds, sentences };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: history-hours-summary.ts DIR\n');
    process.exit(2);
  }
  for (const s of (await hoursSummary(dir)).sentences) process.stdout.write(`${s}\n`);
}
