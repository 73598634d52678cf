import { EngineError, ToolMissingError } from '../core/errors.js';
import type { RunSpec } from './engine.js';
import { buildFlags, runFlags, type EngineFlags } from './host-flags.js';
import { LABEL_OWNER, LABEL_TOOL } from './labels.js';

/**
 * `podman run` of a spec (attached, no --rm: the harness removes it). Environment values are
 * not on the command line (where `ps` shows them): the argv names the variable
 * (`--env NAME`, which podman takes from its own environment) and `env` carries the value
 * for the podman process. Every container carries its owner (this process's registry id).
 */
export function runArgv(flags: EngineFlags, spec: RunSpec, owner?: string): { args: string[]; env: Record<string, string> } {
  const args = ['run', '--name', spec.name, ...runFlags(flags)];
  const labels = owner !== undefined ? { ...spec.labels, [LABEL_OWNER]: owner } : spec.labels;
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  for (const p of spec.publish ?? []) args.push('--publish', p);
  for (const k of Object.keys(spec.env ?? {})) args.push('--env', k);
  if (spec.cpusetCpus !== undefined) args.push('--cpuset-cpus', spec.cpusetCpus);
  args.push(...(spec.extra ?? []), spec.image, ...(spec.command ?? []));
  return { args, env: { ...(spec.env ?? {}) } };
}

/** `podman build` of a context, labelled as the tool's image. */
export function buildArgv(flags: EngineFlags, b: { context: string; tag: string; buildArgs: Readonly<Record<string, string>>; file?: string; extra?: readonly string[]; labels?: Readonly<Record<string, string>> }): string[] {
  const args = ['build', ...buildFlags(flags), ...(b.extra ?? []), '--tag', b.tag, '--label', `${LABEL_TOOL}=image`];
  for (const [k, v] of Object.entries(b.labels ?? {})) args.push('--label', `${k}=${v}`);
  for (const [k, v] of Object.entries(b.buildArgs)) args.push('--build-arg', `${k}=${v}`);
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
  );
}
