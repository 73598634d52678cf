import { clocksCheck, entropyCheck } from '../results/hygiene.js';
import { randomBytes } from 'node:crypto';
import { EXIT_INTERRUPTED, WriteError } from '../core/errors.js';
import { startPostgres, type RunningService } from '../services/postgres.js';
import { otherLiveRuns } from '../engine/run-registry.js';
import type { PlannedStart, ResultsFile, RunRecord } from '../results/types.js';
import { writeResults } from '../export/json.js';
import { measureVariantStart, startImageOf } from './variant-start.js';
import { findSuspects } from '../stats/summary.js';
import { overlapDuring } from './guard.js';
import {
  checkImageUnchanged,
  checkServices,
  deadService,
  imageGone,
  serviceDown,
  watchServicesDuring,
} from './dependencies.js';

import { addRound } from './rounds.js';
import type { PlanContext } from './plan-context.js';
import { startSpecOf, withHarnessGap } from './start-spec.js';

export type PlanOutcome =
  { readonly stoppedBy: 'none' | 'fail-fast' } | { readonly stoppedBy: 'signal'; readonly exitCode: number };

function describeRun(r: RunRecord): string {
  const m = r.metrics;
  const parts = [`${r.status}`];
  if (r.restore) parts.push(r.restore.verified ? 'restore verified' : `NOT restored (${r.restore.failure})`);
  if (r.restore?.appLifecycle) parts.push("Spring's lifecycle restarted");
  if (r.aotCache)
    parts.push(
      r.aotCache.verified
        ? `AOT cache verified (${r.aotCache.classesFromCache ?? '?'} classes from it)`
        : 'NOT run with the AOT cache',
    );
  if (m.readyMs !== undefined) parts.push(`ready ${m.readyMs.toFixed(0)} ms`);
  if (m.firstResponseMs !== undefined) parts.push(`first response ${m.firstResponseMs.toFixed(0)} ms`);
  if (m.rssAfterFirstResponseKb !== undefined) parts.push(`RSS ${(m.rssAfterFirstResponseKb / 1024).toFixed(0)} MiB`);
  if (r.rampUp)
    parts.push(
      `ramp-up ${r.rampUp.requests} responses, peak ${m.rampPeakRps ?? '?'}/s, ${r.rampUp.errors} ` +
        `error(s)` +
        `${r.rampUp.firstError ? ` (the first: ${firstErrorText(r.rampUp.firstError)})` : ''}` +
        `${m.rssUnderLoadKb !== undefined ? `, RSS under load ${(m.rssUnderLoadKb / 1024).toFixed(0)} MiB` : ''}`,
    );
  if (r.cpus.observed !== undefined)
    parts.push(`cpus ${r.cpus.observed}${r.cpus.matches ? '' : ' (NOT as requested!)'}`);
  if (r.error) parts.push(r.error);
  return parts.join(', ');
}

