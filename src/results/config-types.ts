import type { Variant } from '../scenario/variants.js';

/** How server scenarios are built: by the tool on its local base, or as Open Liberty's docs build them (semeru). */
export type Profile = 'local' | 'semeru';
/** One planned start of a run (the seeded order is stored in the results file). */
export interface PlannedStart {
  readonly scenario: string;
  readonly variant: Variant;
  /** The arm (A/B runs); absent in runs without arms. */
  readonly arm?: string;
  readonly warmup: boolean;
  readonly iteration: number;
}

/** Debian releases whose CRIU can replace the base image's (to reproduce their failures). */
export const CRIU_SUITES = ['bookworm', 'trixie'] as const;
export type CriuSuite = (typeof CRIU_SUITES)[number];
/** How checkpoint images are made: a privileged run + commit, or RUN checkpoint.sh in a build. */
export type CheckpointFlow = 'run' | 'build';

/** How the server is pinned: taskset on the podman process, or podman run --cpuset-cpus. */
export const PIN_METHODS = ['taskset', 'cpuset'] as const;
export type PinMethod = (typeof PIN_METHODS)[number];

/**
 * The CPU levels a portable checkpoint can be limited to: the x86-64 psABI's v2 and v3, whose JVM sees only that
 * level's CPUID answers (CPUID faulting), and x86-64-v3-clwb, v3 plus CLWB (Intel Skylake-SP and later, AMD Zen 2 and
 * later), reached by JVM options and glibc masks alone on hosts without CPUID faulting.
 */
export const CPU_BASELINE_LEVELS = ['x86-64-v2', 'x86-64-v3', 'x86-64-v3-clwb'] as const;
export type CpuBaseline = (typeof CPU_BASELINE_LEVELS)[number];

/**
 * How each level limits the JVM: CPUID faulting (a preloaded library answers every CPUID with the level's features;
 * the host needs cpuid_fault), or HotSpot's instruction-set options and glibc's tunables (any host; HotSpot still runs
 * what no option turns off, such as CLWB and SERIALIZE, where the host has it).
 */
export const CPU_BASELINE_METHOD: Readonly<Record<CpuBaseline, 'cpuid-faulting' | 'jvm-options'>> = {
  'x86-64-v2': 'cpuid-faulting',
  'x86-64-v3': 'cpuid-faulting',
  'x86-64-v3-clwb': 'jvm-options',
};

/** One arm of an A/B run: what it changes against the scenario as it is. Paths are absolute. */
export interface ArmSpec {
  readonly name: string;
  /** Another Open Liberty release from Maven Central. */
  readonly liberty?: string;
  /** A local Open Liberty zip. */
  readonly libertyZip?: string;
  /** Debian's openjdk-N in the base image. */
  readonly jdk?: number;
  readonly jvmOptions?: string;
  readonly serverXml?: string;
  /** Another version of the scenario's app: a Maven project directory or a WAR. */
  readonly app?: string;
  readonly env: Readonly<Record<string, string>>;
  /** podman run --cpus of the server container. */
  readonly cpus?: number;
  /** podman run --memory of the server container. */
  readonly memory?: string;
  /** Take the checkpoints from a JVM started with the JDK's AOT cache (the aotCache image). */
  readonly checkpointFrom?: 'aot-cache';
  /** The JVM limited to this CPU level (CPUID and glibc masked): its checkpoints restore on any such CPU. */
  readonly cpuBaseline?: CpuBaseline;
  /** Measure this image (a reference) instead of the scenario's own. */
  readonly image?: string;
  /** Build this Containerfile (its directory the context) instead of the scenario's image. */
  readonly containerfile?: string;
  /** What this arm's cold starts begin from (run --cold-state for this arm alone; history confirm sets it). */
  readonly coldState?: 'primed' | 'clean';
  /** Where the application runs: Liberty (absent: the default) or a plain JVM, `java -jar` on the base's JDK. */
  readonly runtime?: 'liberty' | 'java';
}

/**
 * Each `--arm` key and the ArmSpec field it sets (besides env.NAME): the one table the parser (run/arms.ts) and the
 * store's text of an arm (store/record.ts armKeysText) read, in the order `--help` lists the keys.
 */
export const ARM_KEY_FIELDS = {
  liberty: 'liberty',
  'liberty-zip': 'libertyZip',
  jdk: 'jdk',
  'jvm-options': 'jvmOptions',
  'server-xml': 'serverXml',
  app: 'app',
  cpus: 'cpus',
  memory: 'memory',
  'checkpoint-from': 'checkpointFrom',
  'cpu-baseline': 'cpuBaseline',
  image: 'image',
  containerfile: 'containerfile',
  'cold-state': 'coldState',
  runtime: 'runtime',
} as const satisfies Record<string, keyof ArmSpec>;

export type ArmKey = keyof typeof ARM_KEY_FIELDS;

export const ARM_KEYS = Object.keys(ARM_KEY_FIELDS) as ArmKey[];

/**
 * What the user asked a run to do, normalised once (defaults filled, values checked). With
 * RunPlan it is the run configuration stored in the results file; `--resume` reads it back
 * as it is, so every option that shapes the measurement survives a resume.
 */
