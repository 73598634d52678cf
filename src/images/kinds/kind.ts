import type { Engine } from '../../engine/engine.js';
import type { EngineFlags } from '../../engine/host-flags.js';
import type { ArmSpec, Profile } from '../../results/config-types.js';
import type { CheckpointFlow } from '../../results/types.js';
import { UsageError } from '../../core/errors.js';
import { isServerScenario, type Scenario } from '../../scenario/types.js';
import { needsAotCache, type CheckpointPhase, type Variant } from '../../scenario/variants.js';
import type { BuildOptions, ScenarioImages } from '../stack.js';
import type { LibertyDistribution } from '../liberty/liberty-dist.js';
import type { FeatureCatalog } from '../liberty/liberty-features.js';
import type { BuildReporter } from '../progress.js';

/** The CPU of the host that takes the checkpoints: its model and its /proc/cpuinfo flags. */
export interface HostCpu {
  readonly model: string;
  readonly flags: readonly string[];
}

/** What a kind's refusals read: the run's (or build's) options, and the checkpoint host's CPU when known. */
export interface KindOptions {
  readonly variants: readonly Variant[];
  readonly profile: Profile;
  readonly checkpointFlow: CheckpointFlow;
  readonly hostCpu?: HostCpu;
}

/** The run asks for the JDK's AOT cache: the aotCache variant, or an arm's checkpoints taken from its JVM. */
export const wantsAotCache = (arm: ArmSpec | undefined, opts: KindOptions): boolean =>
  needsAotCache(opts.variants) || arm?.checkpointFrom === 'aot-cache';

/** runtime=java runs an executable jar on a plain JVM: a scenario that is not a Spring Boot jar has none (exit 2). */
export function refuseJavaRuntime(scenario: Scenario, arm: ArmSpec | undefined): void {
  if (arm?.runtime !== 'java' && scenario.runtime !== 'java') return;
  const what = isServerScenario(scenario)
    ? `deploys a web application (${scenario.app.deployAs}) that needs an application server`
    : 'measures an image, whose start the tool does not choose';
  throw new UsageError(
    `${arm ? `--arm ${arm.name}: runtime=java` : '--runtime java'}: ${scenario.name} ${what}; a plain JVM runs a ` +
      'Spring Boot executable jar (java -jar)',
    'give runtime=java to a scenario whose app.deployAs is a Spring Boot jar (e.g. spring-boot), or drop it',
  );
}

/** What `build --dry-run` reads. */
export interface DryRunOptions {
  readonly cache: string;
  readonly phases: readonly CheckpointPhase[];
  readonly aotCache: boolean;
  readonly rebuild: boolean;
  readonly builtFlow: boolean;
  readonly baseCriu?: string;
  readonly profile: Profile;
  readonly dist?: LibertyDistribution;
  /** The flags the engine gives every container (the semeru profile prints its commands with them). */
  readonly engineFlags: EngineFlags;
}

/** What the checks before any build read (Liberty's own feature manifests). */
export interface PreBuildContext {
  readonly libertyDir: string;
  readonly release: string;
  readonly phases: readonly CheckpointPhase[];
  readonly reporter: BuildReporter;
  readonly catalog: FeatureCatalog;
}

/**
 * One kind of scenario: the tool's own server (server), the scenario's own image (image), the tool's server built as
 * Open Liberty's docs build it on the official image (semeru). Each kind owns what the options and arms may ask of
 * it, how an arm applies to it, its dry run and its build, on the scenario type it claims (no cast: `claims` narrows);
 * kinds/index.ts is the one place that says which kind a scenario is. A new kind is a module implementing this and
 * one line in KINDS there.
 */
export interface ScenarioKind<S extends Scenario = Scenario> {
  readonly name: string;
  /** This kind takes the scenario under this profile (KINDS is asked in order), as its own type. */
  claims(scenario: Scenario, profile: Profile): scenario is S;
  /** What the options or an arm ask that this kind cannot do: thrown as a usage or scenario error (exit 2). Pure. */
  refuse(scenario: S, arm: ArmSpec | undefined, opts: KindOptions): void;
  /** The scenario as an arm builds it (the arm's keys this kind takes; the others refused). */
  applyArm(scenario: S, arm: ArmSpec): Scenario;
  /** Whether this kind can measure a variant (default: every one; a plain JVM takes no checkpoint). */
  measures?(variant: Variant): boolean;
  /** Checks made before anything is built (none by default). */
  beforeBuild?(scenario: S, ctx: PreBuildContext): Promise<void>;
  /**
   * `build --dry-run`: the lines it prints and how many steps would build (none said where the kind prints the
   * commands it would run instead of steps). Nothing is built or run.
   */
  dryRun(engine: Engine, scenario: S, opts: DryRunOptions): Promise<{ lines: string[]; toBuild?: number }>;
  /** Build (or find in the cache) the scenario's images. */
  build(engine: Engine, scenario: S, build: BuildOptions): Promise<ScenarioImages>;
}

/**
 * A scenario with the kind that takes it, decided once (kinds/index.ts kindOf): the stages after ask it, with the
 * scenario bound, and never the scenario's shape or the profile.
 */
export interface KindOf {
  readonly name: string;
  readonly scenario: Scenario;
  refuse(arm: ArmSpec | undefined, opts: KindOptions): void;
  applyArm(arm: ArmSpec): Scenario;
  /** The scenario as the arm builds it, with the kind that takes it under the same profile. */
  withArm(arm: ArmSpec): KindOf;
  measures(variant: Variant): boolean;
  beforeBuild(ctx: PreBuildContext): Promise<void>;
  dryRun(engine: Engine, opts: DryRunOptions): Promise<{ lines: string[]; toBuild?: number }>;
  build(engine: Engine, build: BuildOptions): Promise<ScenarioImages>;
}
