/**
 * The podman flags this kind of machine needs, in one place (see shared notes,
 * environment.md):
 * - `--runtime runc`: Debian 12's crun 1.8.1 fails with "cgroups in hybrid mode not supported".
 * - explicit `--ulimit nofile/nproc` at or below the host's hard limits: podman's defaults
 *   (nofile 1048576, nproc 32768) make the runtime fail with "setrlimit ... Operation not
 *   permitted" on hosts without CAP_SYS_RESOURCE.
 */
export interface HostLimits {
  readonly nofileHard: number;
  readonly nprocHard: number;
}

export const PREFERRED_NOFILE = 20_000;
export const PREFERRED_NPROC = 4_096;
export const DEFAULT_RUNTIME = 'runc';

export interface EngineFlags {
  readonly runtime: string;
  readonly nofile: number;
  readonly nproc: number;
}

export function resolveEngineFlags(limits: HostLimits, runtime = DEFAULT_RUNTIME): EngineFlags {
  return {
    runtime,
    nofile: Math.min(PREFERRED_NOFILE, limits.nofileHard),
    nproc: Math.min(PREFERRED_NPROC, limits.nprocHard),
  };
}

/**
 * Flags for `podman run` / `podman create`. `--pull=never`: every image the tool runs is its
 * own, made on this machine; a missing one must fail the start, never be fetched from a
 * registry that happens to answer for `localhost/...`.
 */
export function runFlags(flags: EngineFlags): string[] {
  return ['--pull=never', ...hostFlags(flags)];
}

/**
 * What this host needs on every container (runtime, limits), without the pull policy: an image from a registry the user
 * names may be pulled.
 */
export function hostFlags(flags: EngineFlags): string[] {
  return [
    '--runtime',
    flags.runtime,
    '--ulimit',
    `nofile=${flags.nofile}:${flags.nofile}`,
    '--ulimit',
    `nproc=${flags.nproc}:${flags.nproc}`,
  ];
}

/** Flags for `podman build` (RUN steps start containers too); FROM takes local images only. */
export function buildFlags(flags: EngineFlags): string[] {
  return runFlags(flags);
}

/** Parse the hard limits out of /proc/PID/limits text. */
export function parseHardLimits(text: string): HostLimits {
  const hard = (label: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(label));
    const cells = line?.slice(label.length).trim().split(/\s+/) ?? [];
    const value = cells[1];
    if (value === undefined) return Number.MAX_SAFE_INTEGER;
    return value === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number.parseInt(value, 10);
  };
  return { nofileHard: hard('Max open files'), nprocHard: hard('Max processes') };
}

/** The hard limits of this process (inherited by podman and its containers). */
export async function readHostLimits(): Promise<HostLimits> {
  const { readFile } = await import('node:fs/promises');
  return parseHardLimits(await readFile('/proc/self/limits', 'utf8'));
}
