import { SERVER_CONFIG_DIR } from '../../core/container-paths.js';
import { LABEL_CACHE_BYTES, LABEL_TRAINING_MS } from '../image-labels.js';
import { readFile } from 'node:fs/promises';
import { BuildError } from '../../core/errors.js';
import type { Engine } from '../../engine/engine.js';
import { LABEL_TOOL } from '../../engine/labels.js';
import { freePort } from '../../core/free-port.js';
import { pollFirstResponse } from '../../core/http-probe.js';
import { watchOutput } from '../../verify/output-watch.js';
import { readySignalOf } from '../../verify/ready-signal.js';
import { AOT_CACHE_FILE, AOT_RUN_ARGS } from '../../core/container-paths.js';
import type { ServerScenario } from '../../scenario/types.js';
import { hashText, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { joinJvmArgs } from '../../scenario/jvm-args.js';
import { cachedState, describeStale, LABEL_MADE_FROM, type ReplacedImages } from '../provenance.js';

/**
 * The JDK's own startup accelerator beside InstantOn: an ahead-of-time cache (JEP 483, made in
 * one step by JEP 514's -XX:AOTCacheOutput, JDK 25), trained at build time by one start of
 * the app image with a request to the scenario's first-response URL, then a normal stop
 * (the cache is written only when the training JVM exits normally: it launches a child JVM
 * that assembles the cache). Every start of the variant runs with -XX:AOTMode=on (the JVM
 * refuses to start when it cannot use the cache) and logs the cache's mapping to a file the
 * harness reads as evidence.
 */

export const AOT_RECIPE_VERSION = '1';
/** The first JDK whose java takes -XX:AOTCacheOutput (JEP 514). */
export const AOT_MIN_JDK = 25;
const TRAINING_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_S = 300;
/** The server's jvm.options in the image (the training start adds its flags there). */
const JVM_OPTIONS = `${SERVER_CONFIG_DIR}/jvm.options`;

/** Where a scenario's AOT cache images are tagged (each one's label says the image it was trained on). */
export const aotCacheRepository = (scenario: string): string => `localhost/instanton-bench/${scenario}-aotcache`;

export interface AotCacheImage {
  readonly tag: string;
  /** Size of the cache file the JVM reported when it wrote it. */
  readonly cacheBytes: number;
  /** Bytes the image adds to the app image (the cache, the training start's work area changes). */
  readonly addedBytes: number;
  /** Launch of the training container to its exit after writing the cache. */
  readonly trainingMs: number;
  readonly built: boolean;
}

/** The -Xshare options of a jvm.options text: -XX:AOTCacheOutput refuses every one of them. */
export function xshareOptions(jvmOptions: string): string[] {
  return jvmOptions
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^-Xshare:/.test(l));
}

/**
 * The training container's command: drop `-Xshare:auto` from jvm.options (the JVM's default
 * anyway, and refused next to -XX:AOTCacheOutput), then the image's own entrypoint.
 */
function trainingScript(): string {
  return (
    `if [ -f ${JVM_OPTIONS} ]; then sed -i '/^-Xshare:auto$/d' ${JVM_OPTIONS}; fi && mkdir -p /opt/ib/aot && ` +
    `exec /usr/bin/dumb-init -- /opt/ib/entrypoint.sh`
  );
}

export async function ensureAotCacheImage(
  engine: Engine,
  opts: {
    scenario: ServerScenario;
    appTag: string;
    appKey: string;
    reporter: BuildReporter;
    network?: string;
    withServices?: () => Promise<() => Promise<void>>;
    rebuild?: boolean;
    replaced: ReplacedImages;
  },
): Promise<AotCacheImage> {
  const { scenario } = opts;
  await refuseXshare(scenario);
  const key = hashText(opts.appKey, AOT_RECIPE_VERSION, AOT_RUN_ARGS);
  const tag = `${aotCacheRepository(scenario.name)}:${shortKey(key)}`;
  const appSize = await engine.imageSizeBytes(opts.appTag);
  const cached = await cachedState(engine, tag, opts.appTag);
  if (!opts.rebuild && cached.state === 'current') return cachedAotImage(engine, tag, appSize);
  if (cached.state === 'stale' && !opts.rebuild)
    opts.reporter.step(describeStale(`${scenario.name}: AOT cache image`, tag, cached));
  await opts.replaced.remember(engine, tag);
  const appId = await engine.imageId(opts.appTag);
  opts.reporter.step(
    `${scenario.name}: AOT cache (one training start with -XX:AOTCacheOutput, a request to ` +
      `${scenario.firstResponse.path}, a normal stop)`,
  );
  const name = `ib-aot-train-${scenario.name}-${process.pid}`;
  await engine.removeContainer(name);
  const port = await freePort();
  const stopServices = opts.withServices ? await opts.withServices() : undefined;
  const started = Date.now();
  try {
    const child = engine.runAttached({
      name,
      image: appId,
      labels: { [LABEL_TOOL]: 'aot-training' },
      publish: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: scenario.httpPort }],
      // The training start runs the workload as a cold start does, with the variables restores and cold starts get
      // (a database password among them); the image it makes keeps none of their values (below).
      env: {
        ...scenario.env,
        ...scenario.restoreEnv,
        JVM_ARGS: joinJvmArgs(scenario.env.JVM_ARGS, `-XX:AOTCacheOutput=${AOT_CACHE_FILE}`),
      },
      entrypoint: 'bash',
      ...(opts.network ? { network: { name: opts.network } } : {}),
      command: ['-c', trainingScript()],
    });
    const watch = watchOutput(child, readySignalOf(scenario));
    await driveTraining(engine, { name, child, watch, port, scenario });
    const trainingMs = Date.now() - started;
    const written = watch.output
      .map((l) => /AOTCache creation is complete: (\S+) (\d+) bytes/.exec(l))
      .find((m) => m && m[1] === AOT_CACHE_FILE);
    if (!written)
      throw trainingError(
        scenario.name,
        `the training JVM did not report writing ${AOT_CACHE_FILE} ("AOTCache creation is complete")`,
        watch.output,
      );
    const cacheBytes = Number(written[2]);
    await engine.commitContainer(name, tag, [
      // A commit keeps the container's environment: the values given for the training only are emptied.
      ...Object.keys(scenario.restoreEnv).map((k) => `ENV ${k}=`),
      `LABEL ${LABEL_TOOL}=aot-cache`,
      `LABEL ${LABEL_MADE_FROM}=${appId}`,
      `LABEL ${LABEL_CACHE_BYTES}=${cacheBytes}`,
      `LABEL ${LABEL_TRAINING_MS}=${trainingMs}`,
    ]);
    const addedBytes = (await engine.imageSizeBytes(tag)) - appSize;
    opts.reporter.done(
      `${scenario.name}: AOT cache image ${tag} (cache ${(cacheBytes / 1024 ** 2).toFixed(0)} MiB, image ` +
        `+${(addedBytes / 1024 ** 2).toFixed(0)} MiB)`,
      trainingMs,
    );
    return { tag, cacheBytes, addedBytes, trainingMs, built: true };
  } finally {
    await engine.removeContainer(name);
    if (stopServices) await stopServices();
  }
}

