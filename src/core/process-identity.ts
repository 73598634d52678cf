import { readIfExists } from './read-if-exists.js';

/** The fields of /proc/PID/stat the tool reads (proc(5)); times in clock ticks. */
export interface ProcStat {
  readonly ppid: number;
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  /** Clock ticks since boot at which the process started (field 22). */
  readonly startTicks: number;
}

/**
 * Parse /proc/PID/stat. The command name (field 2) may hold spaces and parentheses, so the
 * fields are counted after its last ')'.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const f = text
    .slice(text.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const [ppid, utimeTicks, stimeTicks, startTicks] = [f[1], f[11], f[12], f[19]];
  if (![ppid, utimeTicks, stimeTicks, startTicks].every((x) => Number.isFinite(x))) return undefined;
  return {
    ppid: ppid as number,
    utimeTicks: utimeTicks as number,
    stimeTicks: stimeTicks as number,
    startTicks: startTicks as number,
  };
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  const text = await readIfExists(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseProcStat(text);
}

/**
 * A process is identified by its pid and its start time, so a reused pid is never mistaken for
 * the process that wrote a lock or a registry entry. Undefined when it does not exist.
 */
export async function processStartTicks(pid: number): Promise<number | undefined> {
  return (await readProcStat(pid))?.startTicks;
}

/** Is the process that wrote this entry still running (same pid, same start time)? */
export async function isAlive(entry: { readonly pid: number; readonly startTicks: number }): Promise<boolean> {
  const ticks = await processStartTicks(entry.pid);
  return ticks !== undefined && ticks === entry.startTicks;
}
