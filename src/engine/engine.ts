/**
 * The one seam between the harness and a container engine: every container and image
 * operation of every stage (build, checkpoint, run, services, probes, doctor) goes through
 * this interface. `Podman` is the real implementation; the unit tests' fake engine replays
 * recorded container output and timings, so the whole pipeline runs without containers.
 * An engine instance owns the containers it started (for Ctrl-C) and labels them with its
 * owner id (see run-registry.ts).
 */

/**
 * What a container may do beyond the defaults: everything (`privileged`), or added
 * capabilities, optionally with the seccomp filter off. Turned into engine flags only by the
 * engine (podman.ts); callers say what they need, never how podman spells it.
 */
export type Privilege =
  | { readonly kind: 'privileged' }
  | {
      readonly kind: 'capabilities';
      readonly add: readonly string[];
      readonly seccompUnconfined?: boolean;
      /** System calls the engine's default seccomp filter answers with an error instead (an older kernel emulated). */
      readonly seccompDeny?: readonly SeccompDenial[];
    };

/** One system call refused with errno (only when its first argument equals arg0, if given). */
export interface SeccompDenial {
  readonly syscall: string;
  readonly arg0?: number;
  readonly errno: number;
}

/**
 * How the server container is held to its CPUs: `taskset` on the engine client (as the Liberty blog did) or the
 * engine's cpuset.
 */
export interface Pinning {
  readonly method: 'taskset' | 'cpuset';
  readonly cpus: string;
}

/** Resource limits of a container (an A/B arm's slowed server). */
export interface ContainerLimits {
  /** CPU quota in CPUs (podman --cpus). */
  readonly cpus?: number;
  /** Memory limit, e.g. 512m. */
  readonly memory?: string;
}

/** A user-defined network and, optionally, the name others reach this container by. */
export interface NetworkAttachment {
  readonly name: string;
  readonly alias?: string;
}

/** A container port published on a host address (the tool publishes on the loopback only). */
export interface PublishedPort {
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
}

export interface RunSpec {
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly publish?: readonly PublishedPort[];
  readonly env?: Readonly<Record<string, string>>;
  readonly pinning?: Pinning;
  readonly limits?: ContainerLimits;
  readonly network?: NetworkAttachment;
  /** Another entrypoint than the image's. */
  readonly entrypoint?: string;
  readonly privilege?: Privilege;
  /** Command after the image (omit to use the image's entrypoint/cmd). */
  readonly command?: readonly string[];
  /** Host files mounted read-only: container path -> host path. */
  readonly mounts?: Readonly<Record<string, string>>;
}

/** A container running attached: its output line by line, its end, and a way to stop the client. */
export interface AttachedContainer {
  /** stdout and stderr lines as they come. */
  readonly lines: AsyncIterable<string>;
  /** Settles when the engine client exits (the container ended or was removed). */
  readonly exited: Promise<{ readonly exitCode: number | undefined }>;
  kill(signal?: NodeJS.Signals): void;
  /** Host pid of the engine client (for its own CPU time). */
  readonly clientPid?: number;
}

export interface ExitResult {
  readonly exitCode: number | undefined;
  readonly timedOut: boolean;
  /** stdout only. */
  readonly stdout: string;
  /** stdout and stderr interleaved. */
  readonly all: string;
}

/** What /proc/PID/status says about a container's main process (memory, CPU affinity). */
export interface ProcessStatus {
  readonly vmRssKb?: number;
  readonly vmHwmKb?: number;
  readonly cpusAllowedList?: string;
}

export interface ImageBuild {
  readonly context: string;
  readonly tag: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly file?: string;
  /** Build on this image instead of the Containerfile's first FROM (`podman build --from`). */
  readonly from?: string;
  /** Labels on the built image (besides the tool's own). */
  readonly labels?: Readonly<Record<string, string>>;
  /** What RUN steps may do (a checkpointing RUN step needs capabilities and no seccomp filter). */
  readonly privilege?: Privilege;
  /** The network RUN steps join (the scenario's database). */
  readonly network?: string;
  /** Run every step again (no layer cache): a priming start must really run. */
  readonly noCache?: boolean;
  readonly timeoutMs: number;
  /** Each output line, as it comes (progress). */
  readonly onLine?: (line: string) => void;
}

