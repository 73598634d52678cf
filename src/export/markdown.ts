import { CROSS_RUNTIME_INTRO, crossRuntimeMarkdown, type CrossRuntimeSection } from '../stats/cross-runtime.js';
import { checkpointLabel, hygieneFindings, hygieneLines } from '../results/hygiene.js';
import { mapStrings, markdownText } from '../core/neutralise.js';
import { describeHostSpeed } from '../hostspeed/index.js';
import { forecastConfusionRows, portabilityRows } from '../report/portability.js';
import { imagesKey } from '../results/keys.js';
import type { GroupAnalysis } from '../stats/analyze.js';
import { type LabelledResults } from '../report/chart-style.js';
import { describeArm, readyWhat } from '../results/split-arms.js';
import { RESTORE_CAPABILITIES } from '../engine/capabilities.js';
import { BOOTSTRAP_RESAMPLES } from '../stats/describe.js';
import { median } from 'simple-statistics';
import { restoreRelevantLines } from '../results/checkpoint-holds.js';
import { waterfallTable, restoreStatsTable, rampTable, harnessLine } from './markdown-tables.js';

const ms = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(0));

function cellWithCi(g: GroupAnalysis, metric: 'readyMs' | 'firstResponseMs'): string {
  const d = g.metrics[metric];
  return d ? `${ms(d.median)} (${ms(d.medianCi.low)}–${ms(d.medianCi.high)})` : '–';
}

/** The summary table: medians with bootstrap 95% intervals, speedups, memory, fallback rate. */
export function summaryTable(inputs: readonly LabelledResults[]): string {
  const many = inputs.length > 1;
  const header = [
    ...(many ? ['source'] : []),
    'scenario',
    'variant',
    'n',
    'ready ms (95% CI)',
    'first response ms (95% CI)',
    'speedup (ready)',
    'RSS MiB',
    'fallback',
  ];
  const rows = inputs.flatMap((input) =>
    input.analysis.groups.map((g) => [
      ...(many ? [input.label] : []),
      g.scenario,
      g.variant,
      `${g.ok}/${g.attempted}`,
      cellWithCi(g, 'readyMs'),
      cellWithCi(g, 'firstResponseMs'),
      g.speedupReady
        ? `${g.speedupReady.ratio.toFixed(1)}x ` +
          `(${g.speedupReady.ci.low.toFixed(1)}–${g.speedupReady.ci.high.toFixed(1)})`
        : '–',
      g.metrics.rssAfterFirstResponseKb ? (g.metrics.rssAfterFirstResponseKb.median / 1024).toFixed(0) : '–',
      `${(100 * g.fallbackRate).toFixed(0)}%`,
    ]),
  );
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((h, i) => (i >= (many ? 3 : 2) ? '---:' : '---'))), ...rows.map(line)].join(
    '\n',
  );
}

const CLASS_DATA: Readonly<Record<string, string>> = {
  none: 'no class-data archive',
  'jdk-default-cds': "the JDK's default CDS archive",
  'aot-cache': 'the AOT cache trained at build time',
  unknown: 'class-data archive not read',
};
const WORK_AREA: Readonly<Record<string, string>> = {
  primed: 'work area primed at build time',
  clean: 'work area cleared (--clean)',
  checkpoint: 'restored from its checkpoint',
};

/** What each variant's starts began from (the most common state among its verified starts). */
export function startStates(input: LabelledResults): string | undefined {
  const parts: string[] = [];
  for (const variant of [...new Set(input.results.runs.map((r) => r.variant))]) {
    const states = input.results.runs
      .filter((r) => r.variant === variant && r.status === 'ok' && r.startState)
      .map((r) => r.startState as NonNullable<typeof r.startState>);
    if (states.length === 0) continue;
    const first = states[0] as NonNullable<(typeof states)[number]>;
    const classes = states.map((s) => s.classesFromArchive).filter((v): v is number => v !== undefined);
    const from = classes.length > 0 ? `, median ${median(classes).toFixed(0)} classes from it` : '';
    parts.push(
      `${variant}: ` +
        `${WORK_AREA[first.workArea] ?? first.workArea}` +
        `${first.checkpointPhase ? ` (${first.checkpointPhase})` : ''}, ` +
        `${CLASS_DATA[first.classData] ?? first.classData}${from}`,
    );
  }
  return parts.length > 0
    ? `Where each variant's starts began (read from every start; class counts from the JVM's own counters): ` +
        `${parts.join('; ')}.`
    : undefined;
}

