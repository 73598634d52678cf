import { execa } from 'execa';
import { pinProcessArgv } from './podman-argv.js';

export const PIN_PROCESS_TIMEOUT_MS = 10_000;

/** Pin a running process (the harness itself) to `cpus`; false when taskset could not. */
export async function pinProcess(cpus: string, pid: number = process.pid): Promise<boolean> {
  const [bin, ...args] = pinProcessArgv(cpus, pid);
  const r = await execa(bin as string, args, { reject: false, timeout: PIN_PROCESS_TIMEOUT_MS });
  return r.exitCode === 0;
}
