import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import {
  serverScenario,
  type ImageBase,
  type ImageSource,
  type Scenario,
  type ServerScenario,
} from '../scenario/types.js';
import { ScenarioError } from '../core/errors.js';
import { listIfExists } from '../core/read-if-exists.js';
import { ensureUserImage } from './user-image/user-image.js';
import { ensureOpenLibertyImage, type OpenLibertyImage } from './base/open-liberty-image.js';
import { checkImageFeatures } from './liberty/image-features.js';
import type { BuiltApp } from './app/app-build.js';
import { ensureApp } from './app/app-build.js';
import { ensureAppImage, stageServerDir } from './app/app-image.js';
import { semeruContainerfile } from './user-image/semeru-profile.js';
import { writeFile } from 'node:fs/promises';
import { ensureBaseImage } from './base/base-image.js';
import { ensureCriuVariant } from './base/criu-variant.js';
import { adoptHeldCheckpoint, ensureCheckpointImage, type CheckpointImage } from './checkpoint/checkpoint-image.js';
import type { CheckpointPhase } from '../scenario/variants.js';
import { ensureLibertyImage } from './liberty/liberty-image.js';
import { ensureAotCacheImage, type AotCacheImage } from './aot-cache/aot-cache-image.js';
import { AOT_RUN_ARGS } from '../core/container-paths.js';
import { ensureJdkVariant } from './base/jdk-variant.js';
import { ensureCpuBaselineImage } from './app/cpu-baseline-image.js';
import { ensureLibertyUnpacked, ensureLibertyZip } from './liberty/liberty-dist.js';
import type { BuildConfig } from './build-config.js';
import type { BuildReporter } from './progress.js';
import { ensurePostgresImage } from './app/service-images.js';
import { ensureNetwork } from '../engine/network.js';
import { startPostgres } from '../services/postgres.js';
import { joinJvmArgs } from '../scenario/jvm-args.js';
import { ReplacedImages } from './provenance.js';

export interface BuildOptions {
  readonly cache: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly reporter: BuildReporter;
  readonly config: BuildConfig;
}

/** Everything a cold run of one scenario needs, with the provenance the results record. */
export interface ScenarioImages {
  readonly scenario: string;
  readonly profile: 'local';
  readonly baseImage: string;
  readonly libertyImage: string;
  readonly appImage: string;
  readonly libertyVersion: string;
  readonly appSha256: string;
  readonly primed: boolean;
  readonly checkpoints: Partial<Record<CheckpointPhase, CheckpointImage>>;
  /** The app image with a trained JDK AOT cache (the aotCache variant), when asked for. */
  readonly aotCache?: AotCacheImage;
  /** Present when the scenario has services: their image and the shared network. */
  readonly services?: { readonly postgresImage: string; readonly network: string };
  /** Present for a scenario that measures its own image. */
  readonly userImage?: {
    readonly source: ImageSource['kind'];
    readonly base: ImageBase | 'ref';
    readonly builtOn: string;
    /** The phase of the checkpoint the image itself holds: only that variant can be measured from it. */
    readonly heldCheckpoint?: CheckpointPhase;
  };
}

/** Base image (with its CRIU and JDK variants) and Liberty image: what every local build stands on. */
async function ensureLibertyStack(engine: Engine, opts: BuildOptions & BuildConfig) {
  const { dist } = opts;
  const scratch = path.join(opts.cache, 'scratch');
  const zip = await ensureLibertyZip(dist, opts.cache, opts.reporter);
  const unpacked = await ensureLibertyUnpacked(zip, opts.cache, dist, opts.reporter);
  const plainBase = await ensureBaseImage(engine, { scratchDir: scratch, env: opts.env, reporter: opts.reporter });
  const criuBase = opts.baseCriu
    ? {
        ...plainBase,
        ...(await ensureCriuVariant(engine, {
          baseTag: plainBase.tag,
          baseKey: plainBase.key,
          suite: opts.baseCriu,
          env: opts.env,
          reporter: opts.reporter,
        })),
      }
    : plainBase;
  const base =
    opts.jdk !== undefined
      ? {
          ...criuBase,
          ...(await ensureJdkVariant(engine, {
            baseTag: criuBase.tag,
            baseKey: criuBase.key,
            jdk: opts.jdk,
            reporter: opts.reporter,
          })),
        }
      : criuBase;
  const liberty = await ensureLibertyImage(engine, {
    baseTag: base.tag,
    baseKey: base.key,
    dist,
    unpackedDir: unpacked,
    reporter: opts.reporter,
  });
  return { plainBase, base, liberty };
}

