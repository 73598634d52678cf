import { execa } from 'execa';

/** Names of the containers carrying the tool's label (anything left behind). */
export async function labelledContainers(): Promise<string[]> {
  return (await execa('podman', ['ps', '--all', '--filter', 'label=io.instanton-bench', '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean);
}

/** Poll a condition until it holds or the time is up. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}
