import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { UsageError } from '../../core/errors.js';
import { CPU_BASELINE_METHOD, type ArmSpec } from '../../results/config-types.js';
import { isServerScenario, isSpringBootApp, type Scenario, type ServerScenario } from '../../scenario/types.js';
import { joinJvmArgs } from '../../scenario/jvm-args.js';
import { AOT_RUN_ARGS } from '../../core/container-paths.js';
import { ensureApp } from '../app/app-build.js';
import { ensureAppImage, SERVER_LAYOUT, type AppImage, type AppLayout } from '../app/app-image.js';
import type { BuiltApp } from '../app/app-build.js';
import { ensureCpuBaselineImage } from '../app/cpu-baseline-image.js';
import { ensureAotCacheImage } from '../aot-cache/aot-cache-image.js';
import { ensureCheckpointImages } from '../checkpoint/checkpoint-image.js';
import { type CheckpointImage } from '../checkpoint/checkpoint-shared.js';
import type { CheckpointPhase } from '../../scenario/variants.js';
import { checkCheckpointFeatures } from '../liberty/feature-check.js';
import { ReplacedImages } from '../provenance.js';
import { planLines, planServerImages, planStack } from '../dry-run.js';
import { ensureLibertyStack, scenarioServices, type BuildOptions, type ScenarioImages } from '../stack.js';
import { refuseJavaRuntime, wantsAotCache, type KindOptions, type ScenarioKind } from './kind.js';
import { hasCpuidFaulting, unconditionalOn } from '../../hosts/cpu-features.js';
import { replaceImage } from './image.js';

/**
 * A server scenario: the tool builds its app, the app image on its own Liberty image, the checkpoints and the AOT
 * cache. An arm may replace the server's files, the app or the environment, or name an image to measure instead.
 */
export const serverKind: ScenarioKind<ServerScenario> = {
  name: 'server',
  claims: (scenario): scenario is ServerScenario => isServerScenario(scenario),
  refuse: refuseServer,
  applyArm: applyServerArm,
  beforeBuild: (scenario, ctx) => checkCheckpointFeatures(scenario, ctx),
  async dryRun(engine, scenario, opts) {
    const stack = await planStack(engine, opts);
    const steps = [...stack.steps, ...(await planServerImages(engine, scenario, opts, stack))];
    return planLines(scenario.name, opts.baseCriu, steps);
  },
  build: (engine, scenario, build) => buildServerScenario(engine, scenario, build),
};

/** cpu-baseline= limits the tool's own server image: what else would run unlimited is refused (exit 2). */
function refuseServer(scenario: ServerScenario, arm: ArmSpec | undefined, opts: KindOptions): void {
  refuseJavaRuntime(scenario, arm);
  if (arm?.app?.endsWith('.jar') && !isSpringBootApp(scenario.app))
    throw new UsageError(
      `--arm ${arm.name}: app: ${arm.app} is a jar; ${scenario.name} deploys a web application (${scenario.app.deployAs})`,
      'name a WAR, or its Maven project; a Spring Boot jar is its own scenario (app.deployAs ending in .jar)',
    );
  if (arm?.cpuBaseline === undefined) return;
  const refuse = (why: string, fix: string): never => {
    throw new UsageError(`--arm ${arm.name}: cpu-baseline: ${why}`, fix);
  };
  if (wantsAotCache(arm, opts))
    refuse('the AOT cache is trained by a JVM the limit does not reach', 'leave aotCache and checkpoint-from out');
  if (opts.checkpointFlow === 'build')
    refuse(
      "the build flow's RUN checkpoint.sh starts the JVM without the limit",
      'drop --checkpoint-flow build for this run',
    );
  if (
    opts.hostCpu &&
    CPU_BASELINE_METHOD[arm.cpuBaseline] === 'cpuid-faulting' &&
    !hasCpuidFaulting(opts.hostCpu.flags)
  )
    refuse(
      `this host's CPU (${opts.hostCpu.model}) offers no CPUID faulting (no cpuid_fault in /proc/cpuinfo), so the ` +
        `JVM's CPUID answers cannot be limited to ${arm.cpuBaseline}, and HotSpot runs instructions no option turns off ` +
        `(CLWB, SERIALIZE) wherever CPUID reports them`,
      optionsLevelFix(opts.hostCpu.flags) +
        "take the portable checkpoint on a host whose /proc/cpuinfo lists cpuid_fault, or on a host of the fleet's " +
        "oldest CPU; instanton-bench forecast --hosts says which nodes restore this host's default checkpoint",
    );
}