/** The scenario's services (PostgreSQL): their image and network, and how to start them for a build step. */
async function scenarioServices(
  engine: Engine,
  scenario: Scenario,
  plainBase: { tag: string; key: string },
  opts: BuildOptions & BuildConfig,
): Promise<{
  services?: ScenarioImages['services'];
  withServices?: () => Promise<() => Promise<void>>;
}> {
  if (scenario.services.length === 0) return {};
  const services = {
    postgresImage: await ensurePostgresImage(engine, {
      baseTag: plainBase.tag,
      baseKey: plainBase.key,
      reporter: opts.reporter,
    }),
    network: await ensureNetwork(engine),
  };
  const withServices = async (): Promise<() => Promise<void>> => {
    const running: Array<{ stop(): Promise<void> }> = [];
    for (const svc of scenario.services) {
      running.push(
        await startPostgres(engine, svc, {
          image: services.postgresImage,
          network: services.network,
          session: `build${process.pid}`,
          scenario: scenario.name,
          ...(opts.serviceCpus !== undefined ? { cpus: opts.serviceCpus } : {}),
        }),
      );
    }
    return async () => {
      for (const r of running) await r.stop();
    };
  };
  return { services, withServices };
}

/** The local InstantOn base (`build --base`): the base and Liberty images under it, then it, with its stable tags. */
export async function ensureLocalBase(engine: Engine, build: BuildOptions): Promise<OpenLibertyImage> {
  const opts = { ...build, ...build.config };
  const { liberty } = await ensureLibertyStack(engine, opts);
  return ensureOpenLibertyImage(engine, {
    libertyTag: liberty.tag,
    libertyKey: liberty.key,
    libertyVersion: opts.dist.version,
    reporter: opts.reporter,
  });
}

export async function buildScenario(engine: Engine, scenario: Scenario, build: BuildOptions): Promise<ScenarioImages> {
  if (scenario.image) return buildImageScenario(engine, { ...scenario, image: scenario.image }, build);
  const server = serverScenario(scenario);
  if (build.config.profile === 'semeru')
    return buildImageScenario(engine, await semeruImageScenario(server, build), build);
  return buildServerScenario(engine, server, build);
}

/**
 * The semeru profile: the scenario's server and app staged as a context, with the Containerfile Open Liberty's docs
 * write for the official InstantOn image (images/user-image/semeru-profile.ts), measured as an image scenario.
 */
async function semeruImageScenario(
  scenario: ServerScenario,
  build: BuildOptions,
): Promise<Scenario & { readonly image: ImageSource }> {
  const app = await ensureApp(scenario, build.cache, build.reporter, build.config.rebuild);
  const context = path.join(build.cache, 'scratch', `semeru-${scenario.name}`);
  await stageServerDir(scenario, app, context);
  const containerfile = path.join(context, 'Containerfile');
  await writeFile(containerfile, semeruContainerfile(scenario));
  const { app: _app, server: _server, ...rest } = scenario;
  void _app;
  void _server;
  return { ...rest, image: { kind: 'containerfile', containerfile, context, buildArgs: {}, base: 'official' } };
}

