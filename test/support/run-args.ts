/**
 * The `run` arguments the suites repeat: the scenarios, the variants, how many starts, where the results go, and
 * whatever else the test is about (`extra`, placed before --out). Defaults: one measured start, no warm-up: the
 * fewest starts that prove a point.
 */
export function runArgs(o: {
  readonly scenario: string | readonly string[];
  readonly variants: string;
  readonly out: string;
  readonly runs?: number;
  readonly warmup?: number;
  readonly extra?: readonly string[];
}): string[] {
  const scenarios = typeof o.scenario === 'string' ? [o.scenario] : o.scenario;
  return [
    'run',
    ...scenarios.flatMap((s) => ['--scenario', s]),
    '--variants',
    o.variants,
    '--runs',
    String(o.runs ?? 1),
    '--warmup',
    String(o.warmup ?? 0),
    ...(o.extra ?? []),
    '--out',
    o.out,
  ];
}