export interface RunSettings {
  /** What --scenario/--suite named: built-in names or absolute directories. */
  readonly scenarioRefs: readonly string[];
  readonly variants: readonly Variant[];
  readonly runs: number;
  readonly warmup: number;
  readonly seed: number;
  readonly pin: PinMethod;
  readonly profile: Profile;
  /** --base: what image scenarios' Containerfiles were built on (absent: each scenario's image.base). */
  readonly imageBase?: 'local' | 'official';
  /** --ready-timeout; absent: sized from the cold starts measured so far. */
  readonly readyTimeoutMs?: number;
  readonly restoreMode: 'least-privilege' | 'privileged';
  /** CRIU_RESTORE_DISABLE_RECOVERY=true: a failed restore ends the start instead of falling back. */
  readonly strict: boolean;
  /** --target-ci: add rounds until every variant's median 95% interval is within ±this % of it. */
  readonly targetCiPct?: number;
  readonly maxRuns: number;
  readonly checkpointFlow: CheckpointFlow;
  readonly baseCriu?: CriuSuite;
  /** --ramp-up: seconds of load after each start's first response, and its concurrency. */
  readonly rampUpS?: number;
  readonly rampConcurrency?: number;
  /**
   * --cold-state: cold starts from the primed image (default) or truly first ('clean': Liberty --clean, -Xshare:off).
   */
  readonly coldState?: 'primed' | 'clean';
  /** A/B arms, the baseline first; absent in runs without arms. */
  readonly arms?: readonly ArmSpec[];
  /**
   * The variants an arm's runtime cannot take (a plain JVM has no checkpoint), by arm: the plan leaves those starts
   * out. Absent when every arm measures every variant.
   */
  readonly notApplicable?: Readonly<Record<string, readonly Variant[]>>;
  /** --sequential: the design of the gate that decides when the run stops (stats/sequential.ts). */
  readonly sequential?: SequentialDesign;
  /** --restore-host: the emulated restore host of every InstantOn start (measure/restore-hosts.ts). */
  readonly restoreHost?: string;
  /** --restore-on: the guest every InstantOn start restored in (hosts vm create). */
  readonly restoreOn?: string;
  /** --label: what identifies the build this run measured (commit, Liberty version...); the store's build key. */
  readonly labels?: Readonly<Record<string, string>>;
  /** --reference: the arm measured unchanged in every build of a series; the store keeps each other arm's ratio to it. */
  readonly reference?: string;
  /**
   * --shard K/N: this file holds shard `index` of `count` of the plan whose identity is `planId`
   * (a hash of the settings, scenarios and the whole seeded order; set when the plan is made).
   */
  readonly shard?: {
    readonly index: number;
    readonly count: number;
    readonly planId?: string;
    readonly rounds?: number;
  };
  /**
   * A digest of every other field of the configuration (results/plan-digest.ts), set when the tool writes
   * it: `run --resume` refuses a file whose plan was edited by hand since, naming the field.
   */
  readonly planDigest?: Readonly<Record<string, string>>;
  /** A merged file: the plan and the shards it was made from. */
  readonly merged?: {
    readonly planId: string;
    readonly shards: ReadonlyArray<{ readonly index: number; readonly file: string; readonly host: string }>;
  };
}

/** What the run derived from the settings on this machine: scenario names, CPUs, the seeded order. */
export interface RunPlan {
  readonly scenarios: readonly string[];
  readonly serverCpus: string;
  readonly harnessCpus: string;
  /** Every planned start in order; --target-ci appends rounds here as it adds them. */
  readonly order: readonly PlannedStart[];
}

/** The run configuration stored as `config` in the results file: what the user asked, what the run derived. */
export type RunConfig = RunSettings & RunPlan;

/** The sequential A/B gate's design (see stats/sequential.ts), stored with the run. */
export interface SequentialDesign {
  readonly method: 'group-sequential';
  /** The per-comparison statistic: Yuen's t on the trimmed mean of per-round log ratios. */
  readonly statistic: 'trimmed-t';
  readonly trim: number;
  readonly spending: 'pocock' | 'obrien-fleming';
  /** Family-wise error of the gate (regressions and improvements), two-sided. */
  readonly alpha: number;
  /** "unchanged": the repeated interval at this two-sided level (0.05: 95%) inside the band. */
  readonly equivalenceAlpha: number;
  /** When the run stops: at the first gated regression (the gate's answer is known) or once every gated comparison has a verdict. */
  readonly stopRule: 'first-regression-or-all-decided';
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly thresholdPct: number;
  readonly metrics: readonly string[];
  /** Only this metric's comparisons can fail the gate (and decide the stop). */
  readonly primary?: string;
  /**
   * A non-binding futility boundary ("not worse"): the repeated one-sided bound at level
   * `alpha` (spent by `spending` over the same looks) excludes a regression of `marginPct` or
   * more. Absent in designs recorded before it existed: they replay without it.
   */
  readonly futility?: {
    readonly alpha: number;
    readonly spending: 'pocock' | 'obrien-fleming';
    /** The regression "not worse" rules out, in percent (at least the threshold). */
    readonly marginPct: number;
  };
}
