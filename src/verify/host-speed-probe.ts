import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { pinnedCommand } from '../engine/podman-argv.js';
import type { HostSpeed, HostSpeedParts } from '../hostspeed/types.js';
import { REFERENCE_HOST, speedIndex } from '../hostspeed/index.js';

/** Where the file part writes and reads: the container storage's file system (root podman's default). */
export const CONTAINER_STORAGE_DIR = '/var/lib/containers/storage';
const PROBE_TIMEOUT_MS = 60_000;

/** The worker as built (dist/) or, under tsx (tests, benches), as source. */
function workerArgv(): string[] {
  const js = fileURLToPath(new URL('./host-speed-worker.js', import.meta.url));
  if (existsSync(js)) return [process.execPath, js];
  return [process.execPath, '--import', 'tsx', fileURLToPath(new URL('./host-speed-worker.ts', import.meta.url))];
}

/**
 * Probe this host's speed on `cpus` (the server's CPUs: what its starts run on). Returns
 * undefined with a reason when the probe cannot run: a missing index never stops a run.
 */
export async function probeHostSpeed(cpus: string): Promise<{ readonly speed?: HostSpeed; readonly problem?: string }> {
  const dir = existsSync(CONTAINER_STORAGE_DIR) ? CONTAINER_STORAGE_DIR : '/tmp';
  const [bin, args] = pinnedCommand(cpus, [...workerArgv(), dir]);
  const r = await execa(bin, args, { reject: false, timeout: PROBE_TIMEOUT_MS, all: true }).catch((e: unknown) => ({
    exitCode: -1,
    all: String(e),
    stdout: '',
  }));
  if (r.exitCode !== 0)
    return {
      problem: `the host speed probe failed: ${
        String(r.all ?? '')
          .trim()
          .split('\n')[0]
      }`,
    };
  try {
    const out = JSON.parse(String(r.stdout).trim().split('\n').pop() ?? '') as {
      parts: HostSpeedParts;
      durationMs: number;
    };
    return {
      speed: {
        index: speedIndex(out.parts),
        reference: REFERENCE_HOST,
        cpus,
        dir,
        durationMs: Math.round(out.durationMs),
        parts: out.parts,
      },
    };
  } catch {
    return { problem: 'the host speed probe printed no figures' };
  }
}
