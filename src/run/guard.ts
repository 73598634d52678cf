import { readFileSync } from 'node:fs';
import { removeDeadLeftovers } from '../engine/leftovers.js';
import type { Engine } from '../engine/engine.js';
import { describeEntry, otherLiveRuns, type Registration, type RegistryEntry } from '../engine/run-registry.js';
import { isAlive } from '../core/process-identity.js';
import type { RunHost } from './world.js';
import { ConcurrentRunError, EXIT_INTERRUPTED, EXIT_TERMINATED } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import { parseProcStat } from '../core/process-identity.js';

/** How often a run checks that the process that started it (npx, a shell) is still there. */
export const PARENT_WATCH_MS = 1_000;

/**
 * Before a run measures anything: remove what killed runs left behind (saying so), and refuse
 * to start beside another live run unless concurrency was asked for, in which case the
 * returned warning goes into the results file.
 */
export async function guardRunStart(
  engine: Engine,
  me: Registration,
  io: CliIo,
  allowConcurrent: boolean,
): Promise<string[]> {
  const { removed, others: live } = await removeDeadLeftovers(engine, me.dir, me.entry.owner);
  if (removed.length > 0)
    io.err(`run: removed ${removed.length} container(s) left by a run that is no longer alive: ${removed.join(', ')}`);
  const others = live.filter((e) => e.command === 'run');
  if (others.length === 0) return [];
  const names = others.map(describeEntry).join('; ');
  if (!allowConcurrent) {
    throw new ConcurrentRunError(
      `another instanton-bench run is measuring on this machine: ${names}; two runs skew each other's figures ` +
        `(measured here: +68-81%)`,
      'wait for it to finish, or pass --allow-concurrent (both results files then carry a warning)',
    );
  }
  const w =
    `--allow-concurrent: started while another run was measuring on this machine (${names}); timings may be ` +
    `skewed`;
  io.err(`warning: ${w}`);
  return [w];
}

/**
 * What else ran during one start: other live instanton-bench runs (from the registry) and
 * containers that are not this run's (from /proc). Returns a warning naming the start, or
 * undefined when it ran alone.
 */
export async function overlapDuring(
  label: string,
  me: Registration,
  engine: Engine,
  host: Pick<RunHost, 'foreignContainers'>,
  before: readonly string[],
  runsBefore: readonly RegistryEntry[] = [],
): Promise<string | undefined> {
  const after = await otherLiveRuns(me.dir, me.entry.owner);
  const runs = [...runsBefore.filter((r) => !after.some((a) => a.owner === r.owner)), ...after];
  const own = new Set(engine.ownContainers());
  const containers = [...new Set([...before, ...(await host.foreignContainers(own))])];
  if (runs.length === 0 && containers.length === 0) return undefined;
  const what = [
    ...runs.map((r) => `another run: ${describeEntry(r)}`),
    ...(containers.length > 0 ? [`container(s) not of this run: ${containers.slice(0, 5).join(', ')}`] : []),
  ];
  return `${label} overlapped foreign load on this machine (${what.join('; ')}): its timings may be skewed`;
}

export interface StopSignal {
  /** Aborted on the first SIGINT/SIGTERM, or when the parent process is gone. */
  readonly signal: AbortSignal;
  /** The exit code the stop asks for: 130 (SIGINT) or 143 (SIGTERM, parent gone). */
  exitCode(): number | undefined;
  dispose(): void;
}

/**
 * SIGINT/SIGTERM handling for a run: the first signal aborts the start in progress and
 * removes this process's containers. npx does not pass signals on (SIGINT to npx alone is
 * ignored; SIGTERM makes npx exit and leaves this process running), so the run also stops
 * when its parent process goes away.
 */
export function watchStop(engine: Engine, io: CliIo): StopSignal {
  const controller = new AbortController();
  let code: number | undefined;
  const stop = (why: string, exitCode: number): void => {
    if (code !== undefined) return;
    code = exitCode;
    io.err(`\nrun: ${why}; removing containers and saving the finished runs...`);
    controller.abort();
    void engine.removeLiveContainers();
  };
  const onInt = (): void => stop('interrupted (SIGINT)', EXIT_INTERRUPTED);
  const onTerm = (): void => stop('terminated (SIGTERM)', EXIT_TERMINATED);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  // Only under npm/npx (`npx` runs `sh -c 'instanton-bench' ...`, so look a few levels up):
  // a run started with nohup, or from a shell that then exits, goes on.
  const npm = npmAncestor(process.pid);
  const watch = npm
    ? setInterval(() => {
        void isAlive(npm).then((alive) => {
          if (!alive) stop(`npx/npm, which started this run (pid ${npm.pid}), is gone`, EXIT_TERMINATED);
        });
      }, PARENT_WATCH_MS)
    : undefined;
  watch?.unref();
  return {
    signal: controller.signal,
    exitCode: () => code,
    dispose: () => {
      if (watch) clearInterval(watch);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** The nearest npm/npx process among the 3 closest ancestors, with its start time. */
export function npmAncestor(pid: number): { pid: number; startTicks: number } | undefined {
  let current = pid;
  for (let level = 0; level < 3; level += 1) {
    const ppid = parseProcStat(readProc(`/proc/${current}/stat`) ?? '')?.ppid;
    if (ppid === undefined || ppid <= 1) return undefined;
    const argv = (readProc(`/proc/${ppid}/cmdline`) ?? '').split('\0');
    // npm renames its process ("npm exec instanton-bench ..."), or shows as node .../npx-cli.js.
    if (argv.some((a) => /(^|\/)(npx|npm)(-cli\.js)?( |$)/.test(a))) {
      const startTicks = parseProcStat(readProc(`/proc/${ppid}/stat`) ?? '')?.startTicks;
      return startTicks === undefined ? undefined : { pid: ppid, startTicks };
    }
    current = ppid;
  }
  return undefined;
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // a process that exited meanwhile: not an npm ancestor
  }
}
