import type { CheckpointFlow, CriuSuite } from '../results/types.js';
import type { CpuBaseline, Profile } from '../results/config-types.js';
import { CHECKPOINT_PHASES, type CheckpointPhase } from '../scenario/variants.js';
import type { ImageBase } from '../scenario/types.js';
import { DEFAULT_LIBERTY, type LibertyDistribution } from './liberty/liberty-dist.js';

import { DEFAULT_CHECKPOINT_FLOW } from './checkpoint/checkpoint-flow.js';

/** What a build is asked to make (house rule 2: every field optional; resolveBuild fills the defaults). */
export interface BuildRequest {
  /** Checkpoint phases to make images for (default: every phase). */
  readonly phases?: readonly CheckpointPhase[];
  /** Also train the JDK's AOT cache image (the aotCache variant). */
  readonly aotCache?: boolean;
  /** Take the checkpoints from a JVM started with that AOT cache (an arm's checkpoint-from=aot-cache). */
  readonly checkpointFromAot?: boolean;
  /** The JVM limited to a CPU level for cold starts and checkpoints (an arm's cpu-baseline=). */
  readonly cpuBaseline?: CpuBaseline;
  /** CPUs for services started during the build (the harness's). */
  readonly serviceCpus?: string;
  /** 'run' (privileged run + commit) or 'build' (`RUN checkpoint.sh PHASE`). */
  readonly checkpointFlow?: CheckpointFlow;
  /** Replace the base image's CRIU with another Debian release's (failure reproduction). */
  readonly baseCriu?: CriuSuite;
  /** Another Open Liberty than the pinned default (an arm's liberty= or liberty-zip=). */
  readonly dist?: LibertyDistribution;
  /** Debian's openjdk-N as the default java (an arm's jdk=N). */
  readonly jdk?: number;
  /**
   * Build the app, its image, the checkpoints and the AOT cache again even when cached (not the base and Liberty
   * images).
   */
  readonly rebuild?: boolean;
  /** Prime the server once at build time (default: the scenario's `prime`). */
  readonly prime?: boolean;
  /** --base: what an image scenario's Containerfile is built on (default: the scenario's image.base). */
  readonly imageBase?: ImageBase;
  /** 'semeru': server scenarios built as Open Liberty's docs build them, on the official image (default 'local'). */
  readonly profile?: Profile;
}

/** A build request with its defaults filled: the one build configuration every stage reads. */
export interface BuildConfig {
  readonly phases: readonly CheckpointPhase[];
  readonly aotCache: boolean;
  readonly checkpointFromAot: boolean;
  readonly cpuBaseline?: CpuBaseline;
  readonly serviceCpus?: string;
  readonly checkpointFlow: CheckpointFlow;
  readonly baseCriu?: CriuSuite;
  readonly dist: LibertyDistribution;
  readonly jdk?: number;
  readonly rebuild: boolean;
  readonly prime?: boolean;
  readonly imageBase?: ImageBase;
  readonly profile: Profile;
}

export function resolveBuild(req: BuildRequest): BuildConfig {
  return {
    ...req,
    phases: req.phases ?? CHECKPOINT_PHASES,
    aotCache: req.aotCache ?? false,
    checkpointFromAot: req.checkpointFromAot ?? false,
    checkpointFlow: req.checkpointFlow ?? DEFAULT_CHECKPOINT_FLOW,
    dist: req.dist ?? DEFAULT_LIBERTY,
    rebuild: req.rebuild ?? false,
    profile: req.profile ?? 'local',
  };
}
