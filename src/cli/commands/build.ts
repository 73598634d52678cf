import type { ScenarioImages } from '../../images/build-scenario.js';
import { buildAll, buildLocalBase } from '../../images/build-all.js';
import { loadScenarios } from '../../scenario/load.js';
import { makePodman } from '../../engine/make-podman.js';
import { register, registryDir } from '../../engine/run-registry.js';
import type { CliIo } from '../../core/io.js';
import {
  DEFAULT_SCENARIO,
  parseBaseCriu,
  parseCheckpointFlow,
  parseImageBase,
  parseProfile,
} from '../../run/config.js';
import { isServerScenario } from '../../scenario/types.js';
import { semeruCommands, semeruContainerfile } from '../../images/user-image/semeru-profile.js';
import { isAotCache, isCheckpointPhase, parseVariantList } from '../../scenario/variants.js';
import { formatDryRun, planBuild } from '../../images/dry-run.js';
import { cacheDir } from '../../images/cache.js';

/** `build`'s options as commander parses them. */
export interface BuildCommandOptions {
  readonly scenario?: string[];
  readonly profile?: string;
  readonly verbose?: boolean;
  readonly dryRun?: boolean;
  readonly checkpointFlow?: string;
  readonly baseCriu?: string;
  readonly variants?: string;
  readonly rebuild?: boolean;
  /** true (`--base` alone): build just the local InstantOn base; local|official: what image scenarios build on. */
  readonly base?: string | boolean;
}

export async function buildCommand(opts: BuildCommandOptions, io: CliIo): Promise<number> {
  if (opts.profile === 'semeru' && opts.dryRun) {
    const scenarios = await loadScenarios(
      opts.scenario && opts.scenario.length > 0 ? opts.scenario : [DEFAULT_SCENARIO],
      io.cwd,
    );
    const podman = await makePodman();
    for (const s of scenarios) {
      if (!isServerScenario(s)) {
        io.out(`# ${s.name}: its own image (${s.file}); the semeru profile builds it on its FROM image as written\n`);
        continue;
      }
      const tag = `localhost/instanton-bench/semeru-${s.name}:latest`;
      const cmds = semeruCommands(s, podman.flags, tag, `<context of ${s.name}>`);
      io.out(`# ${s.name}: Containerfile\n${semeruContainerfile(s)}`);
      io.out(`# build\n${cmds.build.join(' ')}`);
      for (const [phase, c] of Object.entries(cmds.checkpoint))
        io.out(`# checkpoint ${phase}\n${c.run.join(' ')}\n${c.commit.join(' ')}\n${c.remove.join(' ')}`);
      io.out(`# measured starts\n${cmds.cold.join(' ')}\n${cmds.restore.join(' ')}\n`);
    }
    return 0;
  }
  const profile = parseProfile(opts.profile);
  const started = Date.now();
  if (opts.base === true) return buildBaseOnly(opts, io, started);
  const imageBase = parseImageBase(typeof opts.base === 'string' ? opts.base : undefined);
  const scenarios = await loadScenarios(
    opts.scenario && opts.scenario.length > 0 ? opts.scenario : [DEFAULT_SCENARIO],
    io.cwd,
  );
  const baseCriu = parseBaseCriu(opts.baseCriu);
  const flow = parseCheckpointFlow(opts.checkpointFlow);
  const variants = parseVariantList(opts.variants).variants;
  if (opts.dryRun) {
    // Dry: computed from the cache and local storage; nothing is built, downloaded or run.
    const podman = await makePodman();
    let toBuild = 0;
    for (const s of scenarios) {
      const steps = await planBuild(podman, s, {
        cache: cacheDir(io.env),
        phases: variants.filter(isCheckpointPhase),
        aotCache: variants.some(isAotCache),
        rebuild: opts.rebuild ?? false,
        builtFlow: flow === 'build',
      });
      io.out(
        `# ` +
          `${s.name}` +
          `${baseCriu ? ` (base CRIU from ${baseCriu}: not planned here, built on top of the base image)` : ''}`,
      );
      for (const line of formatDryRun(steps)) io.out(line);
      toBuild += steps.filter((st) => st.action === 'build').length;
    }
    io.err(`build --dry-run: ${toBuild} step(s) would build; nothing was built`);
    return 0;
  }
  const registration = await register(registryDir(io.env), 'build');
  let built: Map<string, ScenarioImages>;
  try {
    const podman = await makePodman(registration.entry.owner);
    built = await buildAll(podman, scenarios, io, {
      verbose: opts.verbose ?? false,
      checkpointFlow: flow,
      phases: variants.filter(isCheckpointPhase),
      aotCache: variants.some(isAotCache),
      ...(baseCriu ? { baseCriu } : {}),
      ...(opts.rebuild ? { rebuild: true } : {}),
      profile,
      ...(imageBase ? { imageBase } : {}),
    });
  } finally {
    await registration.release();
  }
  for (const images of built.values()) {
    io.out(`${images.scenario}: ${images.appImage} (Liberty ${images.libertyVersion}, base ${images.baseImage})`);
    for (const ck of Object.values(images.checkpoints)) {
      const took = ck.checkpointMs !== undefined ? `${(ck.checkpointMs / 1000).toFixed(1)} s` : "in the image's build";
      io.out(
        `${images.scenario} ${ck.phase}: ${ck.tag} (checkpoint ${took}, ` +
          `+${(ck.addedBytes / 1024 ** 2).toFixed(0)} MiB)`,
      );
    }
    const aot = images.aotCache;
    if (aot)
      io.out(
        `${images.scenario} aotCache: ${aot.tag} (training ${(aot.trainingMs / 1000).toFixed(1)} s, cache ` +
          `${(aot.cacheBytes / 1024 ** 2).toFixed(0)} MiB, +${(aot.addedBytes / 1024 ** 2).toFixed(0)} MiB)`,
      );
  }
  io.err(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

/** `build --base`: the local InstantOn base alone, and the tags a Containerfile's FROM line can name. */
async function buildBaseOnly(opts: BuildCommandOptions, io: CliIo, started: number): Promise<number> {
  const registration = await register(registryDir(io.env), 'build');
  try {
    const podman = await makePodman(registration.entry.owner);
    const base = await buildLocalBase(podman, io, { verbose: opts.verbose ?? false });
    io.out(`local InstantOn base: ${base.tag}`);
    for (const tag of base.stableTags) io.out(`  FROM ${tag}`);
  } finally {
    await registration.release();
  }
  io.err(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
