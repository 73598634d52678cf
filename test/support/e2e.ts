import { execa } from 'execa';

/** Names of the containers carrying the tool's label (anything left behind). */
export async function labelledContainers(): Promise<string[]> {
  return (await execa('podman', ['ps', '--all', '--filter', 'label=io.instanton-bench', '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean);
}

/**
 * Poll a condition until it holds or the time is up; with `child`, fail at once when that
 * process has ended first (its output says why) instead of polling to the timeout.
 */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 100, child?: PromiseLike<{ all?: unknown; exitCode?: number }>): Promise<void> {
  let ended: { all?: unknown; exitCode?: number } | undefined;
  void child?.then((r) => {
    ended = r;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (ended) throw new Error(`the process ended (exit ${ended.exitCode}) before the condition held:\n${String(ended.all ?? '').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}
