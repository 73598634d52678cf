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
