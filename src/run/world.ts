import { onlineCpus } from '../core/cpu-list.js';
import type { CliIo } from '../core/io.js';
import type { Engine } from '../engine/engine.js';
import { makePodman } from '../engine/make-podman.js';
import { buildAll, type BuildAllOptions } from '../images/build-all.js';
import type { ScenarioImages } from '../images/stack.js';
import { pinProcess } from '../engine/pin-process.js';
import { foreignContainers } from '../engine/foreign-containers.js';
import type { KindOf, HostCpu } from '../images/kinds/kind.js';
import { probeHostSpeed } from '../verify/host-speed-probe.js';
import { type HostSpeed } from '../hostspeed/types.js';
import { cpuInfo } from '../verify/fingerprint.js';

/**
 * What a run needs from the world beyond the CLI's io, injected at the CLI boundary (house
 * rule 11): the container engine, the image builds and the host. The real world drives
 * podman on this machine; unit tests pass a fake engine that replays recorded starts.
 */
export interface RunWorld {
  /** The engine for this process, its containers labelled with `owner`. */
  makeEngine(owner?: string): Promise<Engine>;
  /** Build or find every image the scenarios need (each with its kind). */
  buildImages(
    engine: Engine,
    kinds: readonly KindOf[],
    io: CliIo,
    opts: BuildAllOptions,
  ): Promise<Map<string, ScenarioImages>>;
  readonly host: RunHost;
}

export interface RunHost {
  onlineCpus(): Promise<number[]>;
  /** Keep the harness (every thread of this process) on these CPUs; false when it could not. */
  pinHarness(cpus: string): Promise<boolean>;
  /** Running containers that are not among `own` (foreign load). */
  foreignContainers(own: ReadonlySet<string>): Promise<string[]>;
  /** The host speed probe on these CPUs (the server's); a problem instead when it cannot run. */
  hostSpeed(cpus: string): Promise<{ readonly speed?: HostSpeed; readonly problem?: string }>;
  /** This host's CPU (model and /proc/cpuinfo flags): what a checkpoint taken here can be limited to. */
  cpu(): Promise<HostCpu>;
}

export const realHost: RunHost = {
  onlineCpus,
  pinHarness: (cpus) => pinProcess(cpus),
  foreignContainers: (own) => foreignContainers(own),
  hostSpeed: (cpus) => probeHostSpeed(cpus),
  cpu: async () => {
    const { model, flags } = await cpuInfo();
    return { model, flags: flags.split(/\s+/).filter(Boolean) };
  },
};

export function realWorld(): RunWorld {
  return { makeEngine: makePodman, buildImages: buildAll, host: realHost };
}
