/** The host speed probe's raw figures (verify/host-speed-worker.ts). */
export interface HostSpeedParts {
  /** ms per fork + exec + wait of /bin/true. */
  readonly spawnMs: number;
  /** MiB/s of fresh memory touched for the first time (page faults and zeroing). */
  readonly pageFaultMiBps: number;
  /** MiB/s copied between buffers already in memory. */
  readonly copyMiBps: number;
  /** ms for a fixed integer workload on one core. */
  readonly computeMs: number;
  /** µs per open + read + close of an 8 KiB file on the container storage's file system. */
  readonly fileReadUs: number;
}

/** How fast the host was: the index (100 = the reference host, higher is faster) and its parts. */
export interface HostSpeed {
  readonly index: number;
  /** The host index 100 stands for. */
  readonly reference: string;
  /** The CPUs the probe ran on (the server's). */
  readonly cpus: string;
  /** The directory the file part used. */
  readonly dir: string;
  readonly durationMs: number;
  readonly parts: HostSpeedParts;
}