/** What this host can take instead: the level JVM options reach, named with the CPUs it restores on. */
function optionsLevelFix(flags: readonly string[]): string {
  const unconditional = unconditionalOn(flags);
  return (
    `cpu-baseline=x86-64-v3-clwb works here (JVM options and glibc masks; it restores on x86-64-v3 CPUs with ` +
    `${unconditional.join(' and ') || 'the same CPUID answers'}, as HotSpot runs them unasked: Skylake-SP and Zen 2 ` +
    'or later); or '
  );
}

/** The scenario as an arm builds it: its files, app and environment replaced where the arm says, or an image. */
export function applyServerArm(server: ServerScenario, arm: ArmSpec): Scenario {
  if (arm.image !== undefined || arm.containerfile !== undefined) return replaceImage(server, arm);
  // Another version of a Maven app builds with the scenario's Maven arguments and JDK.
  const maven =
    server.app.kind === 'maven'
      ? {
          mavenArgs: server.app.mavenArgs,
          ...(server.app.javaHome !== undefined ? { javaHome: server.app.javaHome } : {}),
        }
      : { mavenArgs: [] };
  const app: ServerScenario['app'] =
    arm.app === undefined
      ? server.app
      : /\.(war|jar)$/.test(arm.app)
        ? { kind: 'war', warFile: arm.app, deployAs: server.app.deployAs }
        : { kind: 'maven', projectDir: arm.app, deployAs: server.app.deployAs, ...maven };
  return {
    ...server,
    app,
    server: {
      ...server.server,
      ...(arm.serverXml ? { serverXml: arm.serverXml } : {}),
      ...(arm.jvmOptions ? { jvmOptions: arm.jvmOptions } : {}),
    },
    env: { ...server.env, ...arm.env },
    ...(arm.runtime === 'java' ? { runtime: 'java' as const } : {}),
  };
}

/** What a kind built on the server's images changes: the app image's layout, and a check of the built application. */
export interface ServerFlavour {
  readonly layout: AppLayout;
  /** Refuses an application the kind cannot deploy (exit 2), after it is built and before any image. */
  readonly checkApp?: (app: BuiltApp) => Promise<void>;
}

