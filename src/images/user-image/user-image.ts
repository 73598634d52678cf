import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError, EngineError, ScenarioError } from '../../core/errors.js';
import { buildLogDir, pruneOldest } from '../../core/kept-logs.js';
import { CHECKPOINT_BUILD_PRIVILEGE } from '../../engine/capabilities.js';
import type { Engine } from '../../engine/engine.js';
import { IMAGE_BUILD_TIMEOUT_MS } from '../../engine/podman-containers.js';
import type { ImageBase, ImageSource, Scenario } from '../../scenario/types.js';
import { checkpointPhaseNamed, type CheckpointPhase } from '../../scenario/variants.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import { OPEN_LIBERTY_REPOSITORY } from '../base/open-liberty-image.js';
import type { BuildReporter } from '../progress.js';
import { cachedState, describeStale, madeFromLabel, type ReplacedImages } from '../provenance.js';
import { makeDirs } from '../../core/output-paths.js';

/** A pull that gets no answer is cut here: an unreachable registry fails in a minute, never in podman's retries. */
export const PULL_TIMEOUT_MS = 60_000;
/** Bumped when the way a user's image is built changes. */
const USER_IMAGE_RECIPE_VERSION = '1';

/** The user's image as the run measures it. */
export interface UserImage {
  /** What the run starts for the image as built (a Containerfile's build, or the reference). */
  readonly tag: string;
  readonly built: boolean;
  /** What the image was built on: its FROM image, or the local base. */
  readonly builtOn: string;
  readonly base: ImageBase | 'ref';
  /** The checkpoint phase the image itself holds (its Containerfile ran `checkpoint.sh PHASE`), if any. */
  readonly heldCheckpoint?: CheckpointPhase;
  readonly libertyVersion: string;
}

/** The image a Containerfile's first FROM names, its ARGs filled from the defaults and the build's arguments. */
export function firstFromImage(text: string, buildArgs: Readonly<Record<string, string>>): string | undefined {
  const args = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/i.exec(line);
    if (arg) {
      const name = arg[1] as string;
      args.set(name, buildArgs[name] ?? (arg[2] ?? '').replace(/^["']|["']$/g, ''));
      continue;
    }
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(line);
    if (from)
      return (from[1] as string).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, n: string) => args.get(n) ?? '');
  }
  return undefined;
}

/** The phase a `RUN checkpoint.sh PHASE` step of the image's history names (newest first), if any. */
export function checkpointPhaseInHistory(history: readonly string[]): CheckpointPhase | undefined {
  for (const step of history) {
    const m = /checkpoint\.sh\s+"?([A-Za-z]+)/.exec(step);
    const phase = m ? checkpointPhaseNamed(m[1] as string) : undefined;
    if (phase) return phase;
  }
  return undefined;
}

/** Make sure an image is in local storage: pulled (within PULL_TIMEOUT_MS) when it is not. */
export async function ensurePulled(
  engine: Engine,
  ref: string,
  field: { file: string; name: string; field: string },
  reporter: BuildReporter,
): Promise<void> {
  if (await engine.imageExists(ref)) return;
  // localhost/... names local storage, not a registry: there is nothing to pull it from.
  if (ref.startsWith('localhost/'))
    throw new ScenarioError(
      `${field.file}: ${field.field}: ${ref} is not in local storage (podman images lists what is)`,
      'build or load that image first (podman build -t / podman load), or correct the name',
    );
  const started = Date.now();
  reporter.step(`${field.name}: pulling ${ref}`);
  const pull = await engine.pullImage(ref, PULL_TIMEOUT_MS);
  if (pull.ok) {
    reporter.done(`${field.name}: pulled ${ref}`, Date.now() - started);
    return;
  }
  const registry = ref.includes('/') ? (ref.split('/')[0] as string) : 'docker.io';
  // A registry that answers "no such image" is a wrong name (bad input); no answer is this host's network.
  if (/manifest unknown|not found|name unknown|repository does not exist|no such image/i.test(pull.error))
    throw new ScenarioError(
      `${field.file}: ${field.field}: ${ref}: ${registry} has no such image (${pull.error})`,
      'correct the image name or tag',
    );
  throw new EngineError(
    `cannot pull ${ref} from ${registry}: ${pull.error}`,
    `pull it on a host that reaches ${registry} and bring it here (podman save ${ref} -o image.tar; podman load -i ` +
      'image.tar), or build on the local InstantOn base: --base local',
  );
}

