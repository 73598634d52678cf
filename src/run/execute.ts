import { inspectCheckpoints } from '../hygiene/inspect.js';
import { RESTORE_CAPABILITIES } from '../engine/capabilities.js';
import type { ArmName } from '../results/keys.js';
import { formatCpuList, planCpus } from '../core/cpu-list.js';
import { EXIT_INTERRUPTED } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import { register, registryDir, type Registration } from '../engine/run-registry.js';
import { lockResults, type ResultsLock } from '../results/lock.js';
import type { ResultsFile, RunConfig, RunSettings } from '../results/types.js';
import { loadScenarios } from '../scenario/load.js';
import { needsAotCache, checkpointPhasesOf } from '../scenario/variants.js';
import { resumeSession, settingsOf, type RunSession } from './config.js';
import type { RunInput } from './run-input.js';
import { guardRunStart, watchStop } from './guard.js';
import { measurePlan, type PlanOutcome } from './measure-loop.js';
import { initResults, type ArmImages } from './results-init.js';
import { describeArm } from '../results/split-arms.js';
import { libertyRelease, localLiberty } from '../images/liberty/liberty-dist.js';
import type { ScenarioImages } from '../images/stack.js';
import type { Engine } from '../engine/engine.js';
import { type Scenario } from '../scenario/types.js';
import { loadResume } from './resume.js';
import { planStarts, shardConfig, shardRounds } from './schedule.js';
import { checkPlanImages } from '../images/transfer/transfer.js';
import type { RunWorld } from './world.js';
import { storeResults } from '../store/store-results.js';
import { checkScenariosForRun, resolveRunInput, type ArmKinds } from './resolve.js';
import { roundsForHolmFloor } from '../stats/paired.js';
import { writeResults } from '../export/json.js';
import { DEFAULT_COMPARE_METRICS, SIGNIFICANCE_ALPHA } from '../stats/compare.js';
import { report, measurableVariants, probeSpeed, probeSpeedAfter, sharingWarnings } from './run-report.js';

/**
 * `run`, start to end: check the input, take the machine (registry) and the results file
 * (lock), build what is missing, measure the plan, print the summary. `given` names the
 * options the user typed (not defaults), so that --resume can refuse the ones it would ignore.
 * Returns the exit code.
 */
export async function executeRun(
  input: RunInput,
  given: readonly string[],
  io: CliIo,
  world: RunWorld,
): Promise<number> {
  // Bad input first, all of it: nothing is taken, built or started until the plan is checked.
  const { resumeFile, fresh, freshScenarios, freshKinds } = await resolveRunInput(input, given, io, world);
  const registration = await register(registryDir(io.env), 'run');
  let lock: ResultsLock | undefined;
  try {
    // Either a resume file or a fresh run's settings: one of the two is always there.
    lock = await lockResults(resumeFile ?? (fresh?.session.out as string), registration.entry.owner);
    const resume = resumeFile !== undefined ? await loadResume(resumeFile) : undefined;
    const { settings, session } = resume
      ? {
          settings: settingsOf(resume.results.config),
          session: resumeSession(resume.file, input, resume.results.config.serverCpus, io.cwd),
        }
      : (fresh as { settings: RunSettings; session: RunSession });
    if (resume)
      io.err(
        `run: resuming ${session.out}: ${resume.results.runs.length} start(s) done, ${resume.remaining.length} to go ` +
          `(seed ${settings.seed})`,
      );
    for (const w of session.variantWarnings) io.err(`warning: ${w}`);
    if (!resume) for (const w of roundsFloorWarnings(settings)) io.err(`warning: ${w}`);
    for (const [arm, variants] of Object.entries(settings.notApplicable ?? {}))
      io.err(
        `run: arm ${arm}: ${variants.join(', ')} not applicable (a plain JVM takes no checkpoint): measured on the ` +
          `other arms only`,
      );
    // A resume's scenarios are its stored plan's, loaded and checked once its results file is read.
    const scenarios = freshScenarios ?? (await loadScenarios(settings.scenarioRefs, io.cwd));
    const kinds = freshKinds ?? checkScenariosForRun(scenarios, settings, await world.host.cpu());
    return await prepareAndMeasure({ settings, session, resume, scenarios, kinds, registration, io, world });
  } finally {
    await lock?.release();
    await registration.release();
  }
}

