import type { GroupAnalysis } from '../stats/analyze.js';
import type { LabelledResults } from './charts.js';
import { describeArm } from '../results/split-arms.js';

const ms = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(0));

function cellWithCi(g: GroupAnalysis, metric: 'readyMs' | 'firstResponseMs'): string {
  const d = g.metrics[metric];
  return d ? `${ms(d.median)} (${ms(d.medianCi.low)}–${ms(d.medianCi.high)})` : '–';
}

/** The summary table: medians with bootstrap 95% intervals, speedups, memory, fallback rate. */
export function summaryTable(inputs: readonly LabelledResults[]): string {
  const many = inputs.length > 1;
  const header = [...(many ? ['source'] : []), 'scenario', 'variant', 'n', 'ready ms (95% CI)', 'first response ms (95% CI)', 'speedup (ready)', 'RSS MiB', 'fallback'];
  const rows = inputs.flatMap((input) =>
    input.analysis.groups.map((g) => [
      ...(many ? [input.label] : []),
      g.scenario,
      g.variant,
      `${g.ok}/${g.attempted}`,
      cellWithCi(g, 'readyMs'),
      cellWithCi(g, 'firstResponseMs'),
      g.speedupReady ? `${g.speedupReady.ratio.toFixed(1)}x (${g.speedupReady.ci.low.toFixed(1)}–${g.speedupReady.ci.high.toFixed(1)})` : '–',
      g.metrics.rssAfterFirstResponseKb ? (g.metrics.rssAfterFirstResponseKb.median / 1024).toFixed(0) : '–',
      `${(100 * g.fallbackRate).toFixed(0)}%`,
    ]),
  );
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((h, i) => (i >= (many ? 3 : 2) ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

export function methodText(input: LabelledResults): string[] {
  const c = input.results.config;
  const e = input.results.environment;
  return [
    `Server pinned to CPU ${c.serverCpus} with ${c.pin === 'taskset' ? '`taskset -c` on the podman process' : '`podman run --cpuset-cpus`'}; harness on CPU ${c.harnessCpus}.`,
    `${c.runs} measured start(s) per variant after ${c.warmup} warmup start(s), in a seeded random order (seed ${c.seed}).`,
    'Times run from the launch of `podman run` (host clock) to the CWWKF0011I timestamp (ready) and to the first expected HTTP response; container start is included, as in the 2023 InstantOn blog.',
    `InstantOn starts count only when verified (CWWKC0452I in messages.log, no fallback message); restores ran ${c.restoreMode === 'privileged' ? 'with --privileged' : 'with the least privilege (CHECKPOINT_RESTORE, SETPCAP, NET_ADMIN, SYS_ADMIN, SYS_TIME)'}.`,
    `Intervals: percentile bootstrap of the median, 2000 resamples, seeded. Memory: VmRSS of the Java process from the host's /proc after the first response.`,
    `Open Liberty ${e.libertyVersion ?? '?'}; kernel ${e.kernel}; ${e.cpuModel}; podman ${e.podman ?? '?'}.`,
    ...(c.arms && c.arms.length > 0
      ? [`A/B arms, interleaved round by round (every round holds every arm, scenario and variant once), baseline first: ${c.arms.map(describeArm).join('; ')}.`]
      : []),
  ];
}

export function summaryMarkdown(inputs: readonly LabelledResults[]): string {
  const parts = ['# Startup summary', '', summaryTable(inputs), ''];
  for (const input of inputs) {
    parts.push(`## Method${inputs.length > 1 ? ` (${input.label})` : ''}`, '', ...methodText(input).map((l) => `- ${l}`), '');
    const warnings = input.analysis.warnings;
    if (warnings.length > 0) {
      parts.push('### Warnings', '', ...warnings.map((w) => `- ${w.scenario} ${w.variant}: ${w.message}. ${w.advice}.`), '');
    }
  }
  return parts.join('\n');
}