export interface RunOnce {
  readonly image: string;
  readonly purpose: string;
  readonly entrypoint: string;
  readonly args?: readonly string[];
  readonly privilege?: Privilege;
  readonly timeoutMs?: number;
}

export interface ImageRunConfig {
  /** NAME=VALUE entries, as the image's config holds them (envVariables splits them). */
  readonly env: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir: string;
  readonly user: string;
}

/** An image config's NAME=VALUE environment entries as [name, value] pairs (an entry without `=`: an empty value). */
export function envVariables(env: readonly string[]): Array<[name: string, value: string]> {
  return env.map((e) => {
    const eq = e.indexOf('=');
    return eq < 0 ? [e, ''] : [e.slice(0, eq), e.slice(eq + 1)];
  });
}

export interface OwnedContainer {
  readonly name: string;
  /** Registry id of the process that made it; undefined for containers of older versions. */
  readonly owner: string | undefined;
  readonly state: string;
}

export interface Engine {
  /** Registry id of this process, put on every container as a label. */
  readonly owner?: string;

  /**
   * What a probe container found in an image, by image ID and kind of probe: an image's content
   * never changes under its ID, so the probe runs once per image (and engine version) and is read
   * back afterwards, across processes when the engine has a cache directory.
   */
  cachedProbe<T>(imageId: string, kind: string, probe: () => Promise<T>): Promise<T>;

  // containers this instance started and has not removed
  track(name: string): void;
  untrack(name: string): void;
  liveContainers(): string[];
  /** Every container this instance ever started (its helpers included), removed or not. */
  ownContainers(): string[];
  /** Remove every tracked container (Ctrl-C). */
  removeLiveContainers(): Promise<void>;

  // containers
  /** `run` attached (pinned as `spec.pinning` says); the harness removes it afterwards. */
  runAttached(spec: RunSpec): AttachedContainer;
  /** `run` attached until the container exits (checkpoint runs, probes); never throws. */
  runToExit(spec: RunSpec, timeoutMs: number): Promise<ExitResult>;
  /** `run --detach` (services). */
  runDetached(spec: RunSpec): Promise<void>;
  /** A throwaway container (`run --rm`) with its own entrypoint; never throws. */
  runOnce(opts: RunOnce): Promise<ExitResult>;
  /** `create` without starting (to read files of an image's filesystem). */
  createContainer(spec: RunSpec): Promise<void>;
  /** A command inside a running container (argv, never a shell string; input on stdin). */
  execIn(name: string, argv: readonly string[], opts?: { input?: string; timeoutMs?: number }): Promise<ExitResult>;
  /** Host pid of the container's init, when podman created it and when it started (undefined: no such container). */
  containerState(
    name: string,
  ): Promise<{ readonly pid?: number; readonly startedAtIso?: string; readonly createdAtIso?: string } | undefined>;
  /** CPU time the container's processes have used so far (its cgroup), in ms. */
  containerCpuMs(name: string): Promise<number | undefined>;
  /** /proc status of the first process named `command` in the container, read from the host. */
  processStatus(name: string, command: string): Promise<ProcessStatus | undefined>;
  logs(name: string): Promise<string>;
  /** A file from a container, running or exited; undefined when absent. */
  readContainerFile(name: string, file: string): Promise<string | undefined>;
  /** A file from a container as bytes (CRIU images, JVM perf data); undefined when absent. */
  readContainerBytes(name: string, file: string): Promise<Buffer | undefined>;
  /** Names in a directory of a running container; empty when absent or not running. */
  listContainerDir(name: string, dir: string): Promise<string[]>;
  /** Copy a directory out of a container into `destDir`; false when it failed. */
  copyFromContainer(name: string, dir: string, destDir: string): Promise<boolean>;
  /** `stop`: SIGTERM to the container's init, SIGKILL after timeoutS; never throws. */
  stopContainer(name: string, timeoutS: number): Promise<void>;
  /** Remove a container whatever its state and stop tracking it; never throws. */
  removeContainer(name: string): Promise<void>;
  /** Every container carrying the tool's label, with its owner. */
  containersWithOwners(): Promise<OwnedContainer[]>;