interface Prepared {
  readonly settings: RunSettings;
  readonly session: RunSession;
  readonly resume: Awaited<ReturnType<typeof loadResume>> | undefined;
  /** The plan's scenarios, loaded and checked against the settings. */
  readonly scenarios: readonly Scenario[];
  /** Each arm's scenarios with their kinds, decided by the checks. */
  readonly kinds: ArmKinds;
  readonly registration: Registration;
  readonly io: CliIo;
  readonly world: RunWorld;
}

async function prepareAndMeasure(p: Prepared): Promise<number> {
  const { session, resume, scenarios, kinds, registration, io, world } = p;
  let settings = p.settings;
  const cpuPlan = planCpus(await world.host.onlineCpus(), session.serverCpus);
  const [serverCpus, harnessCpus] = [formatCpuList(cpuPlan.server), formatCpuList(cpuPlan.harness)];
  await registration.update({ out: session.out, serverCpus });
  const engine = await world.makeEngine(registration.entry.owner);
  // From here on a signal stops the run cleanly (the build has its own guard as well).
  const stop = watchStop(engine, io);
  try {
    const startWarnings = await guardRunStart(engine, registration, io, session.allowConcurrent);
    const phases = checkpointPhasesOf(settings.variants);
    const { images, scenariosByArm } = await buildArms(engine, kinds, settings, session, world, io, harnessCpus);
    if (session.imagesManifest !== undefined) await checkManifest(engine, images, session.imagesManifest, io);
    if (!resume) settings = { ...settings, variants: measurableVariants(images, settings.variants, io) };
    const pinned = cpuPlan.harness.some((c) => !cpuPlan.server.includes(c))
      ? await world.host.pinHarness(harnessCpus)
      : false;
    io.err(
      `run: server on CPU ${serverCpus} (${settings.pin}), harness on CPU ` +
        `${harnessCpus}${pinned ? '' : ' (not pinned: no spare CPU)'}`,
    );
    const leastPrivilege = `with the least privilege (${RESTORE_CAPABILITIES.length} capabilities)`;
    if (phases.length > 0)
      io.err(
        `run: restores ${settings.restoreMode === 'privileged' ? 'with --privileged' : leastPrivilege}` +
          `${settings.strict ? ', recovery disabled (--strict)' : ''}`,
      );
    const config: RunConfig = resume ? resume.results.config : planOf(settings, scenarios, serverCpus, harnessCpus);
    const planned = resume ? config : shardConfig(config);
    if (!resume && planned.shard)
      io.err(
        `run: shard ${planned.shard.index}/${planned.shard.count} of plan ${planned.shard.planId}: rounds ` +
          `${shardRounds(planned).join(', ')} of ${planned.shard.rounds} (merge the shards' files with instanton-bench merge)`,
      );
    if (!resume && !session.hostSpeed) io.err('run: host speed not measured (--no-host-speed)');
    const speed = resume || !session.hostSpeed ? undefined : await probeSpeed(world, serverCpus, io);
    const results: ResultsFile = resume
      ? { ...resume.results, config: { ...config, order: [...config.order] } }
      : await initResults(engine, planned, images, session.variantWarnings, speed);
    // What each checkpoint carries (secrets), once, before the first start; a resume keeps what the run found.
    if (!resume)
      await inspectCheckpoints(engine, results.checkpoints, scenariosByArm, io.env, (l) => io.err(`run: ${l}`));
    for (const w of [...startWarnings, ...sharingWarnings(cpuPlan, serverCpus, harnessCpus)])
      if (!results.warnings.includes(w)) results.warnings.push(w);
    const outcome = await measurePlan({
      results,
      remaining: resume ? resume.remaining : [...planned.order],
      scenariosByArm,
      images,
      engine,
      io,
      world,
      session,
      stop,
      registration,
      imageIds: new Map(),
    });
    const finished = outcome.stoppedBy === 'signal' ? results : await withSpeedAfter(results, world, session, io);
    const code = report(outcome, finished, session, io);
    return session.store === undefined ? code : await addToStore(session.store, outcome, finished, session, io, code);
  } catch (error) {
    // A signal during set-up (images, fingerprints) can make an engine call fail: the stop wins.
    if (!stop.signal.aborted) throw error;
    io.err('run: stopped before the first start was measured');
    return stop.exitCode() ?? EXIT_INTERRUPTED;
  } finally {
    stop.dispose();
  }
}

