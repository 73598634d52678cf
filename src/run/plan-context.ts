import type { ArmName } from '../results/keys.js';
import type { CliIo } from '../core/io.js';
import type { Engine } from '../engine/engine.js';
import { type Registration } from '../engine/run-registry.js';
import type { ArmImages } from './results-init.js';
import type { PlannedStart, ResultsFile } from '../results/types.js';
import type { Scenario } from '../scenario/types.js';
import type { RunSession } from './config.js';
import { type StopSignal } from './guard.js';
import type { RunWorld } from './world.js';

export interface PlanContext {
  /** The results file being filled (written after every start: house rule 9). */
  readonly results: ResultsFile;
  /** Planned starts still to measure, in order. */
  readonly remaining: PlannedStart[];
  /** The scenarios as each arm builds them (undefined: a run without arms). */
  readonly scenariosByArm: ReadonlyMap<ArmName, readonly Scenario[]>;
  readonly images: ArmImages;
  readonly engine: Engine;
  readonly io: CliIo;
  readonly world: RunWorld;
  readonly session: RunSession;
  readonly stop: StopSignal;
  readonly registration: Registration;
  /** The image ID each tag had at its first start in this process. */
  readonly imageIds: Map<string, string>;
}
