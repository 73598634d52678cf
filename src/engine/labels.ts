/** Every container the harness creates carries these labels, so leftovers can be found. */
export const LABEL_TOOL = 'io.instanton-bench';
export const LABEL_SESSION = 'io.instanton-bench.session';
export const LABEL_SCENARIO = 'io.instanton-bench.scenario';
export const LABEL_VARIANT = 'io.instanton-bench.variant';
/** Registry id of the process that created the container (see run-registry.ts). */
export const LABEL_OWNER = 'io.instanton-bench.owner';

export function labelFlags(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}