/** The tool's own images of a server scenario: its app on the Liberty image, checkpoints, AOT cache. */
async function buildServerScenario(
  engine: Engine,
  scenario: ServerScenario,
  build: BuildOptions,
): Promise<ScenarioImages> {
  const opts = { ...build, ...build.config };
  const { dist } = opts;
  const prime = opts.prime ?? scenario.prime;
  const scratch = path.join(opts.cache, 'scratch');
  const { plainBase, base, liberty } = await ensureLibertyStack(engine, opts);
  const app = await ensureApp(scenario, opts.cache, opts.reporter, opts.rebuild);
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
  const { services, withServices } = await scenarioServices(engine, scenario, plainBase, opts);
  const aotCache =
    opts.aotCache || opts.checkpointFromAot
      ? await ensureAotCacheImage(engine, {
          scenario,
          appTag: appImage.tag,
          appKey: appImage.key,
          reporter: opts.reporter,
          replaced,
          ...(services ? { network: services.network } : {}),
          ...(withServices ? { withServices } : {}),
          rebuild: opts.rebuild,
        })
      : undefined;
  const checkpoints: Partial<Record<CheckpointPhase, CheckpointImage>> = {};
  for (const phase of opts.phases) {
    // checkpoint-from=aot-cache: the checkpointed JVM runs with the AOT cache (restores then map it too).
    const fromAot = opts.checkpointFromAot && aotCache ? aotCache : undefined;
    checkpoints[phase] = await ensureCheckpointImage(engine, {
      scenario: fromAot
        ? `${scenario.name}-aotjvm`
        : opts.cpuBaseline
          ? `${scenario.name}-${opts.cpuBaseline}`
          : scenario.name,
      appTag: fromAot ? fromAot.tag : appImage.tag,
      appKey: fromAot ? `${appImage.key}/${fromAot.tag}/${AOT_RUN_ARGS}` : appImage.key,
      phase,
      env: fromAot ? { ...scenario.env, JVM_ARGS: joinJvmArgs(scenario.env.JVM_ARGS, AOT_RUN_ARGS) } : scenario.env,
      mounts: scenario.mounts,
      reporter: opts.reporter,
      replaced,
      ...(services ? { network: services.network } : {}),
      ...(withServices ? { withServices } : {}),
      flow: opts.checkpointFlow,
      rebuild: opts.rebuild,
    });
  }
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

/** The JDK's AOT cache is trained in the tool's own server image: an image scenario cannot have it (exit 2). */
export function aotOnImageScenario(scenario: Pick<Scenario, 'file'>): ScenarioError {
  return new ScenarioError(
    `${scenario.file}: image: the aotCache variant trains the JDK's cache in the tool's own server image, not in ` +
      'an image you build',
    'leave aotCache out of --variants (and checkpoint-from out of --arm) for this scenario',
  );
}

/**
 * A scenario's own image (its Containerfile built unchanged, or an image reference): cold is the image as built; each
 * InstantOn phase is checkpointed on top of it by the documented three-step flow, or, when the image already holds a
 * checkpoint, that checkpoint is checked and measured as its phase.
 */
async function buildImageScenario(
  engine: Engine,
  scenario: Scenario & { readonly image: ImageSource },
  build: BuildOptions,
): Promise<ScenarioImages> {
  const opts = { ...build, ...build.config };
  if (opts.aotCache || opts.checkpointFromAot) throw aotOnImageScenario(scenario);
  const replaced = new ReplacedImages();
  let stack: Awaited<ReturnType<typeof ensureLibertyStack>> | undefined;
  const libertyStack = async (): Promise<Awaited<ReturnType<typeof ensureLibertyStack>>> =>
    (stack ??= await ensureLibertyStack(engine, opts));
  const localBase = async (): Promise<string> => {
    const { liberty } = await libertyStack();
    const base = await ensureOpenLibertyImage(engine, {
      libertyTag: liberty.tag,
      libertyKey: liberty.key,
      libertyVersion: opts.dist.version,
      reporter: opts.reporter,
    });
    return base.tag;
  };
  const app = await ensureImageApp(scenario, opts);
  const { services, withServices } =
    scenario.services.length > 0
      ? await scenarioServices(engine, scenario, (await libertyStack()).plainBase, opts)
      : {};
  const user = await ensureUserImage(engine, scenario, {
    ...(opts.imageBase ? { base: opts.imageBase } : {}),
    localBase,
    appSha256: app?.sha256 ?? '',
    reporter: opts.reporter,
    replaced,
    rebuild: opts.rebuild,
    ...(services ? { network: services.network } : {}),
  });
  const checkpoints: Partial<Record<CheckpointPhase, CheckpointImage>> = {};
  if (user.heldCheckpoint) {
    checkpoints[user.heldCheckpoint] = await adoptHeldCheckpoint(engine, {
      scenario: scenario.name,
      imageTag: user.tag,
      phase: user.heldCheckpoint,
      reporter: opts.reporter,
      replaced,
    });
  } else if (opts.phases.length > 0) {
    await checkImageFeatures(engine, scenario, user.tag, {
      phases: opts.phases,
      release: user.libertyVersion,
      scratchDir: path.join(opts.cache, 'scratch'),
      reporter: opts.reporter,
    });
    const imageId = await engine.imageId(user.tag);
    for (const phase of opts.phases)
      checkpoints[phase] = await ensureCheckpointImage(engine, {
        scenario: scenario.name,
        appTag: user.tag,
        appKey: imageId,
        phase,
        env: scenario.env,
        mounts: scenario.mounts,
        reporter: opts.reporter,
        replaced,
        ...(services ? { network: services.network } : {}),
        ...(withServices ? { withServices } : {}),
        // The documented three-step flow: it needs nothing of the image but Liberty's WLP_CHECKPOINT contract.
        flow: 'run',
        rebuild: opts.rebuild,
      });
  }
  await replaced.removeUnused(engine, opts.reporter);
  return {
    ...(services ? { services } : {}),
    checkpoints,
    scenario: scenario.name,
    profile: 'local',
    baseImage: user.builtOn,
    libertyImage: user.builtOn,
    appImage: user.tag,
    libertyVersion: user.libertyVersion,
    appSha256: app?.sha256 ?? '',
    primed: false,
    userImage: {
      source: scenario.image.kind,
      base: user.base,
      builtOn: user.builtOn,
      ...(user.heldCheckpoint ? { heldCheckpoint: user.heldCheckpoint } : {}),
    },
  };
}

/**
 * An image scenario's Maven project, built before its Containerfile (which copies target/*.war): built again when
 * target/ holds no archive, even if the tool's cache has one, since the Containerfile reads target/.
 */
async function ensureImageApp(scenario: Scenario, opts: BuildOptions & BuildConfig): Promise<BuiltApp | undefined> {
  const app = scenario.app;
  if (app?.kind !== 'maven') return undefined;
  const target = path.join(app.projectDir, 'target');
  const archives = (await listIfExists(target)).filter((f) => /\.(war|ear)$/.test(f));
  return ensureApp({ ...scenario, app }, opts.cache, opts.reporter, opts.rebuild || archives.length === 0);
}
