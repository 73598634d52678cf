import type { Command } from 'commander';
import { type CommandContext, helpFooter, jsonOption } from '../command-context.js';
import {
  DEFAULT_ARRIVAL_RATE,
  DEFAULT_CONCURRENCY,
  DEFAULT_IDLE_TIMEOUT_S,
  DEFAULT_SERVICE_MS,
  DEFAULT_SLO_MS,
} from '../../plan/defaults.js';
import { imagesKey } from '../../results/keys.js';
import path from 'node:path';
import { measuredStartupsMs, MODEL_TEXT, planVariant, type PlanInput, type VariantPlan } from '../../plan/capacity.js';
import { readResults } from '../../results/read.js';
import { splitByArm } from '../../results/split-arms.js';
import { groupKeys } from '../../stats/analyze.js';
import { countStarts, describeStarts, notOkCount } from '../../stats/compare.js';
import { ResultsFileError, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkJsonTarget, emitJson, textOut, type JsonOption } from '../../core/output-paths.js';

import { measuredService } from '../../plan/measured-service.js';

export interface PlanOptions {
  readonly arrivalRate?: string;
  readonly idleTimeout?: string;
  readonly concurrency?: string;
  readonly sloMs?: string;
  readonly serviceMs?: string;
  readonly json?: JsonOption;
}

/**
 * Upper bounds that keep the model's figures finite and meaningful (a rate of 1e308/s gives NaN shares and infinite
 * instance counts): a million requests per second, a week of idle timeout, a million concurrent requests, an hour of
 * service or SLO.
 */
const PLAN_LIMITS = {
  '--arrival-rate': 1e6,
  '--idle-timeout': 7 * 24 * 3600,
  '--concurrency': 1e6,
  '--service-ms': 3_600_000,
  '--slo-ms': 3_600_000,
} as const;

function positive(
  flag: keyof typeof PLAN_LIMITS,
  text: string | undefined,
  fallback: number,
  allowZero = false,
): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  const max = PLAN_LIMITS[flag];
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0) || v > max)
    throw new UsageError(
      `${flag} ${text}: expected a ${allowZero ? 'non-negative' : 'positive'} number up to ${max}`,
      `pass e.g. ${flag} ${fallback}`,
    );
  return v;
}

export function resolvePlanInput(opts: PlanOptions): PlanInput {
  return {
    arrivalRatePerS: positive('--arrival-rate', opts.arrivalRate, DEFAULT_ARRIVAL_RATE),
    idleTimeoutS: positive('--idle-timeout', opts.idleTimeout, DEFAULT_IDLE_TIMEOUT_S, true),
    concurrency: positive('--concurrency', opts.concurrency, DEFAULT_CONCURRENCY),
    serviceMs: positive('--service-ms', opts.serviceMs, DEFAULT_SERVICE_MS),
    sloMs: positive('--slo-ms', opts.sloMs, DEFAULT_SLO_MS),
  };
}

export function formatPlan(plans: readonly VariantPlan[], input: PlanInput, measured = false): string {
  const idle = (p: VariantPlan): string =>
    p.minIdleTimeoutForSloS === null ? 'any' : `≥ ${Math.ceil(p.minIdleTimeoutForSloS)} s`;
  const lines = [
    `Model: ${MODEL_TEXT}`,
    `Load: λ = ${input.arrivalRatePerS}/s, idle timeout ${input.idleTimeoutS} s, ` +
      `${measured ? 'concurrency and service time per variant as measured (below)' : `concurrency ${input.concurrency}, service ${input.serviceMs} ms`}, ` +
      `SLO ${input.sloMs} ms (p99 added latency).`,
    '',
    '| scenario | variant | startups | meet a cold start | cold starts/hour | added p50 | added p95 | added p99 | ' +
      'instances | instance-s/hour | startups over SLO | idle timeout meeting SLO |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...plans.map(
      (p) =>
        `| ${p.scenario} | ${p.variant} | ${p.samples} | ${(100 * p.coldShare).toFixed(2)}% | ` +
        `${p.coldStartsPerHour.toFixed(1)} | ${p.addedLatencyMs.p50.toFixed(0)} ms | ` +
        `${p.addedLatencyMs.p95.toFixed(0)} ms | ${p.addedLatencyMs.p99.toFixed(0)} ms | ${p.instances} | ` +
        `${p.instanceSecondsPerHour.toFixed(0)} | ${(100 * p.startupsOverSlo).toFixed(0)}% | ${idle(p)} |`,
    ),
    '',
    `"meet a cold start": the request that starts an instance and those arriving while it starts. A longer idle ` +
      `timeout always means fewer cold starts (and more instance-seconds), so the timeouts that meet the SLO are ` +
      `every one from the value in the last column up; a cost-minded setting is that value ("any": the startups ` +
      `themselves meet the SLO).`,
  ];
  return lines.join('\n');
}

