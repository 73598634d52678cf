import { LABEL_TOOL } from './labels.js';
import type { Podman } from './podman.js';

/** The podman network servers and their services share (name resolution by alias). */
export const BENCH_NETWORK = 'instanton-bench';

export async function ensureNetwork(podman: Podman): Promise<string> {
  const exists = await podman.exec(['network', 'exists', BENCH_NETWORK]).then(
    () => true,
    () => false,
  );
  if (!exists) await podman.exec(['network', 'create', '--label', `${LABEL_TOOL}=network`, BENCH_NETWORK]);
  return BENCH_NETWORK;
}
