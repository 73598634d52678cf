import { isServerScenario, type Scenario, type ServerScenario } from '../../src/scenario/types.js';

/** A loaded scenario the test knows is a server scenario (fails the test otherwise). */
export function serverScenario(s: Scenario): ServerScenario {
  if (!isServerScenario(s)) throw new Error(`${s.file} is not a server scenario`);
  return s;
}