export function methodText(input: LabelledResults): string[] {
  const c = input.results.config;
  const leastPrivilege = `with the least privilege (${RESTORE_CAPABILITIES.join(', ')})`;
  const mib = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);
  const armed = (x: { arm?: string; scenario: string }): string => imagesKey(x.arm, x.scenario);
  const aotText = (a: { arm?: string; scenario: string; cacheBytes: number; addedBytes: number }): string =>
    `${armed(a)} ${mib(a.cacheBytes)} MiB (the image adds ${mib(a.addedBytes)} MiB)`;
  const e = input.results.environment;
  const states = startStates(input);
  return [
    `Server pinned to CPU ${c.serverCpus} with ` +
      `${c.pin === 'taskset' ? '`taskset -c` on the podman process' : '`podman run --cpuset-cpus`'}; harness on CPU ` +
      `${c.harnessCpus}.`,
    `${c.runs} measured start(s) per variant after ${c.warmup} warmup start(s), in a seeded random order (seed ` +
      `${c.seed}).`,
    `Times run from the launch of \`podman run\` (host clock) to the ${readyWhat(input.results)} timestamp (ready) ` +
      'and to the first expected HTTP response; container start is included, as in the 2023 InstantOn blog.',
    `InstantOn starts count only when verified (CWWKC0452I in messages.log, no fallback message); restores ran ` +
      `${c.restoreMode === 'privileged' ? 'with --privileged' : leastPrivilege}.`,
    `Intervals: percentile bootstrap of the median, ${BOOTSTRAP_RESAMPLES} resamples, seeded. Memory: VmRSS of the ` +
      `Java process from the host's /proc after the first response.`,
    `Open Liberty ${e.libertyVersion ?? '?'}; kernel ${e.kernel}; ${e.cpuModel}; podman ${e.podman ?? '?'}.`,
    ...(e.hostSpeed
      ? [
          `Host speed ${describeHostSpeed(e.hostSpeed)}; 100 = ${e.hostSpeed.reference}: compare timings only ` +
            `between hosts of similar index.`,
        ]
      : []),
    ...(states ? [states] : []),
    ...(input.results.aotCaches && input.results.aotCaches.length > 0
      ? [
          `AOT caches (trained at build time by one start, a request and a normal stop): ` +
            `${input.results.aotCaches.map(aotText).join(', ')}; ` +
            `checkpoints: ` +
            `${input.results.checkpoints.map((k) => `${armed(k)} ${k.phase} +${mib(k.addedBytes)} MiB`).join(', ')}.`,
        ]
      : []),
    ...(c.coldState === 'clean'
      ? [
          'Cold starts were truly first starts (--cold-state clean): Liberty started with --clean (no primed work ' +
            'area) and the JVM with -Xshare:off.',
        ]
      : []),
    ...(c.arms && c.arms.length > 0
      ? [
          `A/B arms, interleaved round by round (every round holds every arm, scenario and variant once), baseline ` +
            `first: ${c.arms.map(describeArm).join('; ')}.`,
        ]
      : []),
  ];
}

/** A section of the summary: heading, one paragraph saying what it shows, its lines; nothing when it has none. */
function section(heading: string, intro: string, lines: readonly string[]): string[] {
  return lines.length > 0 ? [heading, '', intro, '', ...lines, ''] : [];
}

