import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Scenario } from '../scenario/types.js';
import { ensureApp } from './app-build.js';
import { ensureAppImage } from './app-image.js';
import { ensureBaseImage } from './base-image.js';
import { ensureCriuVariant } from './criu-variant.js';
import { ensureCheckpointImage, type CheckpointImage } from './checkpoint-image.js';
import type { CheckpointPhase } from '../scenario/variants.js';
import { ensureLibertyImage } from './liberty-image.js';
import { ensureAotCacheImage, type AotCacheImage } from './aot-cache-image.js';
import { AOT_RUN_ARGS } from '../measure/aot-start.js';
import { ensureJdkVariant } from './jdk-variant.js';
import { ensureLibertyUnpacked, ensureLibertyZip } from './liberty-dist.js';
import type { BuildConfig } from './build-config.js';
import type { BuildReporter } from './progress.js';
import { ensurePostgresImage } from './service-images.js';
import { ensureNetwork } from '../engine/network.js';
import { startPostgres } from '../engine/postgres.js';
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
}

export async function buildScenario(podman: Engine, scenario: Scenario, build: BuildOptions): Promise<ScenarioImages> {
  const opts = { ...build, ...build.config };
  const { dist } = opts;
  const prime = opts.prime ?? scenario.prime;
  const scratch = path.join(opts.cache, 'scratch');
  const zip = await ensureLibertyZip(dist, opts.cache, opts.reporter);
  const unpacked = await ensureLibertyUnpacked(zip, opts.cache, dist, opts.reporter);
  const plainBase = await ensureBaseImage(podman, { scratchDir: scratch, env: opts.env, reporter: opts.reporter });
  const criuBase = opts.baseCriu
    ? {
        ...plainBase,
        ...(await ensureCriuVariant(podman, {
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
          ...(await ensureJdkVariant(podman, {
            baseTag: criuBase.tag,
            baseKey: criuBase.key,
            jdk: opts.jdk,
            reporter: opts.reporter,
          })),
        }
      : criuBase;
  const liberty = await ensureLibertyImage(podman, {
    baseTag: base.tag,
    baseKey: base.key,
    dist,
    unpackedDir: unpacked,
    reporter: opts.reporter,
  });
  const app = await ensureApp(scenario, opts.cache, opts.reporter, opts.rebuild);
  // Images this build replaces (a rebuild, a stale image): removed at the end, so rebuilds leave no dangling gigabytes.
  const replaced = new ReplacedImages();
  const appImage = await ensureAppImage(podman, {
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
  let services: ScenarioImages['services'];
  if (scenario.services.length > 0) {
    services = {
      postgresImage: await ensurePostgresImage(podman, {
        baseTag: plainBase.tag,
        baseKey: plainBase.key,
        reporter: opts.reporter,
      }),
      network: await ensureNetwork(podman),
    };
  }
  const withServices = services
    ? async (): Promise<() => Promise<void>> => {
        const running: Array<{ stop(): Promise<void> }> = [];
        for (const svc of scenario.services) {
          running.push(
            await startPostgres(podman, svc, {
              image: (services as NonNullable<ScenarioImages['services']>).postgresImage,
              network: (services as NonNullable<ScenarioImages['services']>).network,
              session: `build${process.pid}`,
              scenario: scenario.name,
              ...(opts.serviceCpus !== undefined ? { cpus: opts.serviceCpus } : {}),
            }),
          );
        }
        return async () => {
          for (const r of running) await r.stop();
        };
      }
    : undefined;
  const aotCache =
    opts.aotCache || opts.checkpointFromAot
      ? await ensureAotCacheImage(podman, {
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
    checkpoints[phase] = await ensureCheckpointImage(podman, {
      scenario: fromAot ? `${scenario.name}-aotjvm` : scenario.name,
      appTag: fromAot ? fromAot.tag : appImage.tag,
      appKey: fromAot ? `${appImage.key}/${fromAot.tag}/${AOT_RUN_ARGS}` : appImage.key,
      phase,
      env: fromAot ? { ...scenario.env, JVM_ARGS: joinJvmArgs(scenario.env.JVM_ARGS, AOT_RUN_ARGS) } : scenario.env,
      reporter: opts.reporter,
      replaced,
      ...(services ? { network: services.network } : {}),
      ...(withServices ? { withServices } : {}),
      flow: opts.checkpointFlow,
      rebuild: opts.rebuild,
    });
  }
  await replaced.removeUnused(podman, opts.reporter);
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
