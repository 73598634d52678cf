import type { CliIo } from '../core/io.js';
import type { Engine } from '../engine/engine.js';
import type { CheckpointFlow, CriuSuite } from '../results/types.js';
import type { Scenario } from '../scenario/types.js';
import { CHECKPOINT_PHASES, type CheckpointPhase } from '../scenario/variants.js';
import { guardBuildInterrupt } from './build-interrupt.js';
import { buildScenario, type ScenarioImages } from './build-scenario.js';
import { cacheDir } from './cache.js';
import { lineReporter } from './progress.js';
import { DEFAULT_LIBERTY, ensureLibertyUnpacked, ensureLibertyZip, type LibertyDistribution } from './liberty-dist.js';
import { checkCheckpointFeatures } from './feature-check.js';
import { readFeatureCatalog } from './liberty-features.js';
import { lockBuild } from './build-lock.js';
import { removeDeadLeftovers } from '../engine/leftovers.js';
import { registryDir } from '../engine/run-registry.js';

export interface BuildAllOptions {
  readonly verbose: boolean;
  /** Checkpoint phases to make images for (default: every phase). */
  readonly phases?: readonly CheckpointPhase[];
  /** Also train the JDK's AOT cache image (the aotCache variant). */
  readonly aotCache?: boolean;
  /** Checkpoints from a JVM started with the AOT cache. */
  readonly checkpointFromAot?: boolean;
  /** CPUs for services started during the build (the harness's). */
  readonly serviceCpus?: string;
  readonly checkpointFlow?: CheckpointFlow;
  readonly baseCriu?: CriuSuite;
  /** The command named in the Ctrl-C message (build, run). */
  readonly command?: string;
  /** Another Open Liberty than the pinned default (an arm's liberty= or liberty-zip=). */
  readonly dist?: LibertyDistribution;
  /** Debian's openjdk-N as the default java (an arm's jdk=N). */
  readonly jdk?: number;
  /** Build the app, its image, the checkpoints and the AOT cache again even when cached (not the base and Liberty images). */
  readonly rebuild?: boolean;
}

/** Build (or find in the cache) every image the scenarios need, with progress and Ctrl-C cleanup. */
export async function buildAll(engine: Engine, scenarios: readonly Scenario[], io: CliIo, opts: BuildAllOptions): Promise<Map<string, ScenarioImages>> {
  const reporter = lineReporter(io.err, opts.verbose);
  const built = new Map<string, ScenarioImages>();
  const command = opts.command ?? 'build';
  const unguard = guardBuildInterrupt(engine, io, command);
  // One build at a time: a second one waits, then takes the first one's images from the cache.
  const lock = await lockBuild(cacheDir(io.env), command, (line) => io.err(`${command}: ${line}`));
  try {
    // A killed build's containers (a privileged checkpoint container still running) go first.
    const { removed } = await removeDeadLeftovers(engine, registryDir(io.env), engine.owner);
    if (removed.length > 0) io.err(`${command}: removed ${removed.length} container(s) left by a build or run that is no longer alive: ${removed.join(', ')}`);
    const phases = opts.phases ?? CHECKPOINT_PHASES;
    if (phases.length > 0) {
      // The release's own feature manifests first: a feature InstantOn cannot checkpoint is refused in seconds, before any image.
      const dist = opts.dist ?? DEFAULT_LIBERTY;
      const cache = cacheDir(io.env);
      const libertyDir = await ensureLibertyUnpacked(await ensureLibertyZip(dist, cache, reporter), cache, dist, reporter);
      const catalog = await readFeatureCatalog(libertyDir);
      for (const scenario of scenarios) await checkCheckpointFeatures(scenario, { libertyDir, release: dist.version, phases, reporter, catalog });
    }
    for (const scenario of scenarios) {
      built.set(
        scenario.name,
        await buildScenario(engine, scenario, {
          cache: cacheDir(io.env),
          env: io.env,
          reporter,
          phases,
          aotCache: opts.aotCache ?? false,
          checkpointFromAot: opts.checkpointFromAot ?? false,
          checkpointFlow: opts.checkpointFlow ?? 'run',
          ...(opts.baseCriu ? { baseCriu: opts.baseCriu } : {}),
          ...(opts.dist ? { dist: opts.dist } : {}),
          ...(opts.jdk !== undefined ? { jdk: opts.jdk } : {}),
          ...(opts.serviceCpus !== undefined ? { serviceCpus: opts.serviceCpus } : {}),
          ...(opts.rebuild ? { rebuild: true } : {}),
        }),
      );
    }
  } finally {
    await lock.release();
    unguard();
  }
  return built;
}
