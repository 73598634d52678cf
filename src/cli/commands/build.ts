import { buildScenario, type ScenarioImages } from '../../images/build-scenario.js';
import { cacheDir } from '../../images/cache.js';
import { lineReporter } from '../../images/progress.js';
import { guardBuildInterrupt } from '../../images/build-interrupt.js';
import { readHostLimits, resolveEngineFlags } from '../../engine/host-flags.js';
import { Podman } from '../../engine/podman.js';
import type { Engine } from '../../engine/engine.js';
import { register, registryDir } from '../../engine/run-registry.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/types.js';
import type { CliIo } from '../../core/io.js';
import { parseProfile } from '../../run/options.js';
import { DEFAULT_SCENARIO, parseBaseCriu, parseCheckpointFlow } from '../../run/options.js';
import type { CriuSuite } from '../../images/criu-variant.js';
import type { CheckpointFlow } from '../../images/checkpoint-image.js';
import { semeruCommands, semeruContainerfile } from '../../images/semeru-profile.js';
import { CHECKPOINT_PHASES, type CheckpointPhase } from '../../scenario/variants.js';

/** The engine, its containers labelled with the registry id of this process (owner). */
export async function makePodman(owner?: string): Promise<Podman> {
  return new Podman(resolveEngineFlags(await readHostLimits()), 'podman', owner);
}

export async function loadScenarios(refs: readonly string[], cwd: string): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const ref of refs) out.push(await loadScenario(ref, cwd));
  return out;
}

export async function buildAll(
  podman: Engine,
  scenarios: readonly Scenario[],
  io: CliIo,
  verbose: boolean,
  phases: readonly CheckpointPhase[] = CHECKPOINT_PHASES,
  serviceCpus?: string,
  checkpointFlow: CheckpointFlow = 'run',
  baseCriu?: CriuSuite,
  command = 'build',
): Promise<Map<string, ScenarioImages>> {
  const reporter = lineReporter(io.err, verbose);
  const built = new Map<string, ScenarioImages>();
  const unguard = guardBuildInterrupt(podman, io, command);
  try {
    for (const scenario of scenarios) {
      built.set(scenario.name, await buildScenario(podman, scenario, { cache: cacheDir(io.env), env: io.env, reporter, phases, checkpointFlow, ...(baseCriu ? { baseCriu } : {}), ...(serviceCpus !== undefined ? { serviceCpus } : {}) }));
    }
  } finally {
    unguard();
  }
  return built;
}

export async function buildCommand(opts: { scenario?: string[]; profile?: string; verbose?: boolean; dryRun?: boolean; checkpointFlow?: string; baseCriu?: string }, io: CliIo): Promise<number> {
  if (opts.profile === 'semeru' && opts.dryRun) {
    const scenarios = await loadScenarios(opts.scenario && opts.scenario.length > 0 ? opts.scenario : [DEFAULT_SCENARIO], io.cwd);
    const podman = await makePodman();
    for (const s of scenarios) {
      const tag = `localhost/instanton-bench/semeru-${s.name}:latest`;
      const cmds = semeruCommands(s, podman.flags, tag, `<context of ${s.name}>`);
      io.out(`# ${s.name}: Containerfile\n${semeruContainerfile(s)}`);
      io.out(`# build\n${cmds.build.join(' ')}`);
      for (const [phase, c] of Object.entries(cmds.checkpoint)) io.out(`# checkpoint ${phase}\n${c.run.join(' ')}\n${c.commit.join(' ')}\n${c.remove.join(' ')}`);
      io.out(`# measured starts\n${cmds.cold.join(' ')}\n${cmds.restore.join(' ')}\n`);
    }
    return 0;
  }
  parseProfile(opts.profile);
  const started = Date.now();
  const scenarios = await loadScenarios(opts.scenario && opts.scenario.length > 0 ? opts.scenario : [DEFAULT_SCENARIO], io.cwd);
  const baseCriu = parseBaseCriu(opts.baseCriu);
  const flow = parseCheckpointFlow(opts.checkpointFlow);
  const registration = await register(registryDir(io.env), 'build');
  let built: Map<string, ScenarioImages>;
  try {
    const podman = await makePodman(registration.entry.owner);
    built = await buildAll(podman, scenarios, io, opts.verbose ?? false, CHECKPOINT_PHASES, undefined, flow, baseCriu);
  } finally {
    await registration.release();
  }
  for (const images of built.values()) {
    io.out(`${images.scenario}: ${images.appImage} (Liberty ${images.libertyVersion}, base ${images.baseImage})`);
    for (const ck of Object.values(images.checkpoints)) {
      io.out(`${images.scenario} ${ck.phase}: ${ck.tag} (checkpoint ${(ck.checkpointMs / 1000).toFixed(1)} s, +${(ck.addedBytes / 1024 ** 2).toFixed(0)} MB)`);
    }
  }
  io.err(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
