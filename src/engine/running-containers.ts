import { execa } from 'execa';
import { isAlive, processStartTicks } from '../core/process-identity.js';
import { resolveInRoot } from './proc.js';

const INSPECT_TIMEOUT_MS = 60_000;

export interface ContainerState {
  readonly pid?: number;
  readonly startedAtIso?: string;
  readonly createdAtIso?: string;
}

/**
 * What podman says about a running container (its init pid, created and started times) asked
 * once and kept while the container runs: they do not change. The pid is kept with its start
 * time, so a pid reused by another process is never taken for the container's. A running
 * container's files are then read through /proc/PID/root, with no podman call (about a
 * millisecond against 110-150 ms for `podman cp`).
 */
export class RunningContainers {
  private readonly states = new Map<
    string,
    { pid: number; startTicks: number; startedAtIso: string; createdAtIso?: string }
  >();

  constructor(private readonly bin: string) {}

  async state(name: string): Promise<ContainerState | undefined> {
    const cached = this.states.get(name);
    if (cached && (await isAlive({ pid: cached.pid, startTicks: cached.startTicks }))) {
      return {
        pid: cached.pid,
        startedAtIso: cached.startedAtIso,
        ...(cached.createdAtIso ? { createdAtIso: cached.createdAtIso } : {}),
      };
    }
    const r = await execa(
      this.bin,
      ['container', 'inspect', '--format', '{{.State.Pid}}|{{.State.StartedAt}}|{{.Created}}', name],
      { reject: false, timeout: INSPECT_TIMEOUT_MS },
    );
    if (r.exitCode !== 0) return undefined; // no such container (removed, or never created)
    const [pidText = '', started = '', created = ''] = String(r.stdout).trim().split('|');
    const pid = Number(pidText);
    const valid = (t: string): boolean => t !== '' && !t.startsWith('0001-');
    const startTicks = pid > 0 ? await processStartTicks(pid) : undefined;
    if (pid > 0 && startTicks !== undefined && valid(started))
      this.states.set(name, {
        pid,
        startTicks,
        startedAtIso: started,
        ...(valid(created) ? { createdAtIso: created } : {}),
      });
    return {
      ...(pid > 0 ? { pid } : {}),
      ...(valid(started) ? { startedAtIso: started } : {}),
      ...(valid(created) ? { createdAtIso: created } : {}),
    };
  }

  /** A running container's path as the host sees it; undefined when the container is not running. */
  async hostPath(name: string, file: string): Promise<string | undefined> {
    const state = await this.state(name);
    if (state?.pid === undefined || !this.states.has(name)) return undefined;
    return resolveInRoot(`/proc/${state.pid}/root`, file);
  }

  forget(name: string): void {
    this.states.delete(name);
  }
}
