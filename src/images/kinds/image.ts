import path from 'node:path';
import type { Engine } from '../../engine/engine.js';
import { ScenarioError, UsageError } from '../../core/errors.js';
import { listIfExists } from '../../core/read-if-exists.js';
import type { ArmSpec } from '../../results/config-types.js';
import { isImageScenario, type ImageScenario, type ImageSource, type Scenario } from '../../scenario/types.js';
import { type CheckpointPhase } from '../../scenario/variants.js';
import { ensureApp, type BuiltApp } from '../app/app-build.js';
import { ensureOpenLibertyImage } from '../base/open-liberty-image.js';
import { ensureCheckpointImages } from '../checkpoint/checkpoint-image.js';
import { adoptHeldCheckpoint } from '../checkpoint/checkpoint-build-flow.js';
import { type CheckpointImage } from '../checkpoint/checkpoint-shared.js';
import { checkImageFeatures } from '../liberty/image-features.js';
import { ReplacedImages } from '../provenance.js';
import { ensureUserImage } from '../user-image/user-image.js';
import type { BuildConfig } from '../build-config.js';
import { planLines, planOwnImage, planStack } from '../dry-run.js';
import { ensureLibertyStack, scenarioServices, type BuildOptions, type ScenarioImages } from '../stack.js';
import { refuseJavaRuntime, wantsAotCache, type ScenarioKind } from './kind.js';

/**
 * An image scenario: the scenario's own image (its Containerfile built unchanged, or a reference) is measured. An
 * arm may name another image or Containerfile and add environment; the server's files are the image's own.
 */
export const imageKind: ScenarioKind<ImageScenario> = {
  name: 'image',
  claims: (scenario): scenario is ImageScenario => isImageScenario(scenario),
  refuse(scenario, arm, opts) {
    refuseJavaRuntime(scenario, arm);
    if (wantsAotCache(arm, opts)) throw aotOnImageScenario(scenario);
    if (arm?.cpuBaseline !== undefined)
      throw new UsageError(
        `--arm ${arm.name}: cpu-baseline: ${scenario.file} measures an image, whose JVM the tool does not start`,
        'limit the JVM in that Containerfile, or give cpu-baseline to a server scenario',
      );
  },
  applyArm: replaceImage,
  async dryRun(engine, scenario, opts) {
    if (opts.profile === 'semeru')
      return {
        lines: [
          `# ${scenario.name}: its own image (${scenario.file}); the semeru profile builds it on its FROM image as ` +
            'written\n',
        ],
      };
    const stack = await planStack(engine, opts);
    const steps = [...stack.steps, ...planOwnImage(scenario.name, scenario.image, opts)];
    return planLines(scenario.name, opts.baseCriu, steps);
  },
  build: (engine, scenario, build) => buildImageScenario(engine, scenario, build),
};

/** An arm of an image scenario (or one that names an image): the image replaced, the environment merged. */
export function replaceImage(scenario: Scenario, arm: ArmSpec): Scenario {
  const serverKey = arm.serverXml ? 'server-xml' : arm.jvmOptions ? 'jvm-options' : arm.app ? 'app' : undefined;
  if (serverKey !== undefined)
    throw new UsageError(
      `--arm ${arm.name}: ${serverKey}: ${scenario.file} measures an ` +
        `image${arm.image || arm.containerfile ? ' (the arm names one)' : ''}, whose server the tool does not build`,
      'change the server in the Containerfile and pass it as containerfile=PATH, or give the arm image=REF',
    );
  const base = scenario.image?.kind === 'containerfile' ? scenario.image.base : 'official';
  const image: ImageSource | undefined =
    arm.image !== undefined
      ? { kind: 'ref', ref: arm.image }
      : arm.containerfile !== undefined
        ? {
            kind: 'containerfile',
            containerfile: arm.containerfile,
            context: path.dirname(arm.containerfile),
            buildArgs: scenario.image?.kind === 'containerfile' ? scenario.image.buildArgs : {},
            base,
          }
        : scenario.image;
  // An arm's image replaces the server (and the app) the scenario would build: the run measures that image. An image
  // scenario keeps its Maven app, which its Containerfile copies.
  const { server: _server, app: _app, ...rest } = scenario;
  return {
    ...rest,
    ...(scenario.image && scenario.app ? { app: scenario.app } : {}),
    ...(image ? { image } : {}),
    env: { ...scenario.env, ...arm.env },
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
export async function buildImageScenario(
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
  const checkpoints = await imageCheckpoints(engine, scenario, opts, {
    user,
    replaced,
    ...(services ? { services } : {}),
    ...(withServices ? { withServices } : {}),
  });
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

/**
 * The checkpoints of a scenario's own image: the one it holds (checked and measured as its phase), or one per phase
 * by the documented three-step flow.
 */
async function imageCheckpoints(
  engine: Engine,
  scenario: Scenario,
  opts: BuildOptions['config'] & { reporter: BuildOptions['reporter']; cache: string },
  built: {
    user: Awaited<ReturnType<typeof ensureUserImage>>;
    replaced: ReplacedImages;
    services?: ScenarioImages['services'];
    withServices?: () => Promise<() => Promise<void>>;
  },
): Promise<Partial<Record<CheckpointPhase, CheckpointImage>>> {
  const { user, services, withServices, replaced } = built;
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
    Object.assign(
      checkpoints,
      await ensureCheckpointImages(engine, opts.phases, {
        scenario: scenario.name,
        appTag: user.tag,
        appKey: await engine.imageId(user.tag),
        env: scenario.env,
        mounts: scenario.mounts,
        reporter: opts.reporter,
        replaced,
        ...(services ? { network: services.network } : {}),
        ...(withServices ? { withServices } : {}),
        // The documented three-step flow: it needs nothing of the image but Liberty's WLP_CHECKPOINT contract.
        flow: 'run',
        rebuild: opts.rebuild,
      }),
    );
  }
  return checkpoints;
}
