import type { Engine } from './engine.js';
import { readRegistry, type RegistryEntry } from './run-registry.js';

export interface Leftovers {
  /** Containers whose owning process is gone (a killed or crashed run). */
  readonly dead: string[];
  /** Containers of instanton-bench processes still running (another run, a build). */
  readonly live: Array<{ name: string; owner: RegistryEntry }>;
  /** Every live instanton-bench process other than `self`, from the same registry read. */
  readonly others: RegistryEntry[];
}

/**
 * Sort our containers (found by label) into those of live instanton-bench processes and
 * those left by dead ones. A container without an owner label (made by a version before
 * the registry) counts as dead only when no other instance is alive to own it.
 */
export async function findLeftovers(engine: Engine, registryDir: string, self?: string): Promise<Leftovers> {
  const { live } = await readRegistry(registryDir);
  const others = live.filter((e) => e.owner !== self);
  const byOwner = new Map(live.map((e) => [e.owner, e]));
  const containers = await engine.containersWithOwners();
  const dead: string[] = [];
  const alive: Leftovers['live'] = [];
  for (const c of containers) {
    if (c.owner === self && self !== undefined) continue;
    const owner = c.owner !== undefined ? byOwner.get(c.owner) : undefined;
    if (owner) alive.push({ name: c.name, owner });
    else if (c.owner !== undefined || others.length === 0) dead.push(c.name);
  }
  return { dead, live: alive, others };
}

/** Remove the containers of dead runs; returns their names and the other live processes. */
export async function removeDeadLeftovers(
  engine: Engine,
  registryDir: string,
  self?: string,
): Promise<{ removed: string[]; others: RegistryEntry[] }> {
  const { dead, others } = await findLeftovers(engine, registryDir, self);
  for (const name of dead) await engine.removeContainer(name);
  return { removed: dead, others };
}
