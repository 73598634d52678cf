import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export type SpawnedServer = ResultPromise<{
  buffer: false;
  reject: false;
  all: true;
  stdin: 'ignore';
  stdout: 'pipe';
  stderr: 'pipe';
  forceKillAfterDelay: number;
  timeout?: number;
}>;
import { EngineError, ToolMissingError } from '../core/errors.js';
import { buildFlags, runFlags, type EngineFlags } from './host-flags.js';
import { LABEL_OWNER, LABEL_TOOL } from './labels.js';

/** Timeouts for engine calls that should be quick (house rule 6: every child has one). */
export const ENGINE_QUERY_TIMEOUT_MS = 60_000;
export const ENGINE_REMOVE_TIMEOUT_MS = 60_000;
export const IMAGE_BUILD_TIMEOUT_MS = 30 * 60_000;

export interface RunSpec {
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly publish?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cpusetCpus?: string;
  /** Extra flags (capabilities, security options), argv form. */
  readonly extra?: readonly string[];
  /** Command after the image (omit to use the image's entrypoint/cmd). */
  readonly command?: readonly string[];
}

/**
 * Drives the podman CLI with argv arrays; never builds shell strings. Tracks the containers
 * it started and has not removed yet (for Ctrl-C), and labels every container with its
 * owner (the registry id of this process), so that other instances can tell ours from a
 * dead run's.
 */
export class Podman {
  private readonly live = new Set<string>();

  constructor(
    readonly flags: EngineFlags,
    readonly bin = 'podman',
    readonly owner?: string,
  ) {}

  /** Remember a container until it is removed (removeContainer / removeLiveContainers). */
  track(name: string): void {
    this.live.add(name);
  }

  untrack(name: string): void {
    this.live.delete(name);
  }

  liveContainers(): string[] {
    return [...this.live];
  }

  /**
   * `podman run` of a spec (attached, no --rm: the harness removes it). Environment values are
   * not on the command line (where `ps` shows them): the argv names the variable
   * (`--env NAME`, which podman takes from its own environment) and `env` carries the value
   * for the podman process.
   */
  runCommand(spec: RunSpec): { args: string[]; env: Record<string, string> } {
    const args = ['run', '--name', spec.name, ...runFlags(this.flags)];
    const labels = this.owner !== undefined ? { ...spec.labels, [LABEL_OWNER]: this.owner } : spec.labels;
    for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
    for (const p of spec.publish ?? []) args.push('--publish', p);
    for (const k of Object.keys(spec.env ?? {})) args.push('--env', k);
    if (spec.cpusetCpus !== undefined) args.push('--cpuset-cpus', spec.cpusetCpus);
    args.push(...(spec.extra ?? []), spec.image, ...(spec.command ?? []));
    return { args, env: { ...(spec.env ?? {}) } };
  }

  /** argv of runCommand, for specs without environment or for display. */
  runArgs(spec: RunSpec): string[] {
    return this.runCommand(spec).args;
  }

  buildArgs(contextDir: string, tag: string, buildArgs: Readonly<Record<string, string>>, file?: string): string[] {
    const args = ['build', ...buildFlags(this.flags), '--tag', tag, '--label', `${LABEL_TOOL}=image`];
    for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
    if (file) args.push('--file', file);
    args.push(contextDir);
    return args;
  }

  async exec(args: readonly string[], timeoutMs = ENGINE_QUERY_TIMEOUT_MS): Promise<string> {
    try {
      const { stdout } = await execa(this.bin, args, { timeout: timeoutMs });
      return stdout;
    } catch (error) {
      throw toEngineError(error, this.bin, args);
    }
  }

  /** Start a long child (run, build) and hand back the process for streaming. */
  spawn(args: readonly string[], prefix: readonly string[] = [], timeoutMs?: number, env: Readonly<Record<string, string>> = {}): SpawnedServer {
    const [file, ...rest] = [...prefix, this.bin, ...args];
    return execa(file as string, rest, {
      env,
      buffer: false,
      reject: false,
      ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      all: true,
      forceKillAfterDelay: 5_000,
    });
  }

