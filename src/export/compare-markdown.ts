import { mapStrings, markdownText } from '../core/neutralise.js';
import type { SequentialOutcome } from '../stats/sequential-types.js';
import { describeStarts, type Comparison, type ReliabilityFinding } from '../stats/compare.js';
import { fmt, unitOf } from './units.js';

const MARK = {
  regression: '🔴 regression',
  improvement: '🟢 improvement',
  inconclusive: '⚠️ inconclusive',
  unchanged: 'unchanged',
  'not-worse': 'not worse',
} as const;

/** A markdown table for CI comments. */
export function compareMarkdown(
  rawRows: readonly Comparison[],
  thresholdPct: number,
  rawWarnings: readonly string[],
  rawReliability: readonly ReliabilityFinding[] = [],
  rawSequential?: SequentialOutcome,
): string {
  // Names, labels and notes come from the results files: no raw HTML, no table breaks.
  const [rows, envWarnings, reliability, sequential] = mapStrings(
    [rawRows, rawWarnings, rawReliability, rawSequential] as const,
    markdownText,
  );
  const lines = [
    `| scenario | variant | ${rows.some((r) => r.arm !== undefined) ? 'arm | ' : ''}metric | baseline | candidate | ` +
      `ratio (95% CI) | p | p (Holm) | verdict |`,
    `|---|---|${rows.some((r) => r.arm !== undefined) ? '---|' : ''}---|---:|---:|---:|---:|---:|---|`,
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.variant} | ${r.arm !== undefined ? `${r.arm} | ` : ''}${r.metric} | ` +
        `${fmt(r.baseline.median)} ${unitOf(r.metric)} (n=${r.baseline.n}) | ${fmt(r.candidate.median)} ` +
        `${unitOf(r.metric)} (n=${r.candidate.n}) | ${r.ratio.toFixed(3)} ` +
        `(${r.ratioCi.low.toFixed(3)}–${r.ratioCi.high.toFixed(3)})${r.paired ? ' paired' : ''} | ` +
        `${r.pValue.toFixed(3)} | ${r.pAdjusted.toFixed(3)}${r.gating ? '' : ' (not gating)'} | ` +
        `${MARK[r.verdict]}${r.note ? ` (${r.note})` : ''} |`,
    ),
    '',
    `Verdict: a regression or improvement needs a median change beyond ${thresholdPct}% and p <= 0.05 after Holm's ` +
      `correction across every comparison that can fail the gate; unchanged needs the ratio's whole 95% interval ` +
      `inside ±${thresholdPct}%; anything else is inconclusive (neither a pass nor a failure: more runs decide ` +
      `it). ` +
      `${rows.some((r) => r.paired) ? 'Arms of one run are paired by round: Wilcoxon signed-rank on the per-round ratios, the interval resampling whole rounds.' : 'Two files are unpaired: rank-sum permutation test, each side resampled on its own.'}`,
  ];
  if (sequential) lines.splice(lines.length - 1, 1, sequentialMethod(sequential, thresholdPct));
  if (reliability.length > 0) {
    lines.push(
      '',
      'Starts that were not ok (left out of the timings above):',
      '',
      '| scenario | variant | baseline | candidate | verdict |',
      '|---|---|---|---|---|',
      ...reliability.map(
        (f) =>
          `| ${f.scenario} | ${f.variant} | ${describeStarts(f.baseline)} | ${describeStarts(f.candidate)} | ` +
          `${f.verdict === 'regression' ? '🔴 regression' : 'unchanged'} |`,
      ),
    );
  }
  if (envWarnings.length > 0)
    lines.push('', '**The two runs come from different environments:**', ...envWarnings.map((w) => `- ${w}`));
  return lines.join('\n');
}

/** The method paragraph of a sequential run's table: what the figures are and which looks were taken. */
function sequentialMethod(s: SequentialOutcome, thresholdPct: number): string {
  const d = s.design;
  const last = s.looks[s.looks.length - 1];
  return (
    `Sequential gate (recorded design: ${d.method}, ${d.spending}-type error spending, looks after rounds ` +
    `${d.minRounds}..${last?.round ?? d.minRounds} of at most ${d.maxRounds}, stopped ` +
    `${s.decided ? 'because the answer was known' : last && last.round >= d.maxRounds ? 'at the maximum' : 'before an answer (interrupted)'}). ` +
    `Arms paired by round: ratio = exp of the ${Math.round(d.trim * 100)}%-trimmed mean of the per-round log ratios at ` +
    `the last look, Yuen's t; p = the repeated p-value over the looks, Holm across every comparison that can fail the ` +
    `gate; the interval is the repeated 95% interval (valid at every look at once). Regression or improvement: ` +
    `Holm p <= ${d.alpha} and a change beyond ${thresholdPct}%; unchanged: the repeated interval inside ` +
    `±${thresholdPct}%.` +
    (d.futility
      ? ` Not worse: the repeated one-sided ${Math.round((1 - d.futility.alpha) * 100)}% bound rules out a ` +
        `regression of ${d.futility.marginPct}% or more (a change below that is not ruled out; the gate passes).`
      : '') +
    ` An early-stopped run's ratio overstates a change: read the interval.`
  );
}