/** The Open Liberty version inside an image (lib/versions/openliberty.properties). */
async function libertyVersionOf(engine: Engine, image: string): Promise<string> {
  const found = await engine.cachedProbe(await engine.imageId(image), 'liberty-version', async () => {
    const out = await engine.runOnce({
      image,
      purpose: 'probe',
      entrypoint: 'cat',
      args: ['/opt/ol/wlp/lib/versions/openliberty.properties'],
    });
    return /productVersion=(\S+)/.exec(out.stdout)?.[1];
  });
  return found ?? 'unknown';
}

/** The lines of a failed build a user needs: podman's own error lines and the step that failed. */
export function failedBuildSummary(lines: readonly string[]): { step: string | undefined; errors: string[] } {
  let at = -1;
  lines.forEach((l, i) => {
    if (/^STEP \d+\/\d+:/.test(l)) at = i;
  });
  // What the failed step printed (its own error lines) and podman's verdict, the last of them.
  const errors = (at >= 0 ? lines.slice(at + 1) : lines).slice(-12);
  return { step: at >= 0 ? lines[at] : undefined, errors };
}

/** podman build of the user's Containerfile, unchanged, its whole output kept in a named log. */
async function buildContainerfile(
  engine: Engine,
  scenario: Scenario,
  source: Extract<ImageSource, { kind: 'containerfile' }>,
  opts: {
    tag: string;
    from?: string;
    parentRef: string;
    text: string;
    noCache: boolean;
    network?: string;
    reporter: BuildReporter;
  },
): Promise<void> {
  await makeDirs(buildLogDir());
  await pruneOldest(buildLogDir());
  const log = path.join(buildLogDir(), `${scenario.name}-image-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  await writeFile(log, `# podman build of ${source.containerfile} (context ${source.context})\n`);
  const pending: string[] = [];
  const r = await engine.buildImage({
    context: source.context,
    file: source.containerfile,
    tag: opts.tag,
    buildArgs: source.buildArgs,
    labels: await madeFromLabel(engine, opts.parentRef),
    // A `RUN checkpoint.sh PHASE` step needs what Open Liberty's docs give podman build for it.
    ...(/checkpoint\.sh/.test(opts.text) ? { privilege: CHECKPOINT_BUILD_PRIVILEGE } : {}),
    ...(opts.from ? { from: opts.from } : {}),
    ...(opts.network ? { network: opts.network } : {}),
    noCache: opts.noCache,
    timeoutMs: IMAGE_BUILD_TIMEOUT_MS,
    onLine: (line) => {
      pending.push(line);
      opts.reporter.detail(line);
    },
  });
  await appendFile(log, `${pending.join('\n')}\n`);
  if (r.exitCode === 0 && !r.timedOut) return;
  const { step, errors } = failedBuildSummary(pending);
  throw new BuildError(
    `podman build of ${source.containerfile} failed (${r.timedOut ? 'timed out' : `exit code ${r.exitCode}`})` +
      `${step ? ` at ${step}` : ''}:\n${errors.map((l) => `  | ${l}`).join('\n')}\nthe whole output is in ${log}`,
    'fix the step above in the Containerfile; rerun with --verbose to see the build as it runs',
  );
}

/**
 * The scenario's own image: its Containerfile built unchanged (on its FROM image, pulled if needed, or on the local
 * InstantOn base with `podman build --from`), or an existing image. Cached by the Containerfile, the context, the
 * build arguments, the application and the ID of the image it is built on.
 */
export async function ensureUserImage(
  engine: Engine,
  scenario: Scenario & { readonly image: ImageSource },
  opts: {
    /** --base: overrides the scenario's image.base. */
    base?: ImageBase;
    /** The local InstantOn base's tag, built on demand. */
    localBase: () => Promise<string>;
    appSha256: string;
    reporter: BuildReporter;
    replaced: ReplacedImages;
    rebuild: boolean;
    network?: string;
  },
): Promise<UserImage> {
  const source = scenario.image;
  if (source.kind === 'ref') return referencedImage(engine, scenario, source.ref, opts.reporter);
  const { text, base, parentRef } = await parentOf(engine, scenario, source, opts);
  const key = hashText(
    USER_IMAGE_RECIPE_VERSION,
    text,
    await hashTree(source.context),
    JSON.stringify(source.buildArgs),
    base,
    await engine.imageId(parentRef),
    opts.appSha256,
  );
  const tag = `localhost/instanton-bench/${scenario.name}-image:${shortKey(key)}`;
  const cached = await cachedState(engine, tag, parentRef);
  let built = false;
  if (opts.rebuild || cached.state !== 'current') {
    if (cached.state === 'stale' && !opts.rebuild)
      opts.reporter.step(describeStale(`${scenario.name}: image`, tag, cached));
    await opts.replaced.remember(engine, tag);
    const started = Date.now();
    opts.reporter.step(
      `${scenario.name}: podman build of ${path.relative(scenario.dir, source.containerfile) || source.containerfile}` +
        `${base === 'local' ? ` on the local InstantOn base (${parentRef})` : ` on ${parentRef}`}`,
    );
    await buildContainerfile(engine, scenario, source, {
      tag,
      ...(base === 'local' ? { from: parentRef } : {}),
      parentRef,
      text,
      noCache: opts.rebuild || cached.state === 'stale',
      ...(opts.network ? { network: opts.network } : {}),
      reporter: opts.reporter,
    });
    opts.reporter.done(`${scenario.name}: image ${tag} built`, Date.now() - started);
    built = true;
  }
  const held = checkpointPhaseInHistory(await engine.imageHistory(tag));
  return {
    tag,
    built,
    builtOn: parentRef,
    base,
    ...(held ? { heldCheckpoint: held } : {}),
    libertyVersion: await libertyVersionOf(engine, tag),
  };
}

/** An existing image the scenario names: pulled if needed, and the checkpoint its history says it holds. */
async function referencedImage(
  engine: Engine,
  scenario: Scenario,
  ref: string,
  reporter: BuildReporter,
): Promise<UserImage> {
  await ensurePulled(engine, ref, pullField(scenario, 'image.ref'), reporter);
  const held = checkpointPhaseInHistory(await engine.imageHistory(ref));
  return {
    tag: ref,
    built: false,
    builtOn: ref,
    base: 'ref',
    ...(held ? { heldCheckpoint: held } : {}),
    libertyVersion: await libertyVersionOf(engine, ref),
  };
}

/** The image a Containerfile is built on: its FROM (pulled if needed), or the local InstantOn base. */
async function parentOf(
  engine: Engine,
  scenario: Scenario,
  source: Extract<ImageSource, { kind: 'containerfile' }>,
  opts: { base?: ImageBase; localBase: () => Promise<string>; reporter: BuildReporter },
): Promise<{ text: string; base: ImageBase; parentRef: string }> {
  const text = await readFile(source.containerfile, 'utf8');
  const from = firstFromImage(text, source.buildArgs);
  if (!from)
    throw new ScenarioError(
      `${scenario.file}: image.containerfile: ${source.containerfile} has no FROM line the build can read`,
      'start it with FROM IMAGE',
    );
  // A FROM naming the local base itself builds on it (made on demand, as `build --base` makes it).
  const base = from.startsWith(`${OPEN_LIBERTY_REPOSITORY}:`) ? 'local' : (opts.base ?? source.base);
  let parentRef: string;
  if (base === 'local') parentRef = await opts.localBase();
  else {
    await ensurePulled(engine, from, pullField(scenario, 'image.containerfile (its FROM)'), opts.reporter);
    parentRef = from;
  }
  return { text, base, parentRef };
}

function pullField(scenario: Scenario, field: string): { file: string; name: string; field: string } {
  return { file: scenario.file, name: scenario.name, field };
}
