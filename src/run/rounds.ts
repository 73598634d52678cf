import type { PlanContext } from './plan-context.js';
import { splitByArm } from '../results/split-arms.js';
import { analyze } from '../stats/analyze.js';
import { analyzeSequential } from '../stats/sequential.js';
import { describeLook } from '../stats/sequential-text.js';
import { plannedRounds, withOneMoreRound } from './schedule.js';

/**
 * --target-ci: add a round while some variant's median is not yet known to within PCT. The
 * rounds so far are read from the stored order, so a resumed run goes on where it stopped.
 */
export function addRound(ctx: PlanContext): boolean {
  const config = ctx.results.config;
  if (config.sequential) return sequentialLook(ctx);
  const rounds = plannedRounds(config);
  if (config.targetCiPct === undefined || rounds >= config.maxRuns) return false;
  const pct = config.targetCiPct;
  const wide = splitByArm(ctx.results).flatMap((part) =>
    analyze(part.results)
      .groups.filter((g) => {
        const d = g.metrics.readyMs;
        return !d || ((d.medianCi.high - d.medianCi.low) / 2 / d.median) * 100 > pct;
      })
      .map((g) => `${part.arm !== undefined ? `${part.arm} ` : ''}${g.scenario}/${g.variant}`),
  );
  if (wide.length === 0) {
    ctx.io.err(`run: every variant's median is within ±${pct}% (95% interval) after ${rounds} runs`);
    return false;
  }
  const extended = withOneMoreRound(config);
  ctx.results.config = extended.config;
  ctx.remaining.push(...extended.round);
  ctx.io.err(
    `run: interval still wider than ±${pct}% for ${wide.join(', ')}: adding run ${rounds + 1} of at most ` +
      `${config.maxRuns}`,
  );
  return true;
}

/**
 * --sequential: the look after a round. Stops (false) when the gate's answer is known or the
 * maximum is reached; otherwise adds the next round. Every look is recorded in the file, so a
 * resumed run and `compare` see the same looks.
 */
export function sequentialLook(ctx: PlanContext): boolean {
  const { results, io } = ctx;
  const design = results.config.sequential;
  if (!design) return false;
  const rounds = plannedRounds(results.config);
  const outcome = analyzeSequential(results, design, { resamples: 200 });
  const last = outcome.looks[outcome.looks.length - 1];
  if (last === undefined || last.round !== rounds) {
    // The plan's rounds are not all complete (a start missing): nothing to look at yet.
    if (rounds >= design.maxRounds) return false;
  } else {
    for (const line of describeLook(outcome)) io.err(`run: ${line}`);
    const stopped = outcome.decided ? 'answer-known' : rounds >= design.maxRounds ? 'max-rounds' : undefined;
    const looks = (results.sequentialLooks ?? []).filter((l) => l.round !== last.round);
    results.sequentialLooks = [...looks, { ...last, ...(stopped ? { stopped } : {}) }];
    if (stopped === 'answer-known') {
      io.err(
        `run: the gate's answer is known after ${rounds} rounds; stopping (compare ${ctx.session.out} for the verdicts)`,
      );
      return false;
    }
    if (stopped === 'max-rounds') {
      io.err(
        `run: the maximum ${design.maxRounds} rounds reached; ${last.gated - last.decided} comparison(s) stay inconclusive`,
      );
      return false;
    }
  }
  const extended = withOneMoreRound(results.config);
  results.config = extended.config;
  ctx.remaining.push(...extended.round);
  return true;
}