/** run --images: every image the plan measures must be in the manifest, with its ID. */
async function checkManifest(engine: Engine, images: ArmImages, manifest: string, io: CliIo): Promise<void> {
  const tags = [...images.values()].flatMap((byScenario) =>
    [...byScenario.values()].flatMap((img) => [
      img.appImage,
      ...Object.values(img.checkpoints).map((c) => c.tag),
      ...(img.aotCache ? [img.aotCache.tag] : []),
    ]),
  );
  const n = await checkPlanImages(engine, [...new Set(tags)], manifest);
  io.err(`run: all ${n} image(s) are the plan's (${manifest})`);
}

/** A fresh run's configuration: its settings, CPUs and the seeded order of its starts. */
function planOf(
  settings: RunSettings,
  scenarios: readonly Scenario[],
  serverCpus: string,
  harnessCpus: string,
): RunConfig {
  return {
    ...settings,
    scenarios: scenarios.map((s) => s.name),
    serverCpus,
    harnessCpus,
    order: planStarts(
      scenarios.map((s) => s.name),
      settings.variants,
      settings.runs,
      settings.warmup,
      settings.seed,
      armNames(settings),
      settings.notApplicable,
    ),
  };
}

/**
 * Build (or find) every arm's images: the scenarios as each arm changes them, with its Liberty
 * and JDK. A run without arms is one arm named ''.
 */
async function buildArms(
  engine: Engine,
  kinds: ArmKinds,
  settings: RunSettings,
  session: RunSession,
  world: RunWorld,
  io: CliIo,
  harnessCpus: string,
): Promise<{ images: ArmImages; scenariosByArm: ReadonlyMap<ArmName, readonly Scenario[]> }> {
  const images = new Map<ArmName, ReadonlyMap<string, ScenarioImages>>();
  const scenariosByArm = new Map<ArmName, readonly Scenario[]>();
  // Arms that build the same scenarios the same way (an A/A pair, a reference beside a build that differs only in its
  // start's limits) share one build: the images are the same, and each check of the cache costs podman calls.
  const builtFor = new Map<string, ReadonlyMap<string, ScenarioImages>>();
  for (const arm of settings.arms ?? [undefined]) {
    const armKinds = kinds.get(arm?.name) ?? [];
    const armScenarios = armKinds.map((k) => k.scenario);
    if (arm) io.err(`run: arm ${describeArm(arm)}`);
    const dist =
      arm?.liberty !== undefined
        ? await libertyRelease(arm.liberty)
        : arm?.libertyZip !== undefined
          ? await localLiberty(arm.libertyZip)
          : undefined;
    const buildOpts = {
      verbose: session.verbose,
      phases: checkpointPhasesOf(settings.variants),
      aotCache: needsAotCache(settings.variants),
      checkpointFromAot: arm?.checkpointFrom === 'aot-cache',
      ...(arm?.cpuBaseline ? { cpuBaseline: arm.cpuBaseline } : {}),
      serviceCpus: harnessCpus,
      checkpointFlow: settings.checkpointFlow,
      profile: settings.profile,
      ...(settings.imageBase ? { imageBase: settings.imageBase } : {}),
      ...(settings.baseCriu ? { baseCriu: settings.baseCriu } : {}),
      ...(dist ? { dist } : {}),
      ...(arm?.jdk !== undefined ? { jdk: arm.jdk } : {}),
      command: 'run' as const,
    };
    const key = JSON.stringify({ scenarios: armScenarios, buildOpts });
    const built = builtFor.get(key) ?? (await world.buildImages(engine, armKinds, io, buildOpts));
    builtFor.set(key, built);
    images.set(arm?.name, built);
    scenariosByArm.set(arm?.name, armScenarios);
  }
  return { images, scenariosByArm };
}

