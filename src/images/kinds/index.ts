import type { Profile } from '../../results/config-types.js';
import type { Scenario } from '../../scenario/types.js';
import type { KindOf, ScenarioKind } from './kind.js';
import { imageKind } from './image.js';
import { javaKind } from './java.js';
import { semeruKind } from './semeru.js';
import { serverKind } from './server.js';
import { springBootKind } from './spring-boot.js';

/** A kind with its scenario (and the profile it was decided under) bound: what kindOf hands the stages. */
function bind<S extends Scenario>(kind: ScenarioKind<S>, scenario: S, profile: Profile): KindOf {
  return {
    name: kind.name,
    scenario,
    refuse: (arm, opts) => kind.refuse(scenario, arm, opts),
    applyArm: (arm) => kind.applyArm(scenario, arm),
    // The arm's keys are this kind's to apply; what the edited scenario then is, KINDS decides (runtime=java makes a
    // Spring Boot scenario the plain JVM's), under the same profile.
    withArm: (arm) => kindOf(kind.applyArm(scenario, arm), profile),
    measures: (variant) => kind.measures?.(variant) ?? true,
    beforeBuild: async (ctx) => kind.beforeBuild?.(scenario, ctx),
    dryRun: (engine, opts) => kind.dryRun(engine, scenario, opts),
    build: (engine, build) => kind.build(engine, scenario, build),
  };
}

const claimedBy =
  <S extends Scenario>(kind: ScenarioKind<S>) =>
  (scenario: Scenario, profile: Profile): KindOf | undefined =>
    kind.claims(scenario, profile) ? bind(kind, scenario, profile) : undefined;

/**
 * The kinds of scenario, asked in this order: the first that claims a scenario builds it. The one place that says
 * which kind a scenario is; a new kind is its module and one line here.
 */
const KINDS = [
  claimedBy(imageKind),
  claimedBy(javaKind),
  claimedBy(springBootKind),
  claimedBy(semeruKind),
  claimedBy(serverKind),
];

/** The kind that takes this scenario under this profile, with the scenario bound. */
export function kindOf(scenario: Scenario, profile: Profile = 'local'): KindOf {
  for (const claim of KINDS) {
    const kind = claim(scenario, profile);
    if (kind) return kind;
  }
  throw new Error(`internal: ${scenario.file} is neither a server scenario nor an image scenario`);
}
