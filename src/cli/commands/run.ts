import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import type { Engine } from '../../engine/engine.js';
import { formatCpuList, onlineCpus, planCpus } from '../../core/cpu-list.js';
import { measureInstantOnStart } from '../../measure/instanton-start.js';
import { measureStart } from '../../measure/one-start.js';
import { planStarts, type PlannedStart } from '../../run/schedule.js';
import { analyze } from '../../stats/analyze.js';
import { initResults } from '../../run/results-init.js';
import type { RunRecord } from '../../results/types.js';
import { csvPathFor, writeResults } from '../../results/write.js';
import { formatSummaryTable } from '../../report/summary-table.js';
import { isCheckpointPhase } from '../../scenario/variants.js';
import { findSuspects } from '../../stats/summary.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { resolveRunOptions, type RunOptions, type RunOptionsInput } from '../../run/options.js';
import { loadResume } from '../../run/resume.js';
import { diagnoseRuns, formatCases } from '../../diagnose/cases.js';
import path from 'node:path';
import { buildAll, loadScenarios, makePodman } from './build.js';
import { register, registryDir } from '../../engine/run-registry.js';
import { lockResults, type ResultsLock } from '../../results/lock.js';
import { checkOutputFile } from '../output-paths.js';
import { guardRunStart, overlapDuring, watchStop } from '../../run/guard.js';
import { foreignContainers } from '../../measure/foreign-load.js';
import { startPostgres, type RunningService } from '../../engine/postgres.js';

export const TIMEOUT_COLD_FACTOR = 4;
export const MIN_SIZED_TIMEOUT_MS = 30_000;

/**
 * A start's timeout: the scenario's (180 s by default) until a cold start of the scenario has
 * been measured, then TIMEOUT_COLD_FACTOR times the slowest cold start so far (at least
 * MIN_SIZED_TIMEOUT_MS, at most the scenario's), so a hung start costs little.
 */
export function sizedTimeoutMs(runs: readonly RunRecord[], scenario: string, scenarioTimeoutMs: number): number {
  const cold = runs
    .filter((r) => r.scenario === scenario && r.variant === 'cold' && r.status === 'ok')
    .map((r) => r.metrics.firstResponseMs ?? r.metrics.readyMs)
    .filter((v): v is number => typeof v === 'number');
  if (cold.length === 0) return scenarioTimeoutMs;
  return Math.min(scenarioTimeoutMs, Math.max(MIN_SIZED_TIMEOUT_MS, Math.round(TIMEOUT_COLD_FACTOR * Math.max(...cold))));
}

