import type { Engine } from './engine.js';
import { LABEL_TOOL } from './labels.js';

/** The network servers and their services share (name resolution by alias). */
export const BENCH_NETWORK = 'instanton-bench';

export async function ensureNetwork(engine: Engine): Promise<string> {
  await engine.ensureNetwork(BENCH_NETWORK, { [LABEL_TOOL]: 'network' });
  return BENCH_NETWORK;
}
