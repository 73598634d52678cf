/** Records of what happens inside and after one start (part of the results file's types). */

/** --ramp-up: the load after the first response, second by second since launch. */
export interface RampUpRecord {
  readonly concurrency: number;
  readonly seconds: number;
  /** ms since launch when the load began and ended. */
  readonly loadStartMs: number;
  readonly loadEndMs: number;
  /** Checked (expected status and body) responses, and errors of any kind. */
  readonly requests: number;
  readonly errors: number;
  readonly errorKinds: { readonly status: number; readonly body: number; readonly transport: number };
  /** The first wrong response (or transport error), so that an error count can be acted on. */
  readonly firstError?: {
    readonly request: string;
    readonly kind: 'status' | 'body' | 'transport';
    readonly status?: number;
    /** The start of its body (at most 300 characters), or the transport error's message. */
    readonly detail?: string;
  };
  /** One per second since launch: checked responses, errors, latency percentiles of its responses. */
  readonly buckets: ReadonlyArray<{
    readonly second: number;
    readonly requests: number;
    readonly errors: number;
    readonly p50Ms?: number;
    readonly p90Ms?: number;
    readonly p99Ms?: number;
  }>;
  readonly rssEndKb?: number;
  readonly hwmEndKb?: number;
  /**
   * How busy the server CPUs were during the load (/proc/stat): well below 100% means the load, not the server, set the
   * pace.
   */
  readonly serverCpuBusyPct?: number;
}

export interface AotCacheRecord {
  /** The JVM logged opening and mapping the cache (-Xlog:aot) and loaded classes from it; -XX:AOTMode=on was set. */
  readonly verified: boolean;
  /** The JVM's own lines the verdict rests on. */
  readonly evidence: readonly string[];
  /** Classes the JVM loaded from the cache (hsperf java.cls.sharedLoadedClasses). */
  readonly classesFromCache?: number;
}

/** Where a start begins. */
export interface StartState {
  /** Liberty's work area: primed at build time, cleared (--cold-state clean), or as the checkpoint holds it. */
  readonly workArea: 'primed' | 'clean' | 'checkpoint';
  /** The class-data archive the JVM mapped: none, the JDK's default CDS archive, or the trained AOT cache. */
  readonly classData: 'none' | 'jdk-default-cds' | 'aot-cache' | 'unknown';
  /** Classes loaded from that archive, and the others (the JVM's perf counters, after the first response). */
  readonly classesFromArchive?: number;
  readonly classesLoadedOtherwise?: number;
  readonly checkpointPhase?: string;
}

/** The marks a start's timeline can have (absent when a start cannot have one). */
export type TimelineMarkName =
  | 'launch'
  | 'containerCreated'
  | 'containerStarted'
  | 'entrypoint'
  | 'jvmLaunched'
  | 'jvmCreated'
  | 'restoreStarted'
  | 'criuRestored'
  | 'resumed'
  | 'kernelStarted'
  | 'appStarted'
  | 'featuresInstalled'
  | 'ready'
  | 'firstResponse';

export interface TimelineMark {
  readonly mark: TimelineMarkName;
  /** ms since launch (host clock), one decimal. */
  readonly atMs: number;
  /** Where the time came from (host clock, podman, the JVM's perf data, a Liberty message, CRIU). */
  readonly source: string;
}

export interface StartTimeline {
  /** Sorted by time; consecutive marks bound the segments. */
  readonly marks: readonly TimelineMark[];
  /** CRIU's statistics of this restore (stats-restore), ms and pages. */
  readonly criuRestore?: {
    readonly restoreMs: number;
    readonly forkingMs: number;
    readonly pagesRestored?: number;
    readonly pagesCompared: number;
    readonly pagesSkippedCow: number;
  };
}

export interface HarnessTimes {
  /** ms since launch when the start's measurement ended (first response, or the failure). */
  readonly endedMs: number;
  /** From that end to the container removed: reading /proc and files, removing. */
  readonly teardownMs: number;
  /**
   * From the previous start's end to this launch: everything the harness did between two starts (absent for a run's
   * first start).
   */
  readonly sincePreviousMs?: number;
}

export interface CheckpointContents {
  /** Memory pages written by the dump (stats-dump) and their bytes. */
  readonly pagesWritten: number;
  readonly memoryBytes: number;
  /** The dump's own timings (stats-dump), ms. */
  readonly dumpMs: {
    readonly freezing: number;
    readonly frozen: number;
    readonly memdump: number;
    readonly memwrite: number;
  };
  readonly processes: number;
  readonly threads: number;
  /** Open file objects by kind (files.img). */
  readonly files: Readonly<Record<string, number>>;
  /**
   * What can matter at restore: regular files open under the server's directories (server
   * config, output, logs, shared resources; a restore needs each back at the recorded size)
   * and the internet sockets the process held (listening, connected, closed).
   */
  readonly serverFiles?: ReadonlyArray<{
    readonly path: string;
    readonly access: 'read' | 'write' | 'read-write';
    readonly append: boolean;
    readonly sizeBytes?: number;
  }>;
  readonly sockets?: ReadonlyArray<{
    readonly state: string;
    readonly protocol: string;
    readonly local: string;
    readonly remote?: string;
  }>;
}

/** The metrics a --ramp-up start adds (RunMetrics fields), in the order every table, CSV and comparison lists them. */
export const RAMP_METRICS = [
  'rampPeakRps',
  'rampTo90OwnPeakMs',
  'rampRequests10s',
  'rampRequests30s',
  'rampRequests60s',
  'rssUnderLoadKb',
] as const;