export async function planCommand(file: string, opts: PlanOptions, io: CliIo): Promise<number> {
  const input = resolvePlanInput(opts);
  await checkJsonTarget(opts.json, io.cwd);
  const whole = await readResults(path.resolve(io.cwd, file));
  const plans: VariantPlan[] = [];
  const left: string[] = [];
  const used: string[] = [];
  // A file with A/B arms is planned arm by arm (the scenario named "arm/scenario").
  for (const { arm, results } of splitByArm(whole)) {
    for (const { scenario, variant } of groupKeys(results)) {
      const label = imagesKey(arm, scenario);
      const startups = measuredStartupsMs(results.runs, scenario, variant);
      // Without --service-ms: each variant's own service time, measured by --ramp-up starts.
      const service = opts.serviceMs === undefined ? measuredService(results.runs, scenario, variant) : undefined;
      const own: PlanInput = service
        ? {
            ...input,
            serviceMs: service.serviceMs,
            concurrency: opts.concurrency === undefined ? service.concurrency : input.concurrency,
          }
        : input;
      if (startups.length > 0) {
        plans.push(planVariant(label, variant, startups, own));
        used.push(
          service
            ? `${label}/${variant}: service ${service.serviceMs.toFixed(2)} ms per request at concurrency ` +
                `${service.concurrency}, measured (steady ${service.steadyRps.toFixed(0)} req/s, median of ` +
                `${service.starts} --ramp-up ` +
                `start(s)` +
                `${service.first30sShare !== undefined ? `; its first 30 s after launch served ${(100 * service.first30sShare).toFixed(0)}% of 30 s at that rate` : ''})`
            : `${label}/${variant}: service ${input.serviceMs} ms per request at concurrency ${input.concurrency}, ` +
                (opts.serviceMs !== undefined
                  ? 'from --service-ms'
                  : 'the default (no --ramp-up starts in the file to measure it from)'),
        );
      }
      const counts = countStarts(results.runs, scenario, variant);
      if (notOkCount(counts) > 0) left.push(`${label}/${variant}: ${describeStarts(counts)}`);
    }
  }
  if (left.length > 0) {
    io.err(
      `WARNING: starts that were not ok are left out of the plan, which assumes every start (and every restore) ` +
        `succeeds:\n${left.map((l) => `  - ${l}`).join('\n')}\n  a fallback restore is a cold start in production: ` +
        `fix it (instanton-bench diagnose ${file}) before sizing on InstantOn figures`,
    );
  }
  if (plans.length === 0)
    throw new ResultsFileError(
      `${file}: no ok run with a first response to plan from`,
      'plan from a results file with successful runs',
    );
  const text = textOut(opts.json, io);
  text(
    `${formatPlan(
      plans,
      input,
      used.some((u) => u.includes(', measured (')),
    )}\n\nService time used per variant:\n${used.map((u) => `- ${u}`).join('\n')}`,
  );
  await emitJson(
    opts.json,
    {
      kind: 'instanton-bench-plan',
      model: 'poisson-scale-to-zero',
      modelText: MODEL_TEXT,
      input,
      serviceTimes: used,
      plans,
    },
    io,
  );
  return 0;
}

/** `plan`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'plan results/blog.json',
    'plan results/blog.json --arrival-rate 0.2 --slo-ms 500',
    'plan results/blog.json --json -',
  ],
  undefined,
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .argument('<results>', 'results JSON')
    .option('--arrival-rate <r>', `requests per second, Poisson (default ${DEFAULT_ARRIVAL_RATE})`)
    .option('--idle-timeout <s>', `seconds idle before scaling to zero (default ${DEFAULT_IDLE_TIMEOUT_S})`)
    .option('--concurrency <c>', `requests one instance serves at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--service-ms <ms>', `time a request holds an instance (default ${DEFAULT_SERVICE_MS})`)
    .option('--slo-ms <ms>', `p99 added-latency objective (default ${DEFAULT_SLO_MS})`)
    .addOption(jsonOption('every plan figure, the model and the service time used per variant'))
    .action(async (file: string, opts: PlanOptions) => setCode(await planCommand(file, opts, io)));
}
