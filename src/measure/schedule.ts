/**
 * The order of starts: warmups first, then rounds in which every (scenario, variant) pair
 * runs once, in a seeded random order, so machine drift does not bias one variant and the
 * same seed gives the same plan.
 */
export interface PlannedStart {
  readonly scenario: string;
  readonly variant: string;
  readonly warmup: boolean;
  readonly iteration: number;
}

/** mulberry32: a small, well-known 32-bit PRNG; enough for shuffling a plan. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function planStarts(scenarios: readonly string[], variants: readonly string[], runs: number, warmup: number, seed: number): PlannedStart[] {
  const random = seededRandom(seed);
  const pairs = scenarios.flatMap((scenario) => variants.map((variant) => ({ scenario, variant })));
  const plan: PlannedStart[] = [];
  for (let w = 1; w <= warmup; w += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: true, iteration: w });
  }
  for (let r = 1; r <= runs; r += 1) {
    for (const p of shuffle(pairs, random)) plan.push({ ...p, warmup: false, iteration: r });
  }
  return plan;
}
