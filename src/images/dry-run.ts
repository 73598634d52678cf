import { aotCacheRepository } from './aot-cache/aot-cache-image.js';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { ImageSource, ServerScenario } from '../scenario/types.js';
import type { CheckpointPhase } from '../scenario/variants.js';
import { cachedApp } from './app/app-build.js';
import { stageAppImage, type AppLayout } from './app/app-image.js';
import { baseImageTag } from './base/base-image.js';
import { exists } from './cache.js';
import { libertyImageTag } from './liberty/liberty-image.js';
import { DEFAULT_LIBERTY, type LibertyDistribution } from './liberty/liberty-dist.js';
import { cachedState, LABEL_MADE_FROM, type CachedState } from './provenance.js';
import { rm } from 'node:fs/promises';

/**
 * `build --dry-run`: what a build would make and why, from the cache alone. Nothing is built,
 * downloaded or run (no Maven, no container): each stage's tag is computed from its inputs as
 * the build computes it and looked up in local storage; once a stage would be made, every
 * stage made from it would be made too.
 */
export interface DryRunStep {
  readonly what: string;
  readonly tag?: string;
  readonly action: 'use' | 'build';
  readonly why: string;
}

/** What a dry run reads. */
export interface PlanOptions {
  readonly cache: string;
  readonly phases: readonly CheckpointPhase[];
  readonly aotCache: boolean;
  readonly rebuild: boolean;
  readonly dist?: LibertyDistribution;
  readonly prime?: boolean;
  readonly builtFlow?: boolean;
}

/** The stack every scenario stands on (the Liberty download, the base and Liberty images), as a dry run sees it. */
export async function planStack(
  engine: Engine,
  opts: PlanOptions,
): Promise<{ steps: DryRunStep[]; libertyHere: boolean; libertyTag: string; libertyKey: string }> {
  const steps: DryRunStep[] = [];
  const dist = opts.dist ?? DEFAULT_LIBERTY;
  const zip = dist.localZip ?? path.join(opts.cache, 'downloads', `${dist.artifactId}-${dist.version}.zip`);
  if (!(await exists(zip)))
    steps.push({ what: `Open Liberty ${dist.version}`, action: 'build', why: `not downloaded yet (${zip})` });
  const { base, baseHere, step } = await planBase(engine);
  steps.push(step);
  const liberty = await libertyImageTag(base.key, dist);
  const libertyHere = baseHere && (await engine.imageExists(liberty.tag));
  steps.push({
    what: 'Liberty image',
    tag: liberty.tag,
    action: libertyHere ? 'use' : 'build',
    why: libertyHere ? 'in local storage' : baseHere ? 'not in local storage' : 'its base image is to be built',
  });
  return { steps, libertyHere, libertyTag: liberty.tag, libertyKey: liberty.key };
}

/** The base image, as a dry run sees it: in local storage, or to be built. */
export async function planBase(engine: Engine) {
  const base = await baseImageTag();
  const baseHere = await engine.imageExists(base.tag);
  const step: DryRunStep = {
    what: 'base image (debootstrap)',
    tag: base.tag,
    action: baseHere ? 'use' : 'build',
    why: baseHere ? 'in local storage' : 'not in local storage',
  };
  return { base, baseHere, step };
}

/** A scenario's own image and the checkpoints made from it, as a dry run sees them. */
export function planOwnImage(name: string, source: ImageSource | undefined, opts: PlanOptions): DryRunStep[] {
  return [
    {
      what: `${name}: the scenario's own image`,
      ...(source?.kind === 'ref' ? { tag: source.ref } : {}),
      action: source?.kind === 'ref' ? 'use' : 'build',
      why:
        source?.kind === 'ref'
          ? 'an existing image (pulled if not in local storage)'
          : `podman build of ${source?.containerfile ?? '?'} (its cache is keyed by the image it is built on, ` +
            'which a dry run does not pull)',
    },
    ...opts.phases.map((phase): DryRunStep => ({
      what: `${name}: ${phase} checkpoint image`,
      action: 'build',
      why: 'made from that image',
    })),
  ];
}

/** The scenario's application as a dry run sees it: its Maven build (a step, when it has one) used or to be made. */
export async function planAppBuild(scenario: ServerScenario, opts: Pick<PlanOptions, 'cache' | 'rebuild'>) {
  const app = await cachedApp(scenario, opts.cache);
  const mavenBuild = app.projectDir !== undefined && (opts.rebuild || !app.complete);
  const step: DryRunStep | undefined =
    app.projectDir === undefined
      ? undefined
      : {
          what: `${scenario.name}: Maven build of ${app.projectDir}`,
          action: mavenBuild ? 'build' : 'use',
          why: opts.rebuild
            ? '--rebuild'
            : app.complete
              ? `sources unchanged (${app.app.warFile})`
              : 'no build of these sources in the cache',
        };
  return { app, mavenBuild, step };
}

