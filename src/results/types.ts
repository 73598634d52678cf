import type { HostSpeed } from '../hostspeed/types.js';
import type { Variant } from '../scenario/variants.js';

import type {
  AotCacheRecord,
  CheckpointContents,
  HarnessTimes,
  RampUpRecord,
  StartState,
  StartTimeline,
} from './start-types.js';

export type * from './start-types.js';
export type * from './config-types.js';
import type { PinMethod, RunConfig } from './config-types.js';

/** The results file: the single source of truth (house rule 9). Versioned; raw samples. */
export const RESULTS_SCHEMA_VERSION = 1;
export const RESULTS_KIND = 'instanton-bench/results';

export type RunStatus = 'ok' | 'failed' | 'timed-out' | 'fallback';

export interface RunMetrics {
  /** launch (before `podman run`) to podman's State.StartedAt. */
  readonly containerStartedMs?: number;
  /** launch to bin/server's restoreTime (epoch ms written just before `criu restore`); InstantOn only. */
  readonly restoreStartedMs?: number;
  /** launch to the CWWKF0011I line's own timestamp. */
  readonly readyMs?: number;
  /** launch to the moment the harness read the CWWKF0011I line. */
  readonly readySeenMs?: number;
  /** readySeenMs - readyMs: how late the harness noticed readiness. */
  readonly readyDetectionLagMs?: number;
  /** CWWKF0011I timestamp minus container start: the 2022 blog's method (container start excluded). */
  readonly readyAfterContainerStartMs?: number;
  /** launch to the first response with the expected status (and body), read in full. */
  readonly firstResponseMs?: number;
  readonly firstResponseAfterContainerStartMs?: number;
  readonly rssAfterReadyKb?: number;
  readonly hwmAfterReadyKb?: number;
  readonly rssAfterFirstResponseKb?: number;
  readonly hwmAfterFirstResponseKb?: number;
  /** CPU time the hypervisor took from the server CPUs ("steal", /proc/stat) from launch to the first response. */
  readonly serverCpuStealMs?: number;
  /**
   * CPU time on the server CPUs from launch to the first response that was not the start's own (busy time in /proc/stat
   * minus the container's cgroup and the podman client).
   */
  readonly serverCpuForeignMs?: number;
  /**
   * CPU time on the other (harness) CPUs from launch to the first response that was not the harness process's own:
   * podman, conmon and runc do their part of every start there, and a neighbour's jobs land there too.
   */
  readonly harnessCpuOtherMs?: number;
  /** --ramp-up: the most checked responses in one full second of the load. */
  readonly rampPeakRps?: number;
  /** --ramp-up: launch to the end of the first second at 90% of the start's own peak. */
  readonly rampTo90OwnPeakMs?: number;
  /** --ramp-up: checked responses within 10, 30 and 60 s of launch (when the load ran that long). */
  readonly rampRequests10s?: number;
  readonly rampRequests30s?: number;
  readonly rampRequests60s?: number;
  /** --ramp-up: VmRSS / VmHWM of the Java process at the end of the load. */
  readonly rssUnderLoadKb?: number;
  readonly hwmUnderLoadKb?: number;
}