const armNames = (settings: RunSettings): string[] => (settings.arms ?? []).map((a) => a.name);

/** run --store: the finished run added to the store (a run that did not finish is not: resume it first). */
async function addToStore(
  store: string,
  outcome: PlanOutcome,
  results: ResultsFile,
  session: RunSession,
  io: CliIo,
  code: number,
): Promise<number> {
  if (outcome.stoppedBy !== 'none') {
    io.err(`run: not added to the store: the run did not finish (resume it with --store to add it)`);
    return code;
  }
  await storeResults(store, [{ results, file: session.out }], (l) => io.err(`run: ${l}`), 'run');
  return code;
}

/**
 * A paired run whose rounds cannot reach a verdict for its gate's comparisons (the arms against the baseline, each
 * scenario, variant and default gate metric): said before the first start, with the rounds that would.
 */
export function roundsFloorWarnings(settings: RunSettings): string[] {
  const arms = settings.arms?.length ?? 0;
  // A sequential run has its own minimum; restores in a guest are not timed comparably (no gate reads them).
  if (arms < 2 || settings.sequential !== undefined || settings.restoreOn !== undefined) return [];
  // Each arm against the baseline in the variants both measure (a plain JVM arm has no checkpoint phase).
  const na = settings.notApplicable ?? {};
  const base = settings.arms?.[0]?.name ?? '';
  const paired = (settings.arms ?? [])
    .slice(1)
    .map((a) => settings.variants.filter((v) => !na[a.name]?.includes(v) && !na[base]?.includes(v)).length)
    .reduce((x, y) => x + y, 0);
  const comparisons = paired * settings.scenarioRefs.length * DEFAULT_COMPARE_METRICS.length;
  if (comparisons === 0) return [];
  const needed = roundsForHolmFloor(comparisons, SIGNIFICANCE_ALPHA);
  if (settings.runs >= needed) return [];
  const floor = 2 / 2 ** settings.runs;
  return [
    `--runs ${settings.runs}: ${settings.runs} paired rounds cannot reach a verdict for the gate's ${comparisons} ` +
      `comparison(s) (${DEFAULT_COMPARE_METRICS.join(', ')}): the signed-rank test's smallest p at ${settings.runs} ` +
      `rounds is ${floor.toPrecision(2)}, times ${comparisons} under Holm ${Math.min(1, floor * comparisons).toPrecision(2)} > ` +
      `${SIGNIFICANCE_ALPHA}; ${needed - settings.runs} round(s) short: pass --runs ${needed} or more, or --sequential`,
  ];
}

/** The results with the host speed probed again after the last start (and its warning when the host moved), written. */
async function withSpeedAfter(
  results: ResultsFile,
  world: RunWorld,
  session: RunSession,
  io: CliIo,
): Promise<ResultsFile> {
  const { after, warning } = await probeSpeedAfter(world, results, io);
  if (!after) return results;
  const updated: ResultsFile = {
    ...results,
    environment: { ...results.environment, hostSpeedAfter: after },
    warnings: warning ? [...results.warnings, warning] : results.warnings,
  };
  await writeResults(session.out, updated);
  return updated;
}
