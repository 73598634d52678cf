import { hygieneFindings, hygieneLines } from '../results/hygiene.js';
import { type CpuPlan } from '../core/cpu-list.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import type { ResultsFile } from '../results/types.js';
import { type HostSpeed } from '../hostspeed/types.js';
import { describeHostSpeed, HOST_SPEED_WARN_RATIO } from '../hostspeed/index.js';
import { csvPathFor } from '../export/csv.js';
import { splitByArm } from '../results/split-arms.js';
import { type CheckpointPhase, type Variant } from '../scenario/variants.js';
import { analyze } from '../stats/analyze.js';
import { diagnoseRuns, formatCases } from '../diagnose/cases.js';
import { formatSummaryTable } from '../report/summary-table.js';
import { plainJvmArms } from '../results/split-arms.js';
import { type RunSession } from './config.js';
import { type PlanOutcome } from './measure-loop.js';
import { type ArmImages } from './results-init.js';
import type { ScenarioImages } from '../images/stack.js';
import type { RunWorld } from './world.js';

export function sharingWarnings(cpuPlan: CpuPlan, serverCpus: string, harnessCpus: string): string[] {
  const shared = cpuPlan.harness.filter((c) => cpuPlan.server.includes(c));
  return shared.length > 0
    ? [
        `the server CPUs ${serverCpus} are shared with the harness (CPU ${harnessCpus}): the harness's own work ` +
          `lands in the timings; leave at least one CPU out of --server-cpus`,
      ]
    : [];
}

/** The end of a run: summary table, warnings, diagnosis, where the files are; the exit code. */
export function report(outcome: PlanOutcome, results: ResultsFile, session: RunSession, io: CliIo): number {
  const stopped =
    `run: stopped after ${results.runs.length} of ${results.config.order.length} starts; the results ` +
    `file holds the finished ones.\nresume with: instanton-bench run --resume ${session.out}`;
  if (outcome.stoppedBy === 'signal') {
    io.err(stopped);
    return outcome.exitCode;
  }
  for (const part of splitByArm(results)) {
    if (part.arm !== undefined) io.out(`arm ${part.arm}:`);
    const plain = part.arm !== undefined && plainJvmArms(results).includes(part.arm);
    io.out(formatSummaryTable(analyze(part.results).groups, plain ? "the plain JVM's ready line" : undefined));
  }
  if (results.config.arms) io.out(`compare the arms (paired by round): instanton-bench compare ${session.out}`);
  for (const w of results.warnings) io.out(`warning: ${w}`);
  const cases = diagnoseRuns(results.runs);
  if (cases.length > 0) io.out(`\ndiagnosis of the starts that were not ok:\n${formatCases(cases)}`);
  const hygiene = hygieneLines(results);
  if (hygiene.length > 0) io.out(`\nwhat the checkpoints carry:\n${hygiene.map((l) => `  ${l}`).join('\n')}`);
  io.out(`results: ${session.out}\ncsv:     ${csvPathFor(session.out)}`);
  if (outcome.stoppedBy === 'fail-fast') {
    io.err(stopped);
    return EXIT_FAILURE;
  }
  const unpinned = results.runs.filter((r) => r.cpus.matches === false);
  if (unpinned.length > 0)
    io.err(`run: warning: ${unpinned.length} start(s) ran on CPUs other than requested (${results.config.serverCpus})`);
  const findings = hygieneFindings(results);
  if (session.hygiene === 'fail' && findings.length > 0) {
    for (const f of findings) io.err(`run: hygiene: ${f.checkpoint}: ${f.message}; ${f.remedy}`);
    io.err(
      `run: --hygiene fail: ${findings.length} finding(s) in what the checkpoints carry (instanton-bench diagnose explains them)`,
    );
    return EXIT_FAILURE;
  }
  return results.runs.some((r) => !r.warmup && r.status !== 'ok') ? EXIT_FAILURE : EXIT_OK;
}

/**
 * The variants every scenario's images can give. An image that holds a checkpoint (its Containerfile ran
 * `checkpoint.sh PHASE`) restores whenever it starts: only that phase can be measured from it. The run says so and
 * measures that phase; scenarios that disagree (one such image beside one that is not) are refused.
 */
export function measurableVariants(images: ArmImages, variants: readonly Variant[], io: CliIo): Variant[] {
  const all = [...images.values()].flatMap((m) => [...m.values()]);
  const held = all.filter((img) => img.userImage?.heldCheckpoint !== undefined);
  if (held.length === 0) return [...variants];
  const phases = new Set(held.map((img) => img.userImage?.heldCheckpoint));
  const first = held[0] as ScenarioImages;
  const phase = first.userImage?.heldCheckpoint as CheckpointPhase;
  if (held.length !== all.length || phases.size > 1)
    throw new UsageError(
      `${first.scenario}: its image holds an ${phase} checkpoint (RUN checkpoint.sh ${phase}), so only ${phase} can ` +
        'be measured from it, and the other images of this run give other variants',
      'measure that image in a run of its own, or build it without the RUN checkpoint.sh step',
    );
  if (!variants.includes(phase))
    throw new UsageError(
      `${first.scenario}: its image holds an ${phase} checkpoint (RUN checkpoint.sh ${phase}): --variants ` +
        `${variants.join(',')} asks for what it cannot give`,
      `pass --variants ${phase}`,
    );
  const dropped = variants.filter((v) => v !== phase);
  if (dropped.length > 0)
    io.err(
      `run: ${held.map((h) => h.scenario).join(', ')}: the image holds an ${phase} checkpoint (its Containerfile ` +
        `runs checkpoint.sh ${phase}) and restores whenever it starts: measuring ${phase} only (to measure ` +
        `${dropped.join(' and ')}, build the image without that step)`,
    );
  return [phase];
}

/** The host speed probe on the server's CPUs, before the first start (a run goes on without it). */
export async function probeSpeed(world: RunWorld, serverCpus: string, io: CliIo): Promise<HostSpeed | undefined> {
  const { speed, problem } = await world.host.hostSpeed(serverCpus);
  if (speed) io.err(`run: host speed ${describeHostSpeed(speed)}`);
  else io.err(`run: host speed not measured: ${problem ?? 'no figures'}`);
  return speed;
}

/**
 * The same probe after the last start: a host that moved during the run (a fresh VM warming up, a neighbour that came
 * or went) is said at its end and kept in the results file, since its starts' figures moved with it.
 */
export async function probeSpeedAfter(
  world: RunWorld,
  results: ResultsFile,
  io: CliIo,
): Promise<{ after?: HostSpeed; warning?: string }> {
  const before = results.environment.hostSpeed;
  if (!before) return {};
  const { speed: after } = await world.host.hostSpeed(before.cpus);
  if (!after) return {};
  const ratio = Math.max(after.index / before.index, before.index / after.index);
  if (!(ratio > HOST_SPEED_WARN_RATIO)) return { after };
  const warning =
    `the host moved during the run: host speed index ${before.index} before the first start, ${after.index} after ` +
    `the last (${ratio.toFixed(2)}x, beyond ${HOST_SPEED_WARN_RATIO}x): figures from its start and its end are not ` +
    'comparable one to one; arms of one run are paired by round, and a reference arm (run --reference) carries a ' +
    'trend across such hosts';
  io.err(`run: warning: ${warning}`);
  return { after, warning };
}
