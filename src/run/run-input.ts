/** Raw options as the argument parser gives them (all optional, strings). */
export interface RunInput {
  readonly scenario?: readonly string[];
  readonly suite?: string;
  readonly variants?: string;
  readonly runs?: string;
  readonly warmup?: string;
  readonly serverCpus?: string;
  readonly pin?: string;
  readonly seed?: string;
  readonly out?: string;
  readonly readyTimeout?: string;
  readonly verbose?: boolean;
  readonly profile?: string;
  /** --base local|official. */
  readonly base?: string;
  readonly privileged?: boolean;
  readonly strict?: boolean;
  /** --hygiene report|fail. */
  readonly hygiene?: string;
  readonly failFast?: boolean;
  readonly resume?: string;
  readonly targetCi?: string;
  readonly maxRuns?: string;
  readonly checkpointFlow?: string;
  readonly baseCriu?: string;
  readonly coldState?: string;
  readonly rampUp?: string;
  readonly rampConcurrency?: string;
  readonly allowConcurrent?: boolean;
  /** --no-host-speed: false skips the host speed probe before the first start and after the last. */
  readonly hostSpeed?: boolean;
  /** --arm NAME[:KEY=VALUE,...], repeated. */
  readonly arm?: readonly string[];
  /** --sequential: look after every round from --min-rounds, stop when the gate's answer is known. */
  readonly sequential?: boolean;
  readonly minRounds?: string;
  readonly maxRounds?: string;
  /** --threshold (with --sequential): the gate's threshold in percent. */
  readonly threshold?: string;
  /** --not-worse-margin (with --sequential): the regression "not worse" rules out, in percent. */
  readonly notWorseMargin?: string;
  /** --shard K/N: run shard K of N of the plan (whole rounds). */
  readonly shard?: string;
  /** --restore-host NAME: restore in containers that emulate another host. */
  readonly restoreHost?: string;
  /** --restore-on NAME: the InstantOn starts restore inside this guest (hosts vm create). */
  readonly restoreOn?: string;
  /** --images MANIFEST: measure only the plan's images (images export / images push manifest). */
  readonly images?: string;
  /** --store URL|DIR: add the finished run to a results store (history). */
  readonly store?: string;
  /** --label KEY=VALUE, repeated: what identifies the build (stored in the results file and the store). */
  readonly label?: readonly string[];
  /** --reference ARM: the arm measured unchanged in every build of a series (the trend's yardstick). */
  readonly reference?: string;
}
