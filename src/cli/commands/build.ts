import type { Command } from 'commander';
import { type CommandContext, collect, helpFooter, profileOption } from '../command-context.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../../images/checkpoint/checkpoint-flow.js';
import { DEFAULT_SCENARIO } from '../../run/defaults.js';
import { DEFAULT_VARIANTS, VARIANTS } from '../../scenario/variants.js';
import { UsageError } from '../../core/errors.js';
import type { Profile } from '../../results/config-types.js';
import type { ScenarioImages } from '../../images/stack.js';
import { buildAll, buildLocalBase } from '../../images/build-all.js';
import { loadScenarios } from '../../scenario/load.js';
import { makePodman } from '../../engine/make-podman.js';
import { register, registryDir } from '../../engine/run-registry.js';
import type { CliIo } from '../../core/io.js';
import { parseBaseCriu, parseCheckpointFlow, parseImageBase, parseProfile } from '../../run/parse-options.js';
import type { Scenario } from '../../scenario/types.js';
import { kindOf } from '../../images/kinds/index.js';
import type { KindOf } from '../../images/kinds/kind.js';
import type { CheckpointFlow } from '../../results/types.js';
import { parseVariantList, needsAotCache, checkpointPhasesOf, type Variant } from '../../scenario/variants.js';
import { cacheDir } from '../../core/cache-dir.js';

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
  /** liberty (default) or java: the scenarios' jars on a plain JVM. */
  readonly runtime?: string;
}

/** --runtime: the scenarios as that runtime runs them (java: a plain JVM), and the variants it builds by default. */
function withRuntime(
  opts: BuildCommandOptions,
  scenarios: readonly Scenario[],
): { scenarios: Scenario[]; variants: Variant[] } {
  const runtime = opts.runtime ?? 'liberty';
  if (runtime !== 'liberty' && runtime !== 'java')
    throw new UsageError(
      `--runtime ${runtime}: not a runtime`,
      'pass --runtime liberty (the default) or --runtime java (a Spring Boot jar on a plain JVM)',
    );
  const java = runtime === 'java';
  const variants =
    java && opts.variants === undefined ? (['cold'] as Variant[]) : parseVariantList(opts.variants).variants;
  return { scenarios: java ? scenarios.map((s) => ({ ...s, runtime: 'java' as const })) : [...scenarios], variants };
}

