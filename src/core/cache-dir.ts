import os from 'node:os';
import path from 'node:path';

/** Where downloads, built WARs and scratch space live: $IB_CACHE_DIR or ~/.cache/instanton-bench. */
export function cacheDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.IB_CACHE_DIR) return env.IB_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(xdg, 'instanton-bench');
}
