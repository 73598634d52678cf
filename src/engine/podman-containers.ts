import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { AttachedContainer, ExitResult, OwnedContainer, ProcessStatus, RunOnce, RunSpec } from './engine.js';
import { runFlags, type EngineFlags } from './host-flags.js';
import { pinningPrefix, runArgv, toEngineError } from './podman-argv.js';
import { LABEL_OWNER, LABEL_TOOL } from './labels.js';
import { cgroupCpuMs, findDescendant, readProcStatus } from './proc.js';
import { RunningContainers } from './running-containers.js';
import { TrackedContainers } from './tracked-containers.js';
import { ProbeCache } from './probe-cache.js';

/** Timeouts for engine calls that should be quick (house rule 6: every child has one). */
export const ENGINE_QUERY_TIMEOUT_MS = 60_000;
export const ENGINE_REMOVE_TIMEOUT_MS = 60_000;
/** How many times a failing `podman rm --force` is tried, and the pause between tries. */
const REMOVE_ATTEMPTS = 4;
const REMOVE_RETRY_MS = 750;
export const IMAGE_BUILD_TIMEOUT_MS = 30 * 60_000;
export const COMMIT_TIMEOUT_MS = 5 * 60_000;
/** Lines of a failed build's output kept for its error. */
export const BUILD_TAIL_LINES = 25;

/**
 * The podman implementation of the engine seam, its containers' half (podman.ts adds the images'). Tracks the
 * containers it started and has not removed yet (for Ctrl-C), and labels every container with its owner (the registry
 * id of this process), so that other instances can tell ours from a dead run's.
 */
export class PodmanContainers extends TrackedContainers {
  protected readonly probes: ProbeCache;
  protected versionText: Promise<string> | undefined;

  constructor(
    readonly flags: EngineFlags,
    readonly bin = 'podman',
    readonly owner?: string,
    probeCacheDir?: string,
  ) {
    super();
    this.probes = new ProbeCache(probeCacheDir);
    this.running = new RunningContainers(bin);
  }

  /** Running containers' state, asked of podman once per container (see running-containers.ts). */
  private readonly running: RunningContainers;

  /** `podman run` of a spec: argv and the environment values for the podman process (see podman-argv.ts). */
  runCommand(
    spec: RunSpec,
    opts: { detach?: boolean; remove?: boolean } = {},
  ): { args: string[]; env: Record<string, string> } {
    return runArgv(this.flags, spec, this.owner, opts);
  }

  /** The flags every container of this host gets (--pull=never, the runtime, the limits), for doctor to show. */
  hostRunFlags(): string[] {
    return runFlags(this.flags);
  }

  /** argv of runCommand, for display (tests, the semeru profile's dry run). */
  runArgs(spec: RunSpec): string[] {
    return this.runCommand(spec).args;
  }

  protected async query(args: readonly string[], timeoutMs = ENGINE_QUERY_TIMEOUT_MS): Promise<string> {
    try {
      const { stdout } = await execa(this.bin, args, { timeout: timeoutMs });
      return stdout;
    } catch (error) {
      throw toEngineError(error, this.bin, args);
    }
  }

  runAttached(spec: RunSpec): AttachedContainer {
    const { args, env } = this.runCommand(spec);
    const [file, ...rest] = [...pinningPrefix(spec.pinning), this.bin, ...args];
    this.track(spec.name);
    const child = execa(file as string, rest, {
      env,
      buffer: false,
      reject: false,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      all: true,
      forceKillAfterDelay: 5_000,
    });
    const lines = (async function* () {
      for await (const line of child.iterable({ from: 'all' })) yield String(line);
    })();
    return {
      lines,
      exited: child.then((r) => ({ exitCode: r.exitCode })),
      kill: (signal) => void child.kill(signal ?? 'SIGTERM'),
      ...(child.pid !== undefined ? { clientPid: child.pid } : {}),
    };
  }

  async runToExit(spec: RunSpec, timeoutMs: number): Promise<ExitResult> {
    const { args, env } = this.runCommand(spec);
    this.track(spec.name);
    const r = await execa(this.bin, args, { env, reject: false, timeout: timeoutMs, all: true });
    return { exitCode: r.exitCode, timedOut: r.timedOut, stdout: String(r.stdout ?? ''), all: String(r.all ?? '') };
  }

  async runDetached(spec: RunSpec): Promise<void> {
    const { args, env } = this.runCommand(spec, { detach: true });
    this.track(spec.name);
    try {
      await execa(this.bin, args, { env, timeout: ENGINE_QUERY_TIMEOUT_MS });
    } catch (error) {
      throw toEngineError(error, this.bin, args);
    }
  }

  async runOnce(opts: RunOnce): Promise<ExitResult> {
    const name = `ib-${opts.purpose}-${process.pid}-${Date.now()}`;
    const { args } = this.runCommand(
      {
        name,
        image: opts.image,
        labels: { [LABEL_TOOL]: opts.purpose },
        entrypoint: opts.entrypoint,
        ...(opts.privilege ? { privilege: opts.privilege } : {}),
        command: opts.args ?? [],
      },
      { remove: true },
    );
    this.track(name);
    const r = await execa(this.bin, args, {
      reject: false,
      timeout: opts.timeoutMs ?? ENGINE_QUERY_TIMEOUT_MS,
      all: true,
    });
    // A client killed on timeout leaves the container running: --rm no longer applies.
    if (r.timedOut) await this.removeContainer(name);
    else this.untrack(name);
    return { exitCode: r.exitCode, timedOut: r.timedOut, stdout: String(r.stdout ?? ''), all: String(r.all ?? '') };
  }