export async function buildCommand(opts: BuildCommandOptions, io: CliIo): Promise<number> {
  const profile = parseProfile(opts.profile);
  const started = Date.now();
  const scenarioRefs = opts.scenario && opts.scenario.length > 0 ? opts.scenario : [DEFAULT_SCENARIO];
  // A dry run builds nothing, whatever --base says: each scenario's kind says what a build would make.
  if (opts.dryRun) return dryRun(await loadScenarios(scenarioRefs, io.cwd), opts, io, profile);
  if (opts.base === true) return buildBaseOnly(opts, io, started);
  const imageBase = parseImageBase(typeof opts.base === 'string' ? opts.base : undefined);
  const { scenarios, variants } = withRuntime(opts, await loadScenarios(scenarioRefs, io.cwd));
  const baseCriu = parseBaseCriu(opts.baseCriu);
  const flow = parseCheckpointFlow(opts.checkpointFlow);
  const kinds = kindsRefusing(scenarios, profile, variants, flow);
  const registration = await register(registryDir(io.env), 'build');
  let built: Map<string, ScenarioImages>;
  try {
    const podman = await makePodman(registration.entry.owner);
    built = await buildAll(podman, kinds, io, {
      verbose: opts.verbose ?? false,
      checkpointFlow: flow,
      phases: checkpointPhasesOf(variants),
      aotCache: needsAotCache(variants),
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

/** Each scenario's kind, having refused what the options ask that it cannot do (exit 2, before anything is taken). */
function kindsRefusing(
  scenarios: readonly Scenario[],
  profile: Profile,
  variants: readonly Variant[],
  checkpointFlow: CheckpointFlow,
): KindOf[] {
  return scenarios.map((s) => {
    const kind = kindOf(s, profile);
    kind.refuse(undefined, { variants, profile, checkpointFlow });
    const cannot = variants.filter((v) => !kind.measures(v));
    if (cannot.length > 0)
      throw new UsageError(
        `--variants ${cannot.join(',')}: ${s.name} on a plain JVM (--runtime java) takes no checkpoint`,
        'build the checkpoints with --runtime liberty, or pass --variants cold,aotCache',
      );
    return kind;
  });
}

/** `build --dry-run`: each scenario's kind says what a build would make, from the cache alone; nothing is built. */
async function dryRun(
  scenarios: readonly Scenario[],
  opts: BuildCommandOptions,
  io: CliIo,
  profile: Profile,
): Promise<number> {
  const podman = await makePodman();
  const runtime = withRuntime(opts, scenarios);
  const variants = runtime.variants;
  const baseCriu = parseBaseCriu(opts.baseCriu);
  let toBuild: number | undefined;
  for (const kind of kindsRefusing(runtime.scenarios, profile, variants, parseCheckpointFlow(opts.checkpointFlow))) {
    const plan = await kind.dryRun(podman, {
      cache: cacheDir(io.env),
      phases: checkpointPhasesOf(variants),
      aotCache: needsAotCache(variants),
      rebuild: opts.rebuild ?? false,
      builtFlow: parseCheckpointFlow(opts.checkpointFlow) === 'build',
      ...(baseCriu ? { baseCriu } : {}),
      profile,
      engineFlags: podman.flags,
    });
    for (const line of plan.lines) io.out(line);
    if (plan.toBuild !== undefined) toBuild = (toBuild ?? 0) + plan.toBuild;
  }
  if (toBuild !== undefined) io.err(`build --dry-run: ${toBuild} step(s) would build; nothing was built`);
  return 0;
}

/** `build`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'build',
    'build --scenario scenarios/examples/containerfile --base local',
    'build --base',
    'build --scenario rest-crud --dry-run',
  ],
  undefined,
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .option(
      '--scenario <name|dir>',
      `built-in scenario name or a directory with scenario.json (repeatable; default ${DEFAULT_SCENARIO})`,
      collect,
    )
    .addOption(profileOption())
    .option(
      '--checkpoint-flow <flow>',
      `run: privileged run with WLP_CHECKPOINT, then commit; build: RUN checkpoint.sh PHASE inside podman build ` +
        `(default ${DEFAULT_CHECKPOINT_FLOW})`,
    )
    .option(
      '--base [where]',
      'alone: build just the local InstantOn base (localhost/instanton-bench/open-liberty:instanton, the official ' +
        "images' contract); local: build image scenarios' Containerfiles on it instead of their FROM image " +
        '(podman build --from); official: on their FROM image as written (the default)',
    )
    .option(
      '--base-criu <release>',
      "use Debian bookworm's or trixie's CRIU in the base image, to reproduce their failures on this kernel",
    )
    .option(
      '--variants <list>',
      `the variants to build images for: ${VARIANTS.join(', ')} (default ${DEFAULT_VARIANTS.join(',')})`,
    )
    .option(
      '--runtime <runtime>',
      "liberty (the default): the scenario on Liberty; java: a Spring Boot scenario's jar on a plain JVM (java -jar, " +
        "no Liberty; an arm's runtime=java builds the same): its image, and with aotCache its AOT cache (default " +
        'variants cold)',
    )
    .option(
      '--dry-run',
      'print what would be built and why (each image used from local storage or made again), and build nothing; with ' +
        '--profile semeru: the Containerfile and podman commands the profile would run',
    )
    .option(
      '--rebuild',
      "build the scenario's app, its image, checkpoints and AOT cache again even when cached (after a change the " +
        'cache keys do not see; the base and Liberty images stay)',
    )
    .option('--verbose', 'show the output of every build step')
    .action(async (opts: BuildCommandOptions) => setCode(await buildCommand(opts, io)));
}
