import type { Podman } from '../../src/engine/podman.js';
import { execa } from 'execa';

/** Names of the containers carrying the tool's label (anything left behind). */
export async function labelledContainers(): Promise<string[]> {
  return (
    await execa('podman', ['ps', '--all', '--filter', 'label=io.instanton-bench', '--format', '{{.Names}}'])
  ).stdout
    .split('\n')
    .filter(Boolean);
}

/**
 * Poll a condition until it holds or the time is up; with `child`, fail at once when that
 * process has ended first (its output says why) instead of polling to the timeout.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
  child?: PromiseLike<{ all?: unknown; exitCode?: number }>,
): Promise<void> {
  let ended: { all?: unknown; exitCode?: number } | undefined;
  void child?.then((r) => {
    ended = r;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (ended)
      throw new Error(
        `the process ended (exit ${ended.exitCode}) before the condition held:\n${String(ended.all ?? '').slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}

/**
 * An image like `image` with one command run in it (e.g. a file removed), committed as `tag`
 * with the image's entrypoint back, so its starts behave like the original's.
 */
export async function alteredImage(
  podman: Podman,
  image: string,
  tag: string,
  command: readonly [string, ...string[]],
): Promise<void> {
  const name = `ib-e2e-alter-${process.pid}`;
  await podman.removeContainer(name);
  const [entrypoint, ...args] = command;
  await execa(podman.bin, [
    ...podman.runArgs({ name, image, labels: { 'io.instanton-bench': 'e2e' }, entrypoint, command: args }),
  ]);
  await execa(podman.bin, [
    'commit',
    '--quiet',
    '--change',
    'ENTRYPOINT ["/usr/bin/dumb-init", "--", "/opt/ib/entrypoint.sh"]',
    '--change',
    'CMD []',
    name,
    tag,
  ]);
  await podman.removeContainer(name);
}