export interface RunRecord {
  readonly scenario: string;
  readonly variant: Variant;
  /** The arm (A/B runs); absent in runs without arms. */
  readonly arm?: string;
  /** The host that measured it (files merged from shards; absent: the file's one host). */
  readonly host?: string;
  /** run --restore-host: the emulated restore host its container ran as (absent: this host as it is). */
  readonly restoreHost?: string;
  /** run --restore-on: restored inside this QEMU guest; its timings are the guest's and not comparable. */
  readonly guest?: GuestStart;
  /** 1-based within (scenario, variant, warmup). */
  readonly iteration: number;
  readonly warmup: boolean;
  readonly status: RunStatus;
  /** ISO time the start was launched. */
  readonly launchedAt: string;
  readonly container: string;
  readonly image: string;
  readonly cpus: {
    readonly pin: PinMethod;
    readonly requested: string;
    /** Cpus_allowed_list of the Java process, read from the host's /proc. */
    readonly observed?: string;
    readonly matches?: boolean;
  };
  readonly metrics: RunMetrics;
  /** Liberty's own figures, labelled: known to be wrong after restore (open-liberty#22493). */
  readonly selfReported: { readonly startedSeconds?: number };
  readonly firstResponse?: {
    readonly url: string;
    readonly status: number;
    readonly attempts: number;
    readonly bodySample: string;
  };
  /** InstantOn variants only: was this start really restored from its checkpoint? */
  readonly restore?: RestoreRecord;
  /** aotCache variant only: did this start really run with the JDK's AOT cache? */
  readonly aotCache?: AotCacheRecord;
  /** --ramp-up: throughput and latency after the first response. */
  readonly rampUp?: RampUpRecord;
  /**
   * The scenario's probes, asked after the first response (InstantOn starts): the entropy probe's answer as a
   * digest (sha-256, 16 hex digits; never the answer itself), compared across restores of one checkpoint.
   */
  readonly probes?: {
    readonly entropy?: {
      readonly status?: number;
      readonly digest?: string;
      /** An answer of NAME=VALUE lines: each part's digest (each generator compared on its own). */
      readonly parts?: Readonly<Record<string, string>>;
      readonly error?: string;
    };
    /** A restore's clocks: the restored java process's monotonic offset from the host's (CRIU's time namespace). */
    readonly clocks?: { readonly monotonicOffsetMs?: number };
  };
  /** The state the start began from: work area, class-data archive, checkpoint. */
  readonly startState?: StartState;
  /** Where the start's time went: its marks on the host clock, and CRIU's own restore figures. */
  readonly timeline?: StartTimeline;
  /** The harness's own time around this start (not part of the start). */
  readonly harness?: HarnessTimes;
  readonly error?: string;
  /** Last lines of the server's output, kept for runs that did not end ok. */
  readonly outputTail?: readonly string[];
}

export interface GuestStart {
  readonly name: string;
  readonly cpuModel: string;
  readonly accel: 'tcg' | 'kvm';
  readonly kernel: string;
  /** Always false: a software CPU's times say nothing about a real host's. */
  readonly comparable: false;
  /** Guest uptime when the image's entrypoint was launched (the guest's boot). */
  readonly bootMs: number;
  /** QEMU's whole run on the host's clock. */
  readonly wallMs: number;
  /** What `forecast` said of this checkpoint on this guest before the restore was tried. */
  readonly forecast?: { readonly outcome: 'restores' | 'at-risk' | 'fails'; readonly reasons: readonly string[] };
}

export interface RestoreRecord {
  /** CWWKC0452I in the restored server's messages.log and no fallback/failure message anywhere. */
  readonly verified: boolean;
  /** The lines the verdict rests on. */
  readonly evidence: readonly string[];
  readonly failure?: 'fallback' | 'restore-failed' | 'restore-failed-in-jvm' | 'no-restore-message';
  /** 'least-privilege' (the capability set below) or 'privileged'. */
  readonly mode: 'least-privilege' | 'privileged';
  readonly capabilities: readonly string[];
  /** CRIU_RESTORE_DISABLE_RECOVERY was set (--strict). */
  readonly strict: boolean;
  /** CRIU's restore.log, kept when the restore was not verified. */
  readonly restoreLog?: string;
  /** A restore that died in the JVM (a guest's): its hs_err's header and instruction dump. */
  readonly hsErr?: string;
  /** Liberty's own "resumed ... in X seconds" (CWWKC0452I), labelled self-reported. */
  readonly selfReportedResumeSeconds?: number;
  /**
   * Spring's line that its lifecycle beans restarted after the restore (an app with org.crac on Liberty's crac-1.4):
   * the beans it stopped before the checkpoint ran again. Absent where the app has no such lifecycle.
   */
  readonly appLifecycle?: string;
}

export interface CheckpointRecord {
  readonly scenario: string;
  /** The arm whose image this is (A/B runs). */
  readonly arm?: string;
  readonly phase: string;
  readonly image: string;
  readonly imageId: string;
  /** Absent when the checkpoint was a step of the user's own image build (its time is not known). */
  readonly checkpointMs?: number;
  readonly addedBytes: number;
  readonly serverCapabilities: readonly string[];
  readonly fingerprint: Readonly<Record<string, string>>;
  /** Differences between the checkpoint host and this (restore) host: what breaks restores. */
  readonly fingerprintWarnings: readonly string[];
  /** What the checkpoint holds, from CRIU's own dump statistics and images. */
  readonly contents?: CheckpointContents;
  /** The restore host these differences were found on (files merged from shards). */
  readonly host?: string;
  /** What the checkpoint carries: secrets, shared random state, clocks (absent in files from before the check). */
  hygiene?: CheckpointHygiene;
}