/**
 * The training start, driven: ready (CWWKF0011I, or a plain JVM's ready line), the scenario's first response, then a
 * normal stop (SIGTERM to dumb-init: the server stops, the JVM exits and assembles the cache), within TRAINING_TIMEOUT_MS.
 */
async function driveTraining(
  engine: Engine,
  t: {
    name: string;
    child: ReturnType<Engine['runAttached']>;
    watch: ReturnType<typeof watchOutput>;
    port: number;
    scenario: ServerScenario;
  },
): Promise<void> {
  const { name, child, watch, port, scenario } = t;
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), TRAINING_TIMEOUT_MS);
  try {
    const ended = await Promise.race([
      watch.ready.then(() => 'ready' as const),
      child.exited.then(() => 'exited' as const),
      new Promise<'timeout'>((r) => abort.signal.addEventListener('abort', () => r('timeout'))),
    ]);
    if (ended !== 'ready')
      throw trainingError(
        scenario.name,
        `the training start ${ended === 'exited' ? 'exited' : 'timed out'} before ${readySignalOf(scenario).name}`,
        watch.output,
      );
    const url = `http://127.0.0.1:${port}${scenario.firstResponse.path}`;
    const response = await pollFirstResponse(
      {
        url,
        expectStatus: scenario.firstResponse.expectStatus,
        ...(scenario.firstResponse.expectBodyContains !== undefined
          ? { expectBodyContains: scenario.firstResponse.expectBodyContains }
          : {}),
      },
      abort.signal,
    );
    if (!response)
      throw trainingError(
        scenario.name,
        `no ${scenario.firstResponse.expectStatus} from ${url} during training`,
        watch.output,
      );
    // A normal stop: SIGTERM to dumb-init, Liberty stops, the JVM exits and assembles the cache.
    await engine.stopContainer(name, STOP_TIMEOUT_S);
    // The grace timer is cleared once the container exits: a pending timer would keep the process alive for minutes
    // after its work.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([child.exited, new Promise((r) => (grace = setTimeout(r, (STOP_TIMEOUT_S + 30) * 1000)))]);
    clearTimeout(grace);
    await watch.done;
  } finally {
    clearTimeout(timeout);
  }
}

/** The AOT cache image in the cache, with the figures its labels recorded when it was trained. */
async function cachedAotImage(engine: Engine, tag: string, appSize: number): Promise<AotCacheImage> {
  const labels = await engine.imageLabels(tag);
  return {
    tag,
    cacheBytes: Number(labels[LABEL_CACHE_BYTES] ?? 'NaN'),
    trainingMs: Number(labels[LABEL_TRAINING_MS] ?? 'NaN'),
    addedBytes: (await engine.imageSizeBytes(tag)) - appSize,
    built: false,
  };
}

/** -Xshare options other than the default in the scenario's jvm.options: the JVM refuses them next to the training. */
async function refuseXshare(scenario: ServerScenario): Promise<void> {
  const jvmOptions = scenario.server.jvmOptions ? await readFile(scenario.server.jvmOptions, 'utf8') : '';
  const other = xshareOptions(jvmOptions).filter((o) => o !== '-Xshare:auto');
  if (other.length > 0) {
    throw new BuildError(
      `${scenario.name}: jvm.options sets ${other.join(', ')}, which the JVM refuses next to -XX:AOTCacheOutput`,
      "drop it from the scenario's jvm.options to measure the aotCache variant (the JVM's default is -Xshare:auto)",
    );
  }
}

function trainingError(scenario: string, what: string, output: readonly string[]): BuildError {
  return new BuildError(
    `AOT cache training of ${scenario} failed: ${what}\n${output
      .slice(-15)
      .map((l) => `  | ${l}`)
      .join('\n')}`,
    "see the JVM's own lines above; the aotCache variant needs a JDK >= 25 in the base image and a server that stops " +
      'normally',
  );
}