  async createContainer(spec: RunSpec): Promise<void> {
    const { args } = this.runCommand(spec);
    this.track(spec.name);
    await this.query(['create', ...args.slice(1)]);
  }

  async execIn(
    name: string,
    argv: readonly string[],
    opts: { input?: string; timeoutMs?: number } = {},
  ): Promise<ExitResult> {
    const r = await execa(this.bin, ['exec', ...(opts.input !== undefined ? ['-i'] : []), name, ...argv], {
      reject: false,
      timeout: opts.timeoutMs ?? ENGINE_QUERY_TIMEOUT_MS,
      all: true,
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
    return { exitCode: r.exitCode, timedOut: r.timedOut, stdout: String(r.stdout ?? ''), all: String(r.all ?? '') };
  }

  async containerState(
    name: string,
  ): Promise<{ pid?: number; startedAtIso?: string; createdAtIso?: string } | undefined> {
    return this.running.state(name);
  }

  async processStatus(name: string, command: string): Promise<ProcessStatus | undefined> {
    const state = await this.containerState(name);
    if (state?.pid === undefined) return undefined;
    const pid = await findDescendant(state.pid, command);
    return pid === undefined ? undefined : readProcStatus(pid);
  }

  async containerCpuMs(name: string): Promise<number | undefined> {
    const state = await this.containerState(name);
    return state?.pid === undefined ? undefined : cgroupCpuMs(state.pid);
  }

  async logs(name: string): Promise<string> {
    const result = await execa(this.bin, ['logs', name], {
      reject: false,
      timeout: ENGINE_QUERY_TIMEOUT_MS,
      all: true,
    });
    return String(result.all ?? '');
  }

  async readContainerFile(container: string, file: string): Promise<string | undefined> {
    return (await this.readContainerBytes(container, file))?.toString('utf8');
  }

  async readContainerBytes(container: string, file: string): Promise<Buffer | undefined> {
    const direct = await this.running.hostPath(container, file);
    if (direct !== undefined) {
      try {
        return await readFile(direct);
      } catch {
        // a directory, or gone meanwhile: ask podman
      }
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-cp-'));
    try {
      if (!(await this.copyFromContainer(container, file, dir))) return undefined;
      return await readFile(path.join(dir, path.basename(file)));
    } catch {
      return undefined; // copied a directory, or nothing: the file is absent
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async listContainerDir(container: string, dir: string): Promise<string[]> {
    const direct = await this.running.hostPath(container, dir);
    if (direct === undefined) return [];
    try {
      return await readdir(direct);
    } catch {
      return [];
    }
  }

  async copyFromContainer(container: string, source: string, destDir: string): Promise<boolean> {
    const r = await execa(this.bin, ['cp', `${container}:${source}`, destDir], {
      reject: false,
      timeout: ENGINE_QUERY_TIMEOUT_MS,
    });
    return r.exitCode === 0;
  }

  async stopContainer(name: string, timeoutS: number): Promise<void> {
    await execa(this.bin, ['stop', '--time', String(timeoutS), name], {
      reject: false,
      timeout: (timeoutS + 30) * 1000,
    });
  }

  async removeContainer(name: string): Promise<void> {
    // `rm --force` of a container that is gone exits 0. It can fail while the container changes state (a
    // checkpoint being committed, podman run still tearing it down): try again briefly. What still fails stays
    // tracked, so Ctrl-C names it; doctor --clean and the next run find it by label.
    for (let attempt = 1; ; attempt++) {
      const r = await execa(this.bin, ['rm', '--force', '--time', '0', name], {
        reject: false,
        timeout: ENGINE_REMOVE_TIMEOUT_MS,
      });
      if (r.exitCode === 0) break;
      if (attempt >= REMOVE_ATTEMPTS) return;
      await delay(REMOVE_RETRY_MS);
    }
    this.running.forget(name);
    this.untrack(name);
  }

  async containersWithOwners(): Promise<OwnedContainer[]> {
    const out = await this.query([
      'ps',
      '--all',
      '--filter',
      `label=${LABEL_TOOL}`,
      '--format',
      `{{.Names}}\t{{index .Labels "${LABEL_OWNER}"}}\t{{.State}}`,
    ]);
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [name = '', owner = '', state = ''] = l.split('\t');
        return { name, owner: owner && owner !== '<no value>' ? owner : undefined, state };
      });
  }

  async version(): Promise<string> {
    // Asked once per process; a failed query is not kept, so a later call asks again.
    this.versionText ??= this.query(['version', '--format', '{{.Client.Version}}']).then(
      (v) => v.trim(),
      (error: unknown) => {
        this.versionText = undefined;
        throw error;
      },
    );
    return this.versionText;
  }

  async cachedProbe<T>(imageId: string, kind: string, probe: () => Promise<T>): Promise<T> {
    // Without the engine's version an answer cannot be keyed safely: probe as before, keep nothing.
    const version = await this.version().catch(() => undefined);
    return version === undefined ? probe() : this.probes.get(`podman${version}`, imageId, kind, probe);
  }
}