/** A secret found in a checkpoint: its name (never its value), where it was found, and what to do. */
export interface SecretFinding {
  readonly secret: string;
  /** "memory pages (pages-1.img)", "image layer /logs/messages.log", "image config (ENV DB_PASSWORD)". */
  readonly where: readonly string[];
  readonly remedy: string;
}

/** One hygiene check of a checkpoint: checked or not (and why), what it found. */
export interface HygieneCheck {
  readonly status: 'clean' | 'finding' | 'not-checked';
  /** What was checked, or why it was not, in words. */
  readonly detail: string;
}

/**
 * What a checkpoint carries into production (hygiene/): secrets in its memory pages, image layer and config;
 * random state its restores share (an entropy probe answered by two restores); clocks after restore.
 */
export interface CheckpointHygiene {
  readonly secrets: HygieneCheck & {
    /** The names searched for (never the values). */
    readonly searched: readonly string[];
    readonly findings: readonly SecretFinding[];
    readonly bytesSearched?: number;
    readonly searchMs?: number;
  };
  readonly entropy?: HygieneCheck & {
    readonly path?: string;
    readonly restores?: number;
    readonly distinct?: number;
    /** An answer of NAME=VALUE lines: how many different answers each part had. */
    readonly parts?: Readonly<Record<string, number>>;
  };
  readonly clocks?: HygieneCheck & {
    /** Largest |server's wall clock - host's| over the restores, ms. */
    readonly wallSkewMs?: number;
    /** The restored process's monotonic clock offset from the host's (time namespace), ms. */
    readonly monotonicOffsetMs?: number;
  };
}

/** One host of a merged file: what decides whether a checkpoint restores there. */
export interface HostInfo {
  readonly name: string;
  readonly shard: number;
  readonly kernel: string;
  readonly cpuModel: string;
  readonly hostGlibc?: string;
  readonly podman?: string;
  readonly runc?: string;
  readonly criu?: string;
  readonly hostSpeed?: HostSpeed;
}

export interface EnvironmentInfo {
  readonly hostname: string;
  readonly kernel: string;
  readonly cpuModel: string;
  readonly onlineCpus: string;
  readonly memoryTotalKb?: number;
  readonly podman?: string;
  readonly runc?: string;
  readonly node: string;
  readonly hostGlibc?: string;
  readonly images: Readonly<
    Record<
      string,
      {
        readonly tag: string;
        readonly id: string;
        readonly jdk?: string;
        readonly criu?: string;
        readonly glibc?: string;
        readonly liberty?: string;
      }
    >
  >;
  readonly libertyVersion?: string;
  /** The host speed probe, run on the server's CPUs before the first start. */
  readonly hostSpeed?: HostSpeed;
  /** The same probe after the last start: with hostSpeed, whether the host moved during the run. */
  readonly hostSpeedAfter?: HostSpeed;
  /** Files merged from shards: every host that measured. */
  readonly hosts?: readonly HostInfo[];
}

/** A look of a sequential gate, as the run took it (compare replays them from the starts). */
export interface SequentialLookRecord {
  readonly round: number;
  readonly decided: number;
  readonly gated: number;
  /** Set on the look that ended the run. */
  readonly stopped?: 'answer-known' | 'max-rounds';
}

export interface ResultsFile {
  readonly kind: typeof RESULTS_KIND;
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly tool: { readonly name: 'instanton-bench'; readonly version: string };
  readonly createdAt: string;
  updatedAt: string;
  /** 'running' while runs are being added, 'complete' when the plan finished, 'interrupted' after Ctrl-C. */
  state: 'running' | 'complete' | 'interrupted';
  readonly environment: EnvironmentInfo;
  /** Replaced (never mutated) when --target-ci adds a round: see run/schedule.ts withOneMoreRound. */
  config: RunConfig;
  readonly checkpoints: readonly CheckpointRecord[];
  /** The AOT cache images of the aotCache variant: the cache's size and what the image adds. */
  readonly aotCaches?: ReadonlyArray<{
    readonly scenario: string;
    readonly arm?: string;
    readonly image: string;
    readonly cacheBytes: number;
    readonly addedBytes: number;
    readonly trainingMs: number;
  }>;
  readonly warnings: string[];
  /** Services (databases) started beside the servers, and the CPUs they were pinned to. */
  readonly services: Array<{ readonly name: string; readonly alias: string; readonly cpus: string }>;
  readonly runs: RunRecord[];
  /** --sequential: the looks taken so far. */
  sequentialLooks?: SequentialLookRecord[];
}
