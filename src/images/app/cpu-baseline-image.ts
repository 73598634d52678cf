import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { CPU_BASELINE_METHOD, type CpuBaseline } from '../../results/config-types.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { buildLogged } from '../build-logged.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { cachedState, describeStale, madeFromLabel, type ReplacedImages } from '../provenance.js';
import { LABEL_CPU_BASELINE } from '../image-labels.js';
import type { AppImage } from './app-image.js';
import { BuildError } from '../../core/errors.js';
import { CONSOLE_LOG } from '../../core/container-paths.js';

/** What the JVM of a cpu-baseline image prints when its CPUID answers are limited (images/cpu-baseline). */
export function cpuBaselineEvidence(level: CpuBaseline): string {
  return CPU_BASELINE_METHOD[level] === 'cpuid-faulting'
    ? `cpu-baseline: CPUID limited to ${level}`
    : `cpu-baseline: JVM options limit code to ${level}`;
}

/**
 * The app image whose JVM sees only a baseline CPU (an arm's cpu-baseline=LEVEL): images/cpu-baseline compiles a
 * preloaded library (CPUID faulting answers the JVM's CPUID with the level's features) in the plain base and layers it
 * with an entrypoint that also masks glibc's CPU-specific routines. Cold starts and checkpoint runs of this image run
 * limited; its checkpoints record the level in a label (the forecast reads it). Cached by the app image and the recipe.
 */
export async function ensureCpuBaselineImage(
  engine: Engine,
  opts: {
    scenario: string;
    app: AppImage;
    baseTag: string;
    level: CpuBaseline;
    reporter: BuildReporter;
    rebuild?: boolean;
    replaced: ReplacedImages;
  },
): Promise<AppImage> {
  const recipe = path.join(IMAGES_DIR, 'cpu-baseline');
  const key = hashText(opts.app.key, opts.level, await hashTree(recipe));
  const tag = `localhost/instanton-bench/${opts.scenario}-${opts.level}:${shortKey(key)}`;
  const cached = await cachedState(engine, tag, opts.app.tag);
  if (!opts.rebuild && cached.state === 'current') return { tag, key, built: false };
  if (cached.state === 'stale' && !opts.rebuild)
    opts.reporter.step(describeStale(`${opts.scenario}: ${opts.level} app image`, tag, cached));
  await opts.replaced.remember(engine, tag);
  const started = Date.now();
  const how =
    CPU_BASELINE_METHOD[opts.level] === 'cpuid-faulting' ? 'CPUID and glibc masked' : 'JVM options, glibc masked';
  opts.reporter.step(`${opts.scenario}: app image limited to ${opts.level} (${how}): ${tag}`);
  await buildLogged(
    engine,
    {
      context: recipe,
      tag,
      buildArgs: { BASE_IMAGE: opts.baseTag, APP_IMAGE: opts.app.tag, LEVEL: opts.level },
      labels: { ...(await madeFromLabel(engine, opts.app.tag)), [LABEL_CPU_BASELINE]: opts.level },
    },
    {
      reporter: opts.reporter,
      what: `podman build of the ${opts.level} image of ${opts.scenario}`,
      remedy: 'check that Debian sid serves gcc and libc6-dev; rerun with --verbose',
    },
  );
  opts.reporter.done(`${opts.scenario}: ${opts.level} app image ready`, Date.now() - started);
  return { tag, key, built: true };
}

/**
 * A checkpoint run of a cpu-baseline image: its JVM must have said that its CPUID answers were limited (the console
 * or the run's output), else the checkpoint would not be what its label says (BuildError).
 */
export async function verifyCpuBaselineRun(
  engine: Engine,
  run: { image: string; container: string; output: string; what: string },
): Promise<CpuBaseline | undefined> {
  const level = (await engine.imageLabels(run.image))[LABEL_CPU_BASELINE] as CpuBaseline | undefined;
  if (level === undefined) return undefined;
  const console = (await engine.readContainerFile(run.container, CONSOLE_LOG)) ?? '';
  if (!`${run.output}\n${console}`.includes(cpuBaselineEvidence(level)))
    throw new BuildError(
      `${run.what}: the JVM never said its CPU was limited to ${level} (no "${cpuBaselineEvidence(level)}" in its ` +
        'output): the checkpoint would not be portable',
      CPU_BASELINE_METHOD[level] === 'cpuid-faulting'
        ? 'check that /proc/cpuinfo lists cpuid_fault (CPUID faulting) on this host; rerun with --verbose'
        : "check that the image's entrypoint is images/cpu-baseline/entrypoint.sh; rerun with --verbose",
    );
  return level;
}
