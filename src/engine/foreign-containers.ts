import { readIfExists, listIfExists } from '../core/read-if-exists.js';

/**
 * Containers running on this machine that are not the harness's own, read from /proc
 * (every podman container has a `conmon ... -n NAME` monitor process): a few milliseconds,
 * no podman call, so it can run before and after every start without taking podman's lock.
 * Containers of other engines or tools show up the same way.
 */
export async function runningContainerNames(procDir = '/proc'): Promise<string[]> {
  const names: string[] = [];
  const pids = (await listIfExists(procDir)).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    const cmdline = (await readIfExists(`${procDir}/${pid}/cmdline`)) ?? '';
    if (!cmdline) continue;
    const argv = cmdline.split('\0');
    if (!(argv[0] ?? '').endsWith('conmon')) continue;
    const i = argv.indexOf('-n');
    const name = i >= 0 ? argv[i + 1] : undefined;
    if (name) names.push(name);
  }
  return names;
}

/** The running containers that are not in `own`. */
export async function foreignContainers(own: ReadonlySet<string>, procDir = '/proc'): Promise<string[]> {
  return (await runningContainerNames(procDir)).filter((n) => !own.has(n));
}
