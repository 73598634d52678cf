import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import { type ImageBase, type ImageSource, type Scenario } from '../scenario/types.js';
import { ensureOpenLibertyImage, type OpenLibertyImage } from './base/open-liberty-image.js';
import { ensureBaseImage } from './base/base-image.js';
import { ensureCriuVariant } from './base/criu-variant.js';
import { type CheckpointImage } from './checkpoint/checkpoint-shared.js';
import type { CheckpointPhase } from '../scenario/variants.js';
import { ensureLibertyImage } from './liberty/liberty-image.js';
import { type AotCacheImage } from './aot-cache/aot-cache-image.js';
import { ensureJdkVariant } from './base/jdk-variant.js';
import { ensureLibertyUnpacked, ensureLibertyZip } from './liberty/liberty-dist.js';
import type { BuildConfig } from './build-config.js';
import type { BuildReporter } from './progress.js';
import { ensurePostgresImage } from './app/service-images.js';
import { ensureNetwork } from '../engine/network.js';
import { startPostgres } from '../services/postgres.js';

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
export async function ensureLibertyStack(engine: Engine, opts: BuildOptions & BuildConfig) {
  const { dist } = opts;
  const zip = await ensureLibertyZip(dist, opts.cache, opts.reporter);
  const unpacked = await ensureLibertyUnpacked(zip, opts.cache, dist, opts.reporter);
  const { plainBase, base } = await ensureJdkBase(engine, opts);
  const liberty = await ensureLibertyImage(engine, {
    baseTag: base.tag,
    baseKey: base.key,
    dist,
    unpackedDir: unpacked,
    reporter: opts.reporter,
  });
  return { plainBase, base, liberty };
}

/** The base image and the variant of it the build asks for (another CRIU, another JDK): what a JVM runs on. */
export async function ensureJdkBase(engine: Engine, opts: BuildOptions & BuildConfig) {
  const scratch = path.join(opts.cache, 'scratch');
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
  return { plainBase, base };
}

/** The scenario's services (PostgreSQL): their image and network, and how to start them for a build step. */
export async function scenarioServices(
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
