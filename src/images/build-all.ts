import type { CliIo } from '../core/io.js';
import type { Engine } from '../engine/engine.js';
import { guardBuildInterrupt } from './build-interrupt.js';
import { ensureLocalBase, type ScenarioImages } from './stack.js';
import { type KindOf } from './kinds/kind.js';
import type { OpenLibertyImage } from './base/open-liberty-image.js';
import { cacheDir } from '../core/cache-dir.js';
import { lineReporter } from './progress.js';
import { ensureLibertyUnpacked, ensureLibertyZip } from './liberty/liberty-dist.js';
import { resolveBuild, type BuildRequest } from './build-config.js';
import { readFeatureCatalog } from './liberty/liberty-features.js';
import { lockBuild } from './build-lock.js';
import { removeDeadLeftovers } from '../engine/leftovers.js';
import { registryDir } from '../engine/run-registry.js';

/** A build request, with how to report it. */
export interface BuildAllOptions extends BuildRequest {
  readonly verbose: boolean;
  /** The command named in the Ctrl-C message (build, run). */
  readonly command?: string;
}

/** `build --base`: only the local InstantOn base, under the build lock, with progress and Ctrl-C cleanup. */
export async function buildLocalBase(engine: Engine, io: CliIo, opts: BuildAllOptions): Promise<OpenLibertyImage> {
  const reporter = lineReporter(io.err, opts.verbose);
  const unguard = guardBuildInterrupt(engine, io, 'build');
  const lock = await lockBuild(cacheDir(io.env), 'build', (line) => io.err(`build: ${line}`));
  try {
    return await ensureLocalBase(engine, {
      cache: cacheDir(io.env),
      env: io.env,
      reporter,
      config: resolveBuild(opts),
    });
  } finally {
    await lock.release();
    unguard();
  }
}

/** Build (or find in the cache) every image the scenarios need, with progress and Ctrl-C cleanup. */
export async function buildAll(
  engine: Engine,
  kinds: readonly KindOf[],
  io: CliIo,
  opts: BuildAllOptions,
): Promise<Map<string, ScenarioImages>> {
  const reporter = lineReporter(io.err, opts.verbose);
  const built = new Map<string, ScenarioImages>();
  const command = opts.command ?? 'build';
  const unguard = guardBuildInterrupt(engine, io, command);
  // One build at a time: a second one waits, then takes the first one's images from the cache.
  const lock = await lockBuild(cacheDir(io.env), command, (line) => io.err(`${command}: ${line}`));
  try {
    // A killed build's containers (a privileged checkpoint container still running) go first.
    const { removed } = await removeDeadLeftovers(engine, registryDir(io.env), engine.owner);
    if (removed.length > 0)
      io.err(
        `${command}: removed ${removed.length} container(s) left by a build or run that is no longer alive: ` +
          `${removed.join(', ')}`,
      );
    const config = resolveBuild(opts);
    if (config.phases.length > 0) {
      // The release's own feature manifests first: a feature InstantOn cannot checkpoint is refused in seconds, before
      // any image.
      const cache = cacheDir(io.env);
      const libertyDir = await ensureLibertyUnpacked(
        await ensureLibertyZip(config.dist, cache, reporter),
        cache,
        config.dist,
        reporter,
      );
      const catalog = await readFeatureCatalog(libertyDir);
      // A user's image is checked once it is built (its /config is read from the image).
      for (const kind of kinds)
        await kind.beforeBuild({
          libertyDir,
          release: config.dist.version,
          phases: config.phases,
          reporter,
          catalog,
        });
    }
    for (const kind of kinds)
      built.set(
        kind.scenario.name,
        await kind.build(engine, { cache: cacheDir(io.env), env: io.env, reporter, config }),
      );
  } finally {
    await lock.release();
    unguard();
  }
  return built;
}
