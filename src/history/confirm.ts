import path from 'node:path';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import { checkOutputFile } from '../core/output-paths.js';
import { readResults } from '../results/read.js';
import type { RunInput } from '../run/run-input.js';
import type { RunWorld } from '../run/world.js';
import { addConfirmation } from '../store/confirmations.js';
import { openStore } from '../store/open.js';
import { analyzeSequential } from '../stats/sequential.js';
import { verdictWords } from '../stats/compare.js';
import { loadTrend, storeOf, type SeriesInput } from './load.js';
import { parseIntegerOption } from '../run/parse-options.js';
import type { TrendBuild, TrendChange } from './trend.js';
import { seriesId } from '../store/read.js';
import { candidateArmOf, isReferenced } from '../store/record.js';

/**
 * `history confirm`: a suspected change becomes a verdict. The builds on either side of a change point are measured
 * again as two arms of one interleaved, sequential run (paired by round, the gate's error rates as measured for
 * `run --sequential`): each arm with its build's image (by ID, when the builds' images differ) and cold state. The
 * verdict on the change point's metric is recorded against it in the store.
 */
export interface ConfirmArms {
  readonly before: string;
  readonly after: string;
  /** Recorded differences no arm key can reproduce (said, not hidden). */
  readonly notReproduced: readonly string[];
}

const NOT_REPRODUCIBLE_PREFIXES = ['option ', 'tool version', 'JDK', 'Liberty'];

/** The two arms that stand for the builds before and after a change (pure). */
export function confirmArms(change: TrendChange, before: TrendBuild, after: TrendBuild): ConfirmArms {
  // A series of ratios to a reference arm: its candidate arm as each build ran it (its recorded keys).
  const candidate = isReferenced(change) ? candidateArmOf(change.arm) : undefined;
  const armKeys = (b: TrendBuild): string[] => {
    const text = candidate === undefined ? undefined : b.attributes[`arm ${candidate}`];
    return text === undefined || text.startsWith('(') ? [] : text.split(',');
  };
  const keys = (b: TrendBuild, other: TrendBuild): string[] => {
    const own = armKeys(b);
    const out = own.some((k) => k.startsWith('cold-state='))
      ? own
      : [`cold-state=${b.attributes['cold state'] ?? 'primed'}`, ...own];
    if (own.some((k) => k.startsWith('image='))) return out;
    const image = b.attributes[`image ${change.scenario}`];
    if (image && image !== other.attributes[`image ${change.scenario}`]) out.push(`image=${image}`);
    return out;
  };
  const imagesDiffer = before.attributes[`image ${change.scenario}`] !== after.attributes[`image ${change.scenario}`];
  const notReproduced = Object.keys({ ...before.attributes, ...after.attributes })
    .filter((k) => before.attributes[k] !== after.attributes[k])
    .filter((k) => NOT_REPRODUCIBLE_PREFIXES.some((p) => k.startsWith(p)))
    // A JDK or Liberty change lives in the image: an arm with that image reproduces it.
    .filter((k) => !(imagesDiffer && (k === 'JDK' || k === 'Liberty')))
    .map((k) => `${k}: ${before.attributes[k] ?? 'not recorded'} -> ${after.attributes[k] ?? 'not recorded'}`);
  return {
    before: `before:${keys(before, after).join(',')}`,
    after: `after:${keys(after, before).join(',')}`,
    notReproduced,
  };
}

/** The trend's change point of that number and the builds either side of it. */
function changeNumbered(trend: Awaited<ReturnType<typeof loadTrend>>['trend'], number: number) {
  const change = trend.changePoints[number - 1];
  if (!change)
    throw new UsageError(
      `--change ${number}: the trend has ${trend.changePoints.length} change point(s)`,
      trend.changePoints.length === 0
        ? 'there is nothing to confirm yet'
        : `pass --change 1 to ${trend.changePoints.length}`,
    );
  const series = trend.series.find((s) => seriesId(s) === seriesId(change));
  const before = series?.builds[change.index - 1];
  const after = series?.builds[change.index];
  if (!before || !after) throw new Error(`change point ${number} has no builds around it`);
  return { change, before, after };
}

export async function confirmChange(
  opts: Record<string, unknown>,
  io: CliIo,
  world: RunWorld | undefined,
): Promise<number> {
  const number = parseIntegerOption('--change', opts.change as string | undefined, 1, 1, 1_000_000);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.resolve(
    io.cwd,
    typeof opts.out === 'string' ? opts.out : path.join('results', `confirm-${stamp}.json`),
  );
  await checkOutputFile('--out', out);
  const { trend } = await loadTrend(opts as SeriesInput, io);
  const { change, before, after } = changeNumbered(trend, number);
  const arms = confirmArms(change, before, after);
  io.err(
    `history: confirming change ${number}: ${seriesId(change)} from build ${change.build} (after ${change.previousBuild})`,
  );
  io.err(`history: arms ${arms.before} and ${arms.after}`);
  for (const d of arms.notReproduced) io.err(`history: warning: not reproduced by the arms: ${d}`);
  const input: RunInput = {
    scenario: [change.scenario],
    variants: change.variant,
    arm: [arms.before, arms.after],
    sequential: true,
    out,
    ...(typeof opts.maxRounds === 'string' ? { maxRounds: opts.maxRounds } : {}),
    ...(typeof opts.threshold === 'string' ? { threshold: opts.threshold } : {}),
  };
  const { executeRun } = await import('../run/execute.js');
  const runWorld = world ?? (await import('../run/world.js')).realWorld();
  const code = await executeRun(input, Object.keys(input), io, runWorld);
  const results = await readResults(out);
  const design = results.config.sequential;
  if (!design || results.state !== 'complete') {
    io.err(
      `history: the confirming run did not finish (exit ${code}); nothing recorded (resume it: run --resume ${out})`,
    );
    return code;
  }
  const outcome = analyzeSequential(results, design, { baselineArm: 'before', seed: 1 });
  const row = outcome.comparisons.find(
    (c) => c.scenario === change.scenario && c.variant === change.variant && c.metric === change.metric,
  );
  const verdict = row ? row.verdict : 'not-measured';
  const summary = row
    ? `${verdictWords(row.verdict)}: after/before ${row.ratio.toFixed(3)} (95% interval ${row.ratioCi.low.toFixed(3)}-` +
      `${row.ratioCi.high.toFixed(3)}), Holm-adjusted p ${row.pAdjusted.toFixed(4)}, ${outcome.rounds} rounds`
    : `no ${change.metric} comparison in ${out}`;
  const store = await openStore(storeOf(opts, io), { say: (l) => io.err(`history: ${l}`), command: 'history confirm' });
  try {
    await addConfirmation(store.sql, {
      scenario: change.scenario,
      variant: change.variant,
      arm: change.arm,
      hostClass: change.hostClass,
      metric: change.metric,
      beforeBuild: change.previousBuild,
      afterBuild: change.build,
      verdict,
      detail: { summary, arms: [arms.before, arms.after], notReproduced: arms.notReproduced, rounds: outcome.rounds },
      results: out,
    });
  } finally {
    await store.close();
  }
  io.out(
    `history: change ${number} (${seriesId(change)} from build ${change.build}): ${summary}; recorded in the store`,
  );
  return verdict === 'regression' ? EXIT_FAILURE : EXIT_OK;
}
