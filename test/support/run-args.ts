/**
 * The `run` arguments the suites repeat: the scenarios, the variants, how many starts, where the results go, and
 * whatever else the test is about (`extra`, placed before --out). Defaults: one measured start, no warm-up: the
 * fewest starts that prove a point; no host speed probe.
 */
export function runArgs(o: {
  readonly scenario: string | readonly string[];
  readonly variants: string;
  readonly out: string;
  readonly runs?: number;
  readonly warmup?: number;
  readonly extra?: readonly string[];
  /** Probe the host's speed (default no: --no-host-speed, 5-20 s a run on the slower hosts; a test about it asks). */
  readonly hostSpeed?: boolean;
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
    ...(o.hostSpeed ? [] : ['--no-host-speed']),
    ...(o.extra ?? []),
    '--out',
    o.out,
  ];
}
