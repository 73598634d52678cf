import { BuildError } from '../core/errors.js';
import type { Engine } from '../engine/engine.js';
import type { ScenarioImages } from '../images/stack.js';
import { measureAotCacheStart } from '../measure/aot-start.js';
import { measureInstantOnStart } from '../measure/instanton-start.js';
import { measureStart } from '../measure/one-start.js';
import { type StartSpec } from '../measure/start-parts.js';
import type { RunConfig, RunRecord } from '../results/types.js';
import { joinJvmArgs } from '../scenario/jvm-args.js';
import { VARIANT_RECIPES, type Variant } from '../scenario/variants.js';
import { guestStartWithForecast } from './guest-forecast.js';

/** The image a start of this variant runs, as its recipe says: the app image, its AOT cache image or a checkpoint. */
export function startImageOf(variant: Variant, img: ScenarioImages, scenario: string): string {
  const recipe = VARIANT_RECIPES[variant];
  if (recipe.image === 'checkpoint') {
    const checkpoint = recipe.phase ? img.checkpoints[recipe.phase] : undefined;
    if (!checkpoint)
      throw new BuildError(
        `no ${variant} checkpoint image for ${scenario}`,
        `rerun the run: it builds the checkpoint image when --variants names ${variant}`,
      );
    return checkpoint.tag;
  }
  // Never measure the plain image under the aotCache name: its image was built with the run's variants.
  if (recipe.image === 'aot-cache') {
    if (!img.aotCache)
      throw new BuildError(
        `no AOT cache image for ${scenario}`,
        'rerun the run: it builds the aotCache image when --variants names aotCache',
      );
    return img.aotCache.tag;
  }
  return img.appImage;
}

/**
 * One start as its variant's recipe says: a restore that must prove itself (here, or inside a guest with
 * run --restore-on), a start that must prove its AOT cache mapped, or a cold start (from a clean work area when the
 * run or the arm asks for one).
 */
export async function measureVariantStart(
  engine: Engine,
  spec: Omit<StartSpec, 'collect'> & { readonly variant: Variant },
  ctx: { config: RunConfig; clean: boolean; onStep: (text: string) => void },
): Promise<RunRecord> {
  const { config } = ctx;
  const recipe = VARIANT_RECIPES[spec.variant];
  if (recipe.proves === 'restore' && config.restoreOn !== undefined)
    return guestStartWithForecast(engine, config.restoreOn, spec.image, {
      scenario: spec.scenario,
      variant: spec.variant,
      iteration: spec.iteration,
      warmup: spec.warmup,
      serverCpus: config.serverCpus,
      signal: spec.abort,
      onStep: ctx.onStep,
    });
  if (recipe.proves === 'restore')
    return measureInstantOnStart(engine, spec, {
      mode: config.restoreMode,
      strict: config.strict,
      ...(config.restoreHost !== undefined ? { restoreHost: config.restoreHost } : {}),
    });
  if (recipe.proves === 'aot-cache') return measureAotCacheStart(engine, spec);
  const clean = recipe.baseline && ctx.clean;
  return (
    await measureStart(engine, {
      ...spec,
      ...(clean
        ? {
            workArea: 'clean' as const,
            extraEnv: { IB_CLEAN_START: 'true', JVM_ARGS: joinJvmArgs(spec.scenario.env.JVM_ARGS, '-Xshare:off') },
          }
        : {}),
    })
  ).record;
}
