import { seccompProfileWith } from './seccomp.js';
import { EngineError, ToolMissingError } from '../core/errors.js';
import type { ImageBuild, Privilege, RunSpec } from './engine.js';
import { buildFlags, runFlags, type EngineFlags } from './host-flags.js';
import { LABEL_OWNER, LABEL_TOOL } from './labels.js';

/**
 * `podman run` of a spec (attached, no --rm: the harness removes it). Environment values are
 * not on the command line (where `ps` shows them): the argv names the variable
 * (`--env NAME`, which podman takes from its own environment) and `env` carries the value
 * for the podman process. Every container carries its owner (this process's registry id).
 */
export function runArgv(
  flags: EngineFlags,
  spec: RunSpec,
  owner?: string,
  opts: { detach?: boolean; remove?: boolean } = {},
): { args: string[]; env: Record<string, string> } {
  const args = [
    'run',
    ...(opts.remove ? ['--rm'] : []),
    ...(opts.detach ? ['--detach'] : []),
    '--name',
    spec.name,
    ...runFlags(flags),
  ];
  const labels = owner !== undefined ? { ...spec.labels, [LABEL_OWNER]: owner } : spec.labels;
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  for (const p of spec.publish ?? []) args.push('--publish', `${p.hostIp}:${p.hostPort}:${p.containerPort}`);
  for (const k of Object.keys(spec.env ?? {})) args.push('--env', k);
  if (spec.pinning?.method === 'cpuset') args.push('--cpuset-cpus', spec.pinning.cpus);
  if (spec.limits?.cpus !== undefined) args.push('--cpus', String(spec.limits.cpus));
  if (spec.limits?.memory !== undefined) args.push('--memory', spec.limits.memory);
  if (spec.network)
    args.push('--network', spec.network.name, ...(spec.network.alias ? ['--network-alias', spec.network.alias] : []));
  for (const [target, source] of Object.entries(spec.mounts ?? {}))
    args.push('--mount', `type=bind,source=${source},target=${target},readonly=true`);
  args.push(...privilegeFlags(spec.privilege));
  if (spec.entrypoint !== undefined) args.push('--entrypoint', spec.entrypoint);
  args.push(spec.image, ...(spec.command ?? []));
  return { args, env: { ...(spec.env ?? {}) } };
}

/** How doctor asks whether the pinning tool is installed (its arguments are spelled here, with the prefix's). */
export const PINNING_TOOL_PROBE: readonly [bin: string, args: readonly string[]] = ['taskset', ['--version']];

/** The taskset prefix of a client pinned by taskset (its container's processes inherit the affinity). */
export function pinningPrefix(pinning: RunSpec['pinning']): string[] {
  return pinning?.method === 'taskset' ? ['taskset', '-c', pinning.cpus] : [];
}

/** A host command held to CPUs (the host speed probe measures the server's CPUs this way). */
export function pinnedCommand(cpus: string, argv: readonly string[]): [bin: string, args: string[]] {
  return ['taskset', ['-c', cpus, ...argv]];
}

/** podman's spelling of a privilege level. */
export function privilegeFlags(privilege: Privilege | undefined): string[] {
  if (!privilege) return [];
  if (privilege.kind === 'privileged') return ['--privileged'];
  return [
    ...privilege.add.flatMap((c) => ['--cap-add', c]),
    ...(privilege.seccompUnconfined
      ? ['--security-opt', 'seccomp=unconfined']
      : privilege.seccompDeny && privilege.seccompDeny.length > 0
        ? ['--security-opt', `seccomp=${seccompProfileWith(privilege.seccompDeny)}`]
        : []),
  ];
}

/** `podman build` of a context, labelled as the tool's image. */
export function buildArgv(flags: EngineFlags, b: Omit<ImageBuild, 'timeoutMs' | 'onLine'>): string[] {
  const args = [
    'build',
    ...buildFlags(flags),
    ...privilegeFlags(b.privilege),
    ...(b.network ? ['--network', b.network] : []),
    ...(b.noCache ? ['--no-cache'] : []),
    ...(b.from ? ['--from', b.from] : []),
  ];
  args.push('--tag', b.tag, '--label', `${LABEL_TOOL}=image`);
  for (const [k, v] of Object.entries(b.labels ?? {})) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(b.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  if (b.file) args.push('--file', b.file);
  args.push(b.context);
  return args;
}

/** A failed podman call as the error a user sees: a missing binary, or the last lines podman printed. */
export function toEngineError(error: unknown, bin: string, args: readonly string[]): Error {
  const e = error as { code?: string; stderr?: unknown; shortMessage?: string; message?: string };
  if (e.code === 'ENOENT') {
    return new ToolMissingError(bin, 'install it with apt-get install podman runc');
  }
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim().split('\n').slice(-5).join('\n') : '';
  return new EngineError(
    `${bin} ${args.slice(0, 3).join(' ')} failed: ${stderr || e.shortMessage || e.message || 'unknown error'}`,
    'run instanton-bench doctor to check the engine set-up',
    error,
  );
}

/** taskset's argv that moves a running process (every thread: -a) onto `cpus`: the harness pins itself with it. */
export const pinProcessArgv = (cpus: string, pid: number): string[] => ['taskset', '-a', '-p', '-c', cpus, String(pid)];
