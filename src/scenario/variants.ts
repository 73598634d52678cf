import { UsageError } from '../core/errors.js';

/**
 * Variants of a scenario: `cold` (no checkpoint) and one InstantOn variant per Liberty
 * checkpoint phase. The 2022 beta's names are accepted and mapped, with a warning.
 */
export const CHECKPOINT_PHASES = ['beforeAppStart', 'afterAppStart'] as const;
export type CheckpointPhase = (typeof CHECKPOINT_PHASES)[number];
/** `aotCache`: a cold start with the JDK's ahead-of-time cache trained at build time (JEP 483/514). */
export const AOT_CACHE_VARIANT = 'aotCache';
export const VARIANTS = ['cold', AOT_CACHE_VARIANT, ...CHECKPOINT_PHASES] as const;
export type Variant = (typeof VARIANTS)[number];
export const DEFAULT_VARIANTS: readonly Variant[] = ['cold', 'beforeAppStart', 'afterAppStart'];

const BETA_NAMES: Readonly<Record<string, CheckpointPhase>> = {
  deployment: 'beforeAppStart',
  applications: 'afterAppStart',
};

export const isAotCache = (v: string): v is typeof AOT_CACHE_VARIANT => v === AOT_CACHE_VARIANT;

export function isCheckpointPhase(v: string): v is CheckpointPhase {
  return (CHECKPOINT_PHASES as readonly string[]).includes(v);
}

/**
 * What each variant is, in one table: which image its starts run, what every start must prove, whether it is the
 * baseline the others are compared to, what its checkpoint holds. Nothing else in the code asks which variant it
 * holds; it asks the variant's recipe. A new variant is a name in VARIANTS and a row here.
 */
export interface VariantRecipe {
  /** The image its starts run: the app image, the app image with its AOT cache, or a checkpoint image. */
  readonly image: 'app' | 'aot-cache' | 'checkpoint';
  /** The checkpoint phase its image was taken at (checkpoint variants). */
  readonly phase?: CheckpointPhase;
  /** What every start must prove besides ready: a verified CRIU restore, the AOT cache mapped, or nothing. */
  readonly proves: 'restore' | 'aot-cache' | 'nothing';
  /** The start the others are compared to (speedups, the plan's cold start, a clean cold state). */
  readonly baseline: boolean;
  /** The checkpoint holds a started application (its CWWKZ0001I logged before the checkpoint). */
  readonly appStartedInCheckpoint: boolean;
}

export const VARIANT_RECIPES: Readonly<Record<Variant, VariantRecipe>> = {
  cold: { image: 'app', proves: 'nothing', baseline: true, appStartedInCheckpoint: false },
  aotCache: { image: 'aot-cache', proves: 'aot-cache', baseline: false, appStartedInCheckpoint: false },
  beforeAppStart: {
    image: 'checkpoint',
    phase: 'beforeAppStart',
    proves: 'restore',
    baseline: false,
    appStartedInCheckpoint: false,
  },
  afterAppStart: {
    image: 'checkpoint',
    phase: 'afterAppStart',
    proves: 'restore',
    baseline: false,
    appStartedInCheckpoint: true,
  },
};

/** A variant's recipe; a name that is not a variant (a results file from elsewhere) has none. */
export const recipeOf = (v: string): VariantRecipe | undefined => VARIANT_RECIPES[v as Variant];
/** Its starts are restores that must be verified. */
export const provesRestore = (v: string): boolean => recipeOf(v)?.proves === 'restore';
/** The baseline the other variants are compared to. */
export const isBaselineVariant = (v: string): boolean => recipeOf(v)?.baseline === true;
/** The baseline variant's name (speedups are against its starts). */
export const BASELINE_VARIANT: Variant = VARIANTS.find((v) => VARIANT_RECIPES[v].baseline) as Variant;
/** The checkpoint phases these variants need images of. */
export const checkpointPhasesOf = (variants: readonly string[]): CheckpointPhase[] =>
  variants.flatMap((v) => (recipeOf(v)?.phase ? [recipeOf(v)!.phase!] : []));
/** These variants need the AOT cache image. */
export const needsAotCache = (variants: readonly string[]): boolean =>
  variants.some((v) => recipeOf(v)?.image === 'aot-cache');
/** The checkpoint phase a text names (a label, a Containerfile line), if it names one. */
export const checkpointPhaseNamed = (text: string): CheckpointPhase | undefined =>
  isCheckpointPhase(text) ? text : undefined;
/** The recipe of a phase's variant. */
export const phaseRecipe = (phase: CheckpointPhase): VariantRecipe => VARIANT_RECIPES[phase];

export interface ParsedVariants {
  readonly variants: Variant[];
  readonly warnings: string[];
}

export function parseVariantList(text: string | undefined): ParsedVariants {
  if (text === undefined) return { variants: [...DEFAULT_VARIANTS], warnings: [] };
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--variants is empty', `pass one or more of: ${VARIANTS.join(', ')}`);
  const variants: Variant[] = [];
  const warnings: string[] = [];
  for (const name of names) {
    if (name === 'features') {
      throw new UsageError(
        'variant "features" was a checkpoint phase of the 2022 InstantOn beta only; Open Liberty removed it in ' +
          '23.0.0.2-beta',
        'use beforeAppStart (the closest current phase) or afterAppStart',
      );
    }
    const mapped = BETA_NAMES[name];
    if (mapped) {
      warnings.push(`variant "${name}" is the 2022 beta name of ${mapped}; measuring ${mapped}`);
      variants.push(mapped);
      continue;
    }
    if (!(VARIANTS as readonly string[]).includes(name)) {
      throw new UsageError(`unknown variant "${name}"`, `use one or more of: ${VARIANTS.join(', ')} (comma-separated)`);
    }
    variants.push(name as Variant);
  }
  return { variants: [...new Set(variants)], warnings };
}

/** Rank of a variant in reports: cold first, the AOT cache, then the phases in restore order; unknown names last. */
export function variantRank(variant: string): number {
  const i = (VARIANTS as readonly string[]).indexOf(variant);
  return i < 0 ? VARIANTS.length : i;
}