  /**
   * A throwaway container (`podman run --rm`) with its own entrypoint, for probes: never throws,
   * hands back the exit code and the output (stdout, and stdout+stderr as `all`).
   */
  async runOnce(opts: {
    image: string;
    purpose: string;
    entrypoint: string;
    args?: readonly string[];
    extra?: readonly string[];
    timeoutMs?: number;
  }): Promise<{ exitCode: number | undefined; stdout: string; all: string }> {
    const name = `ib-${opts.purpose}-${process.pid}-${Date.now()}`;
    const args = this.runArgs({
      name,
      image: opts.image,
      labels: { [LABEL_TOOL]: opts.purpose },
      extra: [...(opts.extra ?? []), '--entrypoint', opts.entrypoint],
      command: opts.args ?? [],
    });
    this.track(name);
    const r = await execa(this.bin, ['run', '--rm', ...args.slice(1)], { reject: false, timeout: opts.timeoutMs ?? ENGINE_QUERY_TIMEOUT_MS, all: true });
    // A client killed on timeout leaves the container running: --rm no longer applies.
    if (r.timedOut) await this.removeContainer(name);
    else this.untrack(name);
    return { exitCode: r.exitCode, stdout: String(r.stdout ?? ''), all: String(r.all ?? '') };
  }

  async imageExists(ref: string): Promise<boolean> {
    const result = await execa(this.bin, ['image', 'exists', ref], { reject: false, timeout: ENGINE_QUERY_TIMEOUT_MS });
    if (result.exitCode === 0) return true;
    if (result.exitCode === 1) return false;
    throw toEngineError(result, this.bin, ['image', 'exists', ref]);
  }

  async imageId(ref: string): Promise<string> {
    return (await this.exec(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  }

  async imageSizeBytes(ref: string): Promise<number> {
    return Number((await this.exec(['image', 'inspect', '--format', '{{.Size}}', ref])).trim());
  }

  async inspectContainer(name: string, format: string): Promise<string> {
    return (await this.exec(['container', 'inspect', '--format', format, name])).trim();
  }

  async logs(name: string): Promise<string> {
    const result = await execa(this.bin, ['logs', name], { reject: false, timeout: ENGINE_QUERY_TIMEOUT_MS, all: true });
    return String(result.all ?? '');
  }

  /** A file from a container, running or exited (podman cp); undefined when absent. */
  async readContainerFile(container: string, file: string): Promise<string | undefined> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-cp-'));
    try {
      const r = await execa(this.bin, ['cp', `${container}:${file}`, dir], { reject: false, timeout: ENGINE_QUERY_TIMEOUT_MS });
      if (r.exitCode !== 0) return undefined;
      return await readFile(path.join(dir, path.basename(file)), 'utf8');
    } catch {
      return undefined;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Remove a container whatever its state, and stop tracking it; never throws (used in finally blocks). */
  async removeContainer(name: string): Promise<void> {
    await execa(this.bin, ['rm', '--force', '--time', '0', name], {
      reject: false,
      timeout: ENGINE_REMOVE_TIMEOUT_MS,
    });
    this.untrack(name);
  }

  /** Remove every container this process started and has not removed yet (on Ctrl-C). */
  async removeLiveContainers(): Promise<void> {
    await Promise.allSettled(this.liveContainers().map((name) => this.removeContainer(name)));
  }

  /** Every container of ours on the machine with its owner label (absent for old versions'). */
  async containersWithOwners(): Promise<Array<{ name: string; owner: string | undefined; state: string }>> {
    const out = await this.exec(['ps', '--all', '--filter', `label=${LABEL_TOOL}`, '--format', `{{.Names}}\t{{index .Labels "${LABEL_OWNER}"}}\t{{.State}}`]);
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [name = '', owner = '', state = ''] = l.split('\t');
        return { name, owner: owner && owner !== '<no value>' ? owner : undefined, state };
      });
  }

  /** Names of containers carrying a label (e.g. one session's, or all of ours). */
  async containersWithLabel(label: string): Promise<string[]> {
    const out = await this.exec(['ps', '--all', '--filter', `label=${label}`, '--format', '{{.Names}}']);
    return out.split('\n').map((s) => s.trim()).filter(Boolean);
  }

  async version(): Promise<string> {
    return (await this.exec(['version', '--format', '{{.Client.Version}}'])).trim();
  }
}

function toEngineError(error: unknown, bin: string, args: readonly string[]): Error {
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