/** The tool's own images of a server scenario: its app on the Liberty image, checkpoints, AOT cache. */
export async function buildServerScenario(
  engine: Engine,
  scenario: ServerScenario,
  build: BuildOptions,
  flavour: ServerFlavour = { layout: SERVER_LAYOUT },
): Promise<ScenarioImages> {
  const opts = { ...build, ...build.config };
  const { dist } = opts;
  const prime = opts.prime ?? scenario.prime;
  const scratch = path.join(opts.cache, 'scratch');
  const { plainBase, base, liberty } = await ensureLibertyStack(engine, opts);
  const app = await ensureApp(scenario, opts.cache, opts.reporter, opts.rebuild);
  await flavour.checkApp?.(app);
  // Images this build replaces (a rebuild, a stale image): removed at the end, so rebuilds leave no dangling gigabytes.
  const replaced = new ReplacedImages();
  const ownApp = await ensureAppImage(engine, {
    scenario,
    app,
    libertyTag: liberty.tag,
    libertyKey: liberty.key,
    scratchDir: scratch,
    prime,
    reporter: opts.reporter,
    replaced,
    rebuild: opts.rebuild,
    layout: flavour.layout,
  });
  // cpu-baseline=: cold starts and checkpoints run the JVM limited to that CPU level (a layer over the app image).
  const appImage = opts.cpuBaseline
    ? await ensureCpuBaselineImage(engine, {
        scenario: scenario.name,
        app: ownApp,
        baseTag: plainBase.tag,
        level: opts.cpuBaseline,
        reporter: opts.reporter,
        replaced,
        rebuild: opts.rebuild,
      })
    : ownApp;
  const { services, withServices, aotCache } = await servicesAndAotCache(engine, scenario, opts, {
    plainBase,
    appImage,
    replaced,
    wanted: opts.aotCache || opts.checkpointFromAot === true,
  });
  const checkpoints = await serverCheckpoints(engine, scenario, opts, {
    appImage,
    replaced,
    ...(aotCache ? { aotCache } : {}),
    ...(services ? { services } : {}),
    ...(withServices ? { withServices } : {}),
  });
  await replaced.removeUnused(engine, opts.reporter);
  return {
    ...(services ? { services } : {}),
    ...(aotCache ? { aotCache } : {}),
    checkpoints,
    scenario: scenario.name,
    profile: 'local',
    baseImage: base.tag,
    libertyImage: liberty.tag,
    appImage: appImage.tag,
    libertyVersion: dist.version,
    appSha256: app.sha256,
    primed: prime,
  };
}

/** The scenario's services (PostgreSQL) and, when wanted, the AOT cache trained on its app image beside them. */
export async function servicesAndAotCache(
  engine: Engine,
  scenario: ServerScenario,
  opts: BuildOptions & BuildOptions['config'],
  on: { plainBase: { tag: string; key: string }; appImage: AppImage; replaced: ReplacedImages; wanted: boolean },
) {
  const { services, withServices } = await scenarioServices(engine, scenario, on.plainBase, opts);
  const aotCache = on.wanted
    ? await ensureAotCacheImage(engine, {
        scenario,
        appTag: on.appImage.tag,
        appKey: on.appImage.key,
        reporter: opts.reporter,
        replaced: on.replaced,
        ...(services ? { network: services.network } : {}),
        ...(withServices ? { withServices } : {}),
        rebuild: opts.rebuild,
      })
    : undefined;
  return { services, withServices, aotCache };
}

/** The checkpoint images of a server scenario, one per phase, from its app image (or its AOT cache's JVM). */
async function serverCheckpoints(
  engine: Engine,
  scenario: ServerScenario,
  opts: BuildOptions['config'] & { reporter: BuildOptions['reporter'] },
  built: {
    appImage: { tag: string; key: string };
    replaced: ReplacedImages;
    aotCache?: { tag: string };
    services?: ScenarioImages['services'];
    withServices?: () => Promise<() => Promise<void>>;
  },
): Promise<Partial<Record<CheckpointPhase, CheckpointImage>>> {
  const { appImage, aotCache, services, withServices, replaced } = built;
  // checkpoint-from=aot-cache: the checkpointed JVM runs with the AOT cache (restores then map it too).
  const fromAot = opts.checkpointFromAot && aotCache ? aotCache : undefined;
  const source = fromAot
    ? {
        scenario: `${scenario.name}-aotjvm`,
        appTag: fromAot.tag,
        appKey: `${appImage.key}/${fromAot.tag}/${AOT_RUN_ARGS}`,
        env: { ...scenario.env, JVM_ARGS: joinJvmArgs(scenario.env.JVM_ARGS, AOT_RUN_ARGS) },
      }
    : {
        scenario: opts.cpuBaseline ? `${scenario.name}-${opts.cpuBaseline}` : scenario.name,
        appTag: appImage.tag,
        appKey: appImage.key,
        env: scenario.env,
      };
  return ensureCheckpointImages(engine, opts.phases, {
    ...source,
    mounts: scenario.mounts,
    reporter: opts.reporter,
    replaced,
    ...(services ? { network: services.network } : {}),
    ...(withServices ? { withServices } : {}),
    flow: opts.checkpointFlow,
    rebuild: opts.rebuild,
  });
}
