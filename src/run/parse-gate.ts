import { UsageError } from '../core/errors.js';
import { DEFAULT_COMPARE_METRICS, DEFAULT_THRESHOLD_PCT } from '../stats/compare.js';
import { type SequentialDesign } from '../results/types.js';
import {
  DEFAULT_MAX_ROUNDS,
  DEFAULT_MIN_ROUNDS,
  MIN_SEQUENTIAL_ROUNDS,
  notWorseMarginFor,
  sequentialDesign,
} from '../stats/sequential-design.js';
import type { RunInput } from './run-input.js';
import { parseIntegerOption } from './parse-options.js';

/** The gate's options: --sequential with its bounds, and --shard K/N (both shape which rounds a run measures). */
/**
 * --sequential and its bounds: an A/B gate only (arms paired by round); the rounds are the
 * data's to decide, so --runs, --max-runs and --target-ci do not go with it.
 */
export function parseSequential(input: RunInput): SequentialDesign | undefined {
  const bounds = (['minRounds', 'maxRounds', 'threshold', 'notWorseMargin'] as const).filter(
    (k) => input[k] !== undefined,
  );
  if (!input.sequential) {
    const [first] = bounds;
    if (first !== undefined)
      throw new UsageError(
        `--${first.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} without --sequential: it bounds a sequential gate`,
        'add --sequential (with --arm ... --arm ...), or drop it',
      );
    return undefined;
  }
  if (!input.arm || input.arm.length < 2)
    throw new UsageError(
      '--sequential needs A/B arms: it stops a paired gate when its answer is known',
      'name a baseline and a candidate: --arm base --arm new:KEY=VALUE --sequential',
    );
  for (const [flag, value] of [
    ['--runs', input.runs],
    ['--max-runs', input.maxRuns],
    ['--target-ci', input.targetCi],
  ] as const)
    if (value !== undefined)
      throw new UsageError(
        `${flag} with --sequential: the data decide the rounds of a sequential gate`,
        `drop ${flag}; bound the rounds with --min-rounds N (default ${DEFAULT_MIN_ROUNDS}) and --max-rounds N ` +
          `(default ${DEFAULT_MAX_ROUNDS})`,
      );
  const minRounds = parseIntegerOption(
    '--min-rounds',
    input.minRounds,
    DEFAULT_MIN_ROUNDS,
    MIN_SEQUENTIAL_ROUNDS,
    MAX_SEQUENTIAL_ROUNDS,
  );
  const maxRounds = parseIntegerOption(
    '--max-rounds',
    input.maxRounds,
    Math.max(minRounds, DEFAULT_MAX_ROUNDS),
    MIN_SEQUENTIAL_ROUNDS,
    MAX_SEQUENTIAL_ROUNDS,
  );
  if (maxRounds < minRounds)
    throw new UsageError(
      `--max-rounds ${maxRounds} is below --min-rounds ${minRounds}`,
      'pass a --max-rounds at least as large as --min-rounds',
    );
  const thresholdPct =
    input.threshold === undefined
      ? DEFAULT_THRESHOLD_PCT
      : parseIntegerOption('--threshold', input.threshold, 0, 1, 50);
  const marginPct = parseIntegerOption(
    '--not-worse-margin',
    input.notWorseMargin,
    notWorseMarginFor(thresholdPct),
    1,
    99,
  );
  if (marginPct < thresholdPct)
    throw new UsageError(
      `--not-worse-margin ${marginPct} is below the threshold ${thresholdPct}%: "not worse" would rule out less than ` +
        'the gate calls a change',
      `pass --not-worse-margin ${thresholdPct} or more (default ${notWorseMarginFor(thresholdPct)}), or a lower --threshold`,
    );
  return sequentialDesign({
    thresholdPct,
    metrics: DEFAULT_COMPARE_METRICS,
    minRounds,
    maxRounds,
    futility: { marginPct },
  });
}

/**
 * --shard K/N: shard K of N of the same seeded plan, whole rounds (round r goes to shard
 * ((r - 1) mod N) + 1), so the arms of a round are never split across hosts.
 */
export function parseShard(
  input: RunInput,
  rounds: number,
  sequential: boolean,
): { index: number; count: number } | undefined {
  if (input.shard === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(input.shard);
  const fix = 'pass --shard K/N with 1 <= K <= N, e.g. --shard 1/2 on one host and --shard 2/2 on another';
  if (!m) throw new UsageError(`--shard ${input.shard}: expected K/N`, fix);
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${input.shard}: K must be 1 to N`, fix);
  if (count > rounds)
    throw new UsageError(
      `--shard ${input.shard}: the plan has ${rounds} round(s), so at most ${rounds} shard(s) hold one`,
      `pass --runs ${count} or more, or fewer shards`,
    );
  if (sequential || input.targetCi !== undefined)
    throw new UsageError(
      `--shard with ${sequential ? '--sequential' : '--target-ci'}: the rounds are decided as the run goes, on one host`,
      `drop ${sequential ? '--sequential' : '--target-ci'}, or run the plan on one host without --shard`,
    );
  return { index, count };
}

/** Looks a sequential gate may take: the boundaries are integrated over every one of them. */
export const MAX_SEQUENTIAL_ROUNDS = 200;