  // images
  imageExists(ref: string): Promise<boolean>;
  imageId(ref: string): Promise<string>;
  imageSizeBytes(ref: string): Promise<number>;
  imageLabels(ref: string): Promise<Record<string, string>>;
  untagImage(ref: string): Promise<void>;
  /** Add a tag to an image. */
  tagImage(ref: string, tag: string): Promise<void>;
  /** Each layer's creating command (`image history`), newest first. */
  imageHistory(ref: string): Promise<string[]>;
  /** `pull` an image; never throws: the registry's own error when it failed (or timed out). */
  pullImage(ref: string, timeoutMs: number): Promise<{ readonly ok: boolean; readonly error: string }>;
  /** Write an image (its layers, config and tag) to an archive file; its ID survives a load. */
  saveImage(ref: string, file: string, timeoutMs: number): Promise<void>;
  /** Load an archive written by saveImage; returns what the engine printed (the loaded names). */
  loadImage(file: string, timeoutMs: number): Promise<string>;
  /** Push an image to a registry reference; returns the pushed manifest's digest (sha256:...). */
  pushImage(
    ref: string,
    dest: string,
    opts: { readonly tlsVerify: boolean; readonly timeoutMs: number },
  ): Promise<string>;
  /** Pull an image by reference (name@digest); throws the registry's error. */
  pullByDigest(ref: string, opts: { readonly tlsVerify: boolean; readonly timeoutMs: number }): Promise<void>;
  /** The tags of a repository (`localhost/instanton-bench/NAME`) in local storage. */
  imageTagsOf(repository: string): Promise<string[]>;
  /** Remove an image unless a tag or a container still uses it; true when removed; never throws. */
  removeUnusedImage(id: string): Promise<boolean>;
  /** `commit` a container as an image, with Containerfile-style changes (ENV, LABEL). */
  commitContainer(name: string, tag: string, changes: readonly string[]): Promise<void>;
  /** `build`; never throws for a failed build: the caller words the error. */
  buildImage(
    build: ImageBuild,
  ): Promise<{ readonly exitCode: number | undefined; readonly timedOut: boolean; readonly tail: readonly string[] }>;
  /** Unpack an image's filesystem into a directory (a container created, exported, removed). */
  exportFilesystem(image: string, destDir: string, timeoutMs: number): Promise<void>;
  /**
   * The image's file system mounted read-only on the host for `use` (its path passed in), unmounted after; undefined
   * when this engine cannot mount images (rootless podman outside `podman unshare`).
   */
  withImageMounted<T>(ref: string, use: (root: string) => Promise<T>): Promise<T | undefined>;
  /** What the image's own top layer added or changed (paths; deletions left out). */
  imageLayerChanges(ref: string): Promise<string[]>;
  /** What a container of the image runs: its environment, entrypoint, command and working directory. */
  imageRunConfig(ref: string): Promise<ImageRunConfig>;
  /** Copy a tar archive's files into a container's filesystem (at /). */
  copyTarIntoContainer(name: string, tarFile: string, timeoutMs: number): Promise<void>;
  /** Import a root filesystem directory as an image. */
  importRootfs(dir: string, tag: string, changes: readonly string[], timeoutMs: number): Promise<void>;

  // networks and the engine itself
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  version(): Promise<string>;
}