/** summary.md: every name, label and text from the results files neutralised for markdown (no raw HTML, no `|`). */
export function summaryMarkdown(
  data: readonly LabelledResults[],
  rawCross: readonly CrossRuntimeSection[] = [],
): string {
  const inputs = mapStrings(data, markdownText);
  const cross = mapStrings(rawCross, markdownText);
  const parts = ['# Startup summary', '', summaryTable(inputs), ''];
  for (const c of cross)
    parts.push(
      ...section(
        `## InstantOn against the plain JVM${cross.length > 1 ? ` (${c.label})` : ''}`,
        CROSS_RUNTIME_INTRO,
        crossRuntimeMarkdown(c.rows)
          .split('\n')
          .filter((l) => l.startsWith('|')),
      ),
    );
  for (const input of inputs) {
    const of = inputs.length > 1 ? ` (${input.label})` : '';
    parts.push(
      ...section(
        `## Where the time goes${of}`,
        'Median of each segment between two marks of a start (verified starts only), with its bootstrap 95% ' +
          'interval; medians of segments need not add up to the median total.',
        waterfallTable(input),
      ),
      ...section(
        `## After the start: throughput ramp-up${of}`,
        "Checked responses per second under the scenario's load from the first response on (run --ramp-up), medians " +
          'of the verified starts; times are seconds since launch, "–" where the load did not run that long.',
        rampTable(input),
      ),
      ...section(
        `## Restores and what the checkpoints hold${of}`,
        "CRIU's own statistics of each restore (stats-restore) beside the checkpoint's dump statistics (stats-dump, " +
          'pstree.img, files.img) and the bytes its image layer adds.',
        restoreStatsTable(input),
      ),
      ...section(
        `## Restore portability${of}`,
        'Every host (and emulated restore-host profile, run --restore-host) that measured: restores verified, ' +
          'fallbacks and failures (instanton-bench diagnose explains them), medians of the ok starts, and what differs ' +
          'from the host the checkpoint was taken on.',
        portabilityRows(input.results),
      ),
      ...section(
        `### Forecast and outcome in guests${of}`,
        'Every restore tried in a QEMU guest (run --restore-on) against what instanton-bench forecast said of that ' +
          "checkpoint on the guest's profile before it was tried.",
        forecastConfusionRows(input.results),
      ),
      ...section(
        `## What the checkpoints carry${of}`,
        "Each checkpoint searched for its scenario's secrets (memory pages, image layer, config), its restores' " +
          "answers to the scenario's entropy probe compared, and the restored server's clocks against the host's; " +
          'each finding with its remedy (instanton-bench diagnose explains them).',
        [
          ...hygieneLines(input.results).map((l) => `- ${l}`),
          ...hygieneFindings(input.results).map((f) => `- **${f.checkpoint}: ${f.message}**: ${f.remedy}`),
        ],
      ),
      ...section(
        `### What can matter at restore${of}`,
        "From each checkpoint's files.img: regular files open under the server's directories (config, output, logs, " +
          'shared resources) and the internet sockets the server held when it was dumped.',
        input.results.checkpoints.flatMap((c) =>
          restoreRelevantLines(c.contents).map((l) => `- ${checkpointLabel(c)}: ${l}`),
        ),
      ),
    );
  }
  for (const input of inputs) {
    const harness = harnessLine(input);
    parts.push(
      `## Method${inputs.length > 1 ? ` (${input.label})` : ''}`,
      '',
      ...methodText(input).map((l) => `- ${l}`),
      ...(harness ? [`- ${harness}`] : []),
      '',
    );
    const warnings = input.analysis.warnings;
    if (warnings.length > 0) {
      parts.push(
        '### Warnings',
        '',
        ...warnings.map((w) => `- ${w.scenario} ${w.variant}: ${w.message}. ${w.advice}.`),
        '',
      );
    }
  }
  return parts.join('\n');
}