/** Keep the harness off the server's CPUs (all threads of this process). */
async function pinHarness(cpus: string): Promise<boolean> {
  const r = await execa('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { reject: false, timeout: 10_000 });
  return r.exitCode === 0;
}

function describeRun(r: RunRecord): string {
  const m = r.metrics;
  const parts = [`${r.status}`];
  if (r.restore) parts.push(r.restore.verified ? 'restore verified' : `NOT restored (${r.restore.failure})`);
  if (m.readyMs !== undefined) parts.push(`ready ${m.readyMs.toFixed(0)} ms`);
  if (m.firstResponseMs !== undefined) parts.push(`first response ${m.firstResponseMs.toFixed(0)} ms`);
  if (m.rssAfterFirstResponseKb !== undefined) parts.push(`RSS ${(m.rssAfterFirstResponseKb / 1024).toFixed(0)} MiB`);
  if (r.cpus.observed !== undefined) parts.push(`cpus ${r.cpus.observed}${r.cpus.matches ? '' : ' (NOT as requested!)'}`);
  if (r.error) parts.push(r.error);
  return parts.join(', ');
}

/** Options that may go with --resume: they do not shape the measurement. */
export const RESUME_COMPATIBLE_OPTIONS = ['resume', 'verbose', 'failFast', 'allowConcurrent'] as const;

const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * `run`: measure the plan. `given` names the options the user typed (not defaults), so that
 * --resume can refuse the ones it would ignore.
 */
export async function runCommand(rawInput: RunOptionsInput, io: CliIo, given: readonly string[] = Object.keys(rawInput)): Promise<number> {
  if (rawInput.resume !== undefined) {
    const ignored = given.filter((k) => !(RESUME_COMPATIBLE_OPTIONS as readonly string[]).includes(k));
    if (ignored.length > 0) {
      throw new UsageError(
        `--resume takes the plan from the results file; it would ignore ${ignored.map(flagName).join(', ')}`,
        `drop ${ignored.map(flagName).join(', ')} (with --resume only --verbose, --fail-fast and --allow-concurrent apply), or start a new run with --out another.json`,
      );
    }
  }
  const resumeFile = rawInput.resume !== undefined ? path.resolve(io.cwd, rawInput.resume) : undefined;
  // Bad input first: the plan, the CPUs and the results file, before building anything.
  const firstOptions = resumeFile === undefined ? resolveRunOptions(rawInput, io.cwd, new Date()) : undefined;
  if (firstOptions) {
    await checkOutputFile('--out', firstOptions.out);
    planCpus(await onlineCpus(), firstOptions.serverCpus);
  }
  const registration = await register(registryDir(io.env), 'run');
  let lock: ResultsLock | undefined;
  try {
    lock = await lockResults(resumeFile ?? (firstOptions as RunOptions).out, registration.entry.owner);
    return await measureRun(rawInput, io, registration, resumeFile, firstOptions);
  } finally {
    await lock?.release();
    await registration.release();
  }
}

async function measureRun(rawInput: RunOptionsInput, io: CliIo, registration: Awaited<ReturnType<typeof register>>, resumeFile: string | undefined, fresh: RunOptions | undefined): Promise<number> {
  const resume = resumeFile !== undefined ? await loadResume(resumeFile, io.cwd) : undefined;
  const input: RunOptionsInput = resume ? { ...resume.input, verbose: rawInput.verbose ?? false, failFast: rawInput.failFast ?? false } : rawInput;
  const options = fresh ?? resolveRunOptions(input, io.cwd, new Date());
  if (resume) io.err(`run: resuming ${options.out}: ${resume.results.runs.length} start(s) done, ${resume.remaining.length} to go (seed ${options.seed})`);
  for (const w of options.variantWarnings) io.err(`warning: ${w}`);
  const cpuPlan = planCpus(await onlineCpus(), options.serverCpus);
  await registration.update({ out: options.out, serverCpus: formatCpuList(cpuPlan.server) });
  const podman: Engine = await makePodman(registration.entry.owner);
  // From here on a signal stops the run cleanly (the build has its own guard as well).
  const stop = watchStop(podman, io);
  try {
    return await measurePlan({ rawInput, io, registration, resume, options, podman, stop, cpuPlan });
  } catch (error) {
    // A signal during set-up (images, fingerprints) can make an engine call fail: the stop wins.
    if (!stop.signal.aborted) throw error;
    io.err('run: stopped before the first start was measured');
    return stop.exitCode() ?? EXIT_INTERRUPTED;
  } finally {
    stop.dispose();
  }
}

interface PlanContext {
  readonly rawInput: RunOptionsInput;
  readonly io: CliIo;
  readonly registration: Awaited<ReturnType<typeof register>>;
  readonly resume: Awaited<ReturnType<typeof loadResume>> | undefined;
  readonly options: RunOptions;
  readonly podman: Engine;
  readonly stop: ReturnType<typeof watchStop>;
  readonly cpuPlan: ReturnType<typeof planCpus>;
}

async function measurePlan(ctx: PlanContext): Promise<number> {
  const { rawInput, io, registration, resume, options, podman, stop, cpuPlan } = ctx;
  const serverCpus = formatCpuList(cpuPlan.server);
  const harnessCpus = formatCpuList(cpuPlan.harness);
  const scenarios = await loadScenarios(options.scenarios, io.cwd);
  const regDir = registryDir(io.env);
  const startWarnings = await guardRunStart(podman, regDir, registration, io, rawInput.allowConcurrent ?? false);
  const phases = options.variants.filter(isCheckpointPhase);

  const images = await buildAll(podman, scenarios, io, options.verbose, phases, harnessCpus, options.checkpointFlow, options.baseCriu, 'run');
  const pinned = cpuPlan.harness.some((c) => !cpuPlan.server.includes(c)) ? await pinHarness(harnessCpus) : false;
  io.err(`run: server on CPU ${serverCpus} (${options.pin}), harness on CPU ${harnessCpus}${pinned ? '' : ' (not pinned: no spare CPU)'}`);
  if (phases.length > 0) io.err(`run: restores ${options.privileged ? 'with --privileged' : 'with the least privilege (5 capabilities)'}${options.strict ? ', recovery disabled (--strict)' : ''}`);

  const order: PlannedStart[] = resume ? [...resume.results.config.order] : planStarts(scenarios.map((s) => s.name), options.variants, options.runs, options.warmup, options.seed);
  const results = resume ? { ...resume.results, config: { ...resume.results.config, order } } : await initResults(podman, options, images, order, { server: serverCpus, harness: harnessCpus });
  results.state = 'running';
  const shared = cpuPlan.harness.filter((c) => cpuPlan.server.includes(c));
  const runWarnings = [
    ...startWarnings,
    ...(shared.length > 0 ? [`the server CPUs ${serverCpus} are shared with the harness (CPU ${harnessCpus}): the harness's own work lands in the timings; leave at least one CPU out of --server-cpus`] : []),
  ];
  for (const w of runWarnings) if (!results.warnings.includes(w)) results.warnings.push(w);
  const todo = resume ? resume.remaining : [...order];
  for (const w of results.warnings) io.err(`warning: ${w}`);
  await writeResults(options.out, results);
  const sessionId = randomBytes(3).toString('hex');

  /** --target-ci: add a round while some variant's median is not yet known to within PCT. */
  let rounds = options.runs;
  const addRound = (): boolean => {
    if (options.targetCiPct === undefined || rounds >= options.maxRuns) return false;
    const wide = analyze(results)
      .groups.filter((g) => {
        const d = g.metrics.readyMs;
        return !d || ((d.medianCi.high - d.medianCi.low) / 2 / d.median) * 100 > (options.targetCiPct as number);
      })
      .map((g) => `${g.scenario}/${g.variant}`);
    if (wide.length === 0) {
      io.err(`run: every variant's median is within ±${options.targetCiPct}% (95% interval) after ${rounds} runs`);
      return false;
    }
    rounds += 1;
    const round = planStarts(scenarios.map((sc) => sc.name), options.variants, 1, 0, options.seed + rounds).map((p) => ({ ...p, iteration: rounds }));
    todo.push(...round);
    (order as PlannedStart[]).push(...round);
    io.err(`run: interval still wider than ±${options.targetCiPct}% for ${wide.join(', ')}: adding run ${rounds} of at most ${options.maxRuns}`);
    return true;
  };
  const services: RunningService[] = [];
  let failedFast = false;
  try {
    for (const scenario of scenarios) {
      const img = images.get(scenario.name);
      for (const svc of scenario.services) {
        if (!img?.services || stop.signal.aborted) continue;
        io.err(`run: starting ${svc.kind} for ${scenario.name} (alias ${svc.alias}) on CPU ${harnessCpus}`);
        services.push(await startPostgres(podman, svc, { image: img.services.postgresImage, network: img.services.network, session: sessionId, scenario: scenario.name, cpus: harnessCpus }));
      }
    }
    results.services.push(...services.map((s) => ({ name: s.name, alias: s.alias, cpus: s.cpus ?? '' })));
    for (let next = 0; next < todo.length || (!stop.signal.aborted && !failedFast && addRound()); next += 1) {
      const planned = todo[next] as PlannedStart;
      if (stop.signal.aborted || failedFast) break;
      const index = order.indexOf(planned);
      const scenario = scenarios.find((s) => s.name === planned.scenario);
      const img = images.get(planned.scenario);
      if (!scenario || !img) continue;
      const label = `[${index + 1}/${order.length}] ${planned.scenario} ${planned.variant} ${planned.warmup ? 'warmup' : 'run'} ${planned.iteration}`;
      io.err(`${label} ...`);
      const base = {
        scenario,
        variant: planned.variant,
        iteration: planned.iteration,
        warmup: planned.warmup,
        sessionId,
        pin: options.pin,
        serverCpus,
        readyTimeoutMs: options.readyTimeoutMs ?? sizedTimeoutMs(results.runs, scenario.name, scenario.readyTimeoutMs),
        abort: stop.signal,
        ...(img.services ? { network: img.services.network } : {}),
      };
      const foreignBefore = await foreignContainers(new Set(podman.liveContainers()));
      const checkpoint = isCheckpointPhase(planned.variant) ? img.checkpoints[planned.variant] : undefined;
      const record = checkpoint
        ? await measureInstantOnStart(podman, { ...base, image: checkpoint.tag }, { mode: options.privileged ? 'privileged' : 'least-privilege', strict: options.strict })
        : (await measureStart(podman, { ...base, image: img.appImage })).record;
      if (stop.signal.aborted) break; // a start cut short by Ctrl-C is not data
      results.runs.push(record);
      const overlap = await overlapDuring(`${planned.scenario} ${planned.variant} ${planned.warmup ? 'warmup' : 'run'} ${planned.iteration}`, registryDir(io.env), registration, podman, foreignBefore);
      if (overlap !== undefined) {
        results.warnings.push(overlap);
        io.err(`warning: ${overlap}`);
      }
      await writeResults(options.out, results);
      io.err(`${label}: ${describeRun(record)}`);
      if (options.failFast && record.status !== 'ok') {
        failedFast = true;
        io.err(`run: stopping at the first failure (--fail-fast); resume with: instanton-bench run --resume ${options.out}`);
      }
    }
    const interrupted = failedFast || stop.signal.aborted;
    results.state = interrupted ? 'interrupted' : 'complete';
    // A resumed run holds the warnings of its first part: add only new ones.
    for (const s of findSuspects(results.runs)) if (!results.warnings.includes(s)) results.warnings.push(s);
    await writeResults(options.out, results);
  } finally {
    for (const s of services) await s.stop();
  }
  if (stop.signal.aborted) {
    io.err(`run: stopped after ${results.runs.length} of ${order.length} starts; the results file holds the finished ones.\nresume with: instanton-bench run --resume ${options.out}`);
    return stop.exitCode() ?? EXIT_INTERRUPTED;
  }
  io.out(formatSummaryTable(analyze(results).groups));
  for (const w of results.warnings) io.out(`warning: ${w}`);
  const cases = diagnoseRuns(results.runs);
  if (cases.length > 0) io.out(`\ndiagnosis of the starts that were not ok:\n${formatCases(cases)}`);
  io.out(`results: ${options.out}\ncsv:     ${csvPathFor(options.out)}`);
  if (failedFast) {
    io.err(`run: stopped after ${results.runs.length} of ${order.length} starts; the results file holds the finished ones.\nresume with: instanton-bench run --resume ${options.out}`);
    return results.runs.some((r) => r.status !== 'ok') ? EXIT_FAILURE : EXIT_INTERRUPTED;
  }
  const bad = results.runs.filter((r) => !r.warmup && r.status !== 'ok');
  const unpinned = results.runs.filter((r) => r.cpus.matches === false);
  if (unpinned.length > 0) io.err(`run: warning: ${unpinned.length} start(s) ran on CPUs other than requested (${serverCpus})`);
  return bad.length > 0 ? EXIT_FAILURE : EXIT_OK;
}
