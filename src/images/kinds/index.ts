import type { ArmSpec } from '../../results/config-types.js';
import type { Scenario } from '../../scenario/types.js';
import type { Engine } from '../../engine/engine.js';
import type { BuildOptions, ScenarioImages } from '../stack.js';
import type { ScenarioKind } from './kind.js';
import { imageKind } from './image.js';
import { semeruKind } from './semeru.js';
import { serverKind } from './server.js';

export type { KindOptions, ScenarioKind } from './kind.js';
export { aotOnImageScenario } from './image.js';

/**
 * The kinds of scenario, asked in this order: the first that claims a scenario builds it. The one place that says
 * which kind a scenario is; a new kind is its module and one line here.
 */
const KINDS: readonly ScenarioKind[] = [imageKind, semeruKind, serverKind];

export function kindOf(scenario: Scenario, profile: 'local' | 'semeru' = 'local'): ScenarioKind {
  return KINDS.find((k) => k.claims(scenario, profile)) ?? serverKind;
}

/** The scenario as an arm builds it (the kind it is decides which keys apply). */
export function applyArm(scenario: Scenario, arm: ArmSpec | undefined): Scenario {
  return arm ? kindOf(scenario).applyArm(scenario, arm) : scenario;
}

/** Build (or find in the cache) a scenario's images, as its kind builds them. */
export function buildScenario(engine: Engine, scenario: Scenario, build: BuildOptions): Promise<ScenarioImages> {
  return kindOf(scenario, build.config.profile).build(engine, scenario, build);
}
