import path from 'node:path';
import { cacheDir } from '../core/cache-dir.js';
import { readHostLimits, resolveEngineFlags } from './host-flags.js';
import { Podman } from './podman.js';

/** The podman engine with this host's flags; its containers carry `owner` (the registry id of this process). */
export async function makePodman(owner?: string): Promise<Podman> {
  return new Podman(
    resolveEngineFlags(await readHostLimits()),
    'podman',
    owner,
    path.join(cacheDir(process.env), 'probes'),
  );
}
