import type { SequentialOutcome } from './sequential-types.js';
import { verdictWords } from './compare.js';

export const pctChange = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

/**
 * The progress after a look: one line per gated comparison with its change, repeated interval,
 * |z| against the boundary it must reach, and its verdict (or why it goes on).
 */
export function describeLook(outcome: SequentialOutcome): string[] {
  const look = outcome.looks[outcome.looks.length - 1];
  if (!look) return [];
  const t = outcome.design.thresholdPct;
  return [
    `look at round ${look.round} (of at most ${outcome.design.maxRounds}): ${look.decided}/${look.gated} gated ` +
      `comparison(s) decided`,
    ...outcome.comparisons
      .filter((c) => c.gating)
      .map((c) => {
        const f = c.look;
        const state =
          c.verdict !== 'inconclusive'
            ? `${verdictWords(c.verdict).toUpperCase()} (from round ${c.decidedAtRound})`
            : `undecided: |z| ${f.z.toFixed(2)} < ${f.boundary.toFixed(2)} and the interval reaches beyond ±${t}%` +
              (outcome.design.futility
                ? ` (not worse once a +${outcome.design.futility.marginPct}% regression is ruled out)`
                : '');
        return (
          `  ${c.arm} ${c.scenario}/${c.variant} ${c.metric}: ${pctChange(f.ratio)} (repeated 95% ` +
          `${pctChange(f.interval.low)} to ${pctChange(f.interval.high)}, n=${f.n}); ${state}`
        );
      }),
  ];
}