/** The tool's own server image of a scenario and what is made from it, as a dry run sees them. */
export async function planServerImages(
  engine: Engine,
  scenario: ServerScenario,
  opts: PlanOptions,
  stack: { libertyHere: boolean; libertyTag: string; libertyKey: string },
  layout?: AppLayout,
): Promise<DryRunStep[]> {
  const steps: DryRunStep[] = [];
  const downstream = (why: string): void => {
    steps.push({ what: `${scenario.name}: app image`, action: 'build', why });
    if (opts.aotCache) steps.push({ what: `${scenario.name}: AOT cache image (training start)`, action: 'build', why });
    for (const phase of opts.phases)
      steps.push({ what: `${scenario.name}: ${phase} checkpoint image`, action: 'build', why });
  };
  const { app, mavenBuild, step } = await planAppBuild(scenario, opts);
  if (step) steps.push(step);
  if (!stack.libertyHere || mavenBuild) {
    downstream(!stack.libertyHere ? 'the Liberty image is to be built' : 'the application is to be built');
    return steps;
  }
  const scratch = path.join(opts.cache, 'scratch', `dry-run-${process.pid}`);
  const staged = await stageAppImage({
    scenario,
    app: app.app,
    libertyKey: stack.libertyKey,
    scratchDir: scratch,
    prime: opts.prime ?? scenario.prime,
    ...(layout ? { layout } : {}),
  });
  await rm(scratch, { recursive: true, force: true });
  const appState = await cachedState(engine, staged.tag, stack.libertyTag);
  if (opts.rebuild || appState.state !== 'current') {
    downstream(
      opts.rebuild
        ? '--rebuild'
        : appState.state === 'missing'
          ? `no app image ${staged.tag} yet`
          : `the app image ${staged.tag} is stale (${staleWhy(appState)})`,
    );
    return steps;
  }
  steps.push({
    what: `${scenario.name}: app image`,
    tag: staged.tag,
    action: 'use',
    why: 'in local storage, made from the current Liberty image',
  });
  const appId = await engine.imageId(staged.tag);
  const derived = async (what: string, repository: string): Promise<void> => {
    steps.push(await derivedStep(engine, appId, what, repository));
  };
  if (opts.aotCache) await derived(`${scenario.name}: AOT cache image`, aotCacheRepository(scenario.name));
  for (const phase of opts.phases)
    await derived(
      `${scenario.name}: ${phase} checkpoint image`,
      `localhost/instanton-bench/${scenario.name}-instanton-${phase.toLowerCase()}${opts.builtFlow ? '-built' : ''}`,
    );
  return steps;
}

/** An image made from the app image (its AOT cache, a checkpoint): used when one was made from the current one. */
export async function derivedStep(
  engine: Engine,
  appId: string,
  what: string,
  repository: string,
): Promise<DryRunStep> {
  const tags = await engine.imageTagsOf(repository);
  for (const tag of tags)
    if ((await engine.imageLabels(tag))[LABEL_MADE_FROM] === appId)
      return { what, tag, action: 'use', why: `made from the current app image ${appId.slice(0, 12)}` };
  return {
    what,
    action: 'build',
    why:
      tags.length > 0
        ? `${tags.length} image(s) of ${repository} exist, none made from the current app image (stale)`
        : 'none in local storage',
  };
}

function staleWhy(s: CachedState): string {
  return s.state === 'stale' && s.madeFrom
    ? `made from image ${s.madeFrom.slice(0, 12)}, not the current Liberty image`
    : 'no record of the image it was made from: made by an earlier version';
}

export function formatDryRun(steps: readonly DryRunStep[]): string[] {
  return steps.map((s) => `${s.action === 'use' ? 'use  ' : 'build'} ${s.what}${s.tag ? ` ${s.tag}` : ''}: ${s.why}`);
}

/** A scenario's dry run as `build --dry-run` prints it, and how many of its steps would build. */
export function planLines(
  name: string,
  baseCriu: string | undefined,
  steps: readonly DryRunStep[],
): { lines: string[]; toBuild: number } {
  return {
    lines: [
      `# ${name}` +
        `${baseCriu ? ` (base CRIU from ${baseCriu}: not planned here, built on top of the base image)` : ''}`,
      ...formatDryRun(steps),
    ],
    toBuild: steps.filter((st) => st.action === 'build').length,
  };
}
