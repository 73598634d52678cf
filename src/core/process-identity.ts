import { readIfExists } from './read-if-exists.js';

/**
 * A process is identified by its pid and its start time (field 22 of /proc/PID/stat), so a
 * reused pid is never mistaken for the process that wrote a lock or a registry entry.
 */
/** Start time of a process in clock ticks since boot, or undefined when it does not exist. */
export async function processStartTicks(pid: number): Promise<number | undefined> {
  const text = await readIfExists(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: fields after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/** Is the process that wrote this entry still running (same pid, same start time)? */
export async function isAlive(entry: { readonly pid: number; readonly startTicks: number }): Promise<boolean> {
  const ticks = await processStartTicks(entry.pid);
  return ticks !== undefined && ticks === entry.startTicks;
}