/** The first wrong response under load, in a few words: its request, what was wrong, how its body begins. */
function firstErrorText(e: NonNullable<NonNullable<RunRecord['rampUp']>['firstError']>): string {
  const detail = (e.detail ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
  const what =
    e.kind === 'transport' ? 'transport error' : e.kind === 'status' ? `status ${e.status}` : 'unexpected body';
  return `${e.request}: ${what}${detail ? `: ${JSON.stringify(detail)}` : ''}`;
}

/** What the restores showed of each checkpoint: the entropy probe's answers compared, their clocks (checkpoints[].hygiene). */
function judgeRestoreHygiene(results: ResultsFile, scenariosByArm: PlanContext['scenariosByArm']): void {
  for (const c of results.checkpoints) {
    if (!c.hygiene) continue;
    const scenario = scenariosByArm.get(c.arm)?.find((s) => s.name === c.scenario);
    c.hygiene = {
      ...c.hygiene,
      entropy: entropyCheck(results, c, scenario?.probes.entropy?.path),
      clocks: clocksCheck(results, c),
    };
  }
}

/** Measure every remaining start against the engine, writing the results file after each. */
export async function measurePlan(ctx: PlanContext): Promise<PlanOutcome> {
  const { results, io, session, stop } = ctx;
  results.state = 'running';
  for (const w of results.warnings) io.err(`warning: ${w}`);
  await writeResults(session.out, results);
  const sessionId = randomBytes(3).toString('hex');
  const services = await startServices(ctx, sessionId);
  let failedFast = false;
  /** Wall clock at the end of the previous start (its first response or failure). */
  let previousEnd: number | undefined;
  try {
    results.services.push(...services.map((s) => ({ name: s.name, alias: s.alias, cpus: s.cpus ?? '' })));
    for (
      let next = 0;
      next < ctx.remaining.length || (!stop.signal.aborted && !failedFast && addRound(ctx));
      next += 1
    ) {
      if (stop.signal.aborted || failedFast) break;
      await checkServices(services);
      const watch = watchServicesDuring(services, stop.signal);
      let record: RunRecord | undefined;
      try {
        record = await measureOne(
          ctx,
          ctx.remaining[next] as PlannedStart,
          sessionId,
          previousEnd,
          services,
          watch.signal,
        );
      } finally {
        watch.dispose();
      }
      if (record === undefined) continue;
      previousEnd = Date.parse(record.launchedAt) + (record.harness?.endedMs ?? 0);
      if (session.failFast && record.status !== 'ok') {
        failedFast = true;
        io.err(
          `run: stopping at the first failure (--fail-fast); resume with: instanton-bench run --resume ${session.out}`,
        );
      }
    }
    results.state = failedFast || stop.signal.aborted ? 'interrupted' : 'complete';
    // A resumed run holds the warnings of its first part: add only new ones.
    for (const s of findSuspects(results.runs)) if (!results.warnings.includes(s)) results.warnings.push(s);
    judgeRestoreHygiene(results, ctx.scenariosByArm);
    await writeResults(session.out, results);
  } catch (error) {
    // Stopped by a dead dependency or an engine error: the file says so (a failed write cannot).
    if (!(error instanceof WriteError)) {
      results.state = 'interrupted';
      await writeResults(session.out, results).catch(() => undefined);
    }
    throw error;
  } finally {
    for (const s of services) await s.stop();
  }
  if (stop.signal.aborted) return { stoppedBy: 'signal', exitCode: stop.exitCode() ?? EXIT_INTERRUPTED };
  return { stoppedBy: failedFast ? 'fail-fast' : 'none' };
}

/** The scenarios' databases, pinned to the harness CPUs, for the whole run. */
async function startServices(ctx: PlanContext, sessionId: string): Promise<RunningService[]> {
  const services: RunningService[] = [];
  const [firstArm] = ctx.scenariosByArm.keys();
  // Services (a database) serve every arm: started once, from the first arm's images.
  for (const scenario of ctx.scenariosByArm.get(firstArm) ?? []) {
    const img = ctx.images.get(firstArm)?.get(scenario.name);
    for (const svc of scenario.services) {
      if (!img?.services || ctx.stop.signal.aborted) continue;
      ctx.io.err(
        `run: starting ${svc.kind} for ${scenario.name} (alias ${svc.alias}) on CPU ${ctx.results.config.harnessCpus}`,
      );
      services.push(
        await startPostgres(ctx.engine, svc, {
          image: img.services.postgresImage,
          network: img.services.network,
          session: sessionId,
          scenario: scenario.name,
          cpus: ctx.results.config.harnessCpus,
        }),
      );
    }
  }
  return services;
}

/** One planned start: measured, checked for foreign load, recorded; undefined when cut short by a signal. */
async function measureOne(
  ctx: PlanContext,
  planned: PlannedStart,
  sessionId: string,
  previousEnd: number | undefined,
  services: readonly RunningService[],
  abort: AbortSignal,
): Promise<RunRecord | undefined> {
  const { results, engine, session, stop } = ctx;
  const config = results.config;
  const armKey = planned.arm;
  const scenario = ctx.scenariosByArm.get(armKey)?.find((s) => s.name === planned.scenario);
  const img = ctx.images.get(armKey)?.get(planned.scenario);
  if (!scenario || !img) return undefined;
  const what =
    `${planned.arm !== undefined ? `[${planned.arm}] ` : ''}${planned.scenario} ${planned.variant} ` +
    `${planned.warmup ? 'warmup' : 'run'} ${planned.iteration}`;
  const label = `[${config.order.indexOf(planned) + 1}/${config.order.length}] ${what}`;
  ctx.io.err(`${label} ...`);
  const base = startSpecOf(ctx, planned, { scenario, img, sessionId, abort });
  const foreignBefore = await ctx.world.host.foreignContainers(new Set(engine.ownContainers()));
  // Other runs are sampled when the start begins and when it ends: one that came during the start is named either way.
  const runsBefore = await otherLiveRuns(ctx.registration.dir, ctx.registration.entry.owner);
  const armColdState = config.arms?.find((a) => a.name === planned.arm)?.coldState;
  const image = startImageOf(planned.variant, img, planned.scenario);
  await checkImageUnchanged(engine, image, ctx.imageIds);
  const measured = await measureVariantStart(
    engine,
    { ...base, image },
    {
      config,
      clean: (armColdState ?? config.coldState) === 'clean',
      onStep: (t) => ctx.io.err(`${label}: ${t}`),
    },
  );
  const record = withHarnessGap(measured, previousEnd, planned.arm);
  if (stop.signal.aborted) return undefined; // a start cut short by a signal is not data
  if (record.status !== 'ok') await refuseOthersFailure(ctx, record, label, services);
  results.runs.push(record);
  const overlap = await overlapDuring(what, ctx.registration, engine, ctx.world.host, foreignBefore, runsBefore);
  if (overlap !== undefined) {
    results.warnings.push(overlap);
    ctx.io.err(`warning: ${overlap}`);
  }
  try {
    await writeResults(session.out, results);
  } catch (error) {
    ctx.io.err(`${label}: ${describeRun(record)}`);
    if (error instanceof WriteError && error.file !== session.out) throw error; // the JSON has it; only its CSV failed
    // Nothing measured is lost: the start is printed whole, the file keeps the starts before it.
    ctx.io.err(`run: this start is not in ${session.out} (the write failed); its record: ${JSON.stringify(record)}`);
    ctx.io.err(
      `run: ${session.out} holds every start before it; once there is space: instanton-bench run --resume ` +
        `${session.out}`,
    );
    throw error;
  }
  ctx.io.err(`${label}: ${describeRun(record)}`);
  return record;
}

/** A start that failed for a reason not the server's (its image gone, a service down) is not recorded: thrown. */
async function refuseOthersFailure(
  ctx: PlanContext,
  record: RunRecord,
  label: string,
  services: readonly RunningService[],
): Promise<void> {
  // Its image removed meanwhile (podman runs with --pull=never): not the server's failure.
  if (!(await ctx.engine.imageExists(record.image))) {
    ctx.io.err(`${label}: ${describeRun(record)} (not recorded: its image is gone)`);
    throw imageGone(record.image);
  }
  // A failed start with a dead dependency is not the server's failure: not recorded, shown.
  const problem = await deadService(services);
  if (problem !== undefined) {
    ctx.io.err(`${label}: ${describeRun(record)} (not recorded: a service it depends on was down)`);
    throw serviceDown(problem);
  }
}
