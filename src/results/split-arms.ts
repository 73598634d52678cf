import type { ArmSpec, ResultsFile } from './types.js';

/** One arm's share of a results file: its starts only (the configuration and environment shared). */
export interface ArmPart {
  /** Undefined for a file without arms (the one part is the whole file). */
  readonly arm?: string;
  readonly results: ResultsFile;
}

/** A results file as one part per arm, the baseline first; a file without arms is one part. */
export function splitByArm(results: ResultsFile): ArmPart[] {
  const arms = results.config.arms;
  if (!arms || arms.length === 0) return [{ results }];
  return arms.map((a) => ({
    arm: a.name,
    results: { ...results, runs: results.runs.filter((r) => r.arm === a.name) },
  }));
}

/** The arms of a run that run the application on a plain JVM (runtime=java): their ready is the line they name. */
export function plainJvmArms(results: Pick<ResultsFile, 'config'>): string[] {
  return (results.config.arms ?? []).filter((a) => a.runtime === 'java').map((a) => a.name);
}

/** What "ready" is in a run's reports: Liberty's CWWKF0011I, and a plain JVM arm's own ready line where it has one. */
export function readyWhat(results: Pick<ResultsFile, 'config'>): string {
  const plain = plainJvmArms(results);
  return plain.length === 0
    ? 'CWWKF0011I'
    : `CWWKF0011I on Liberty; the application's own ready line on the plain JVM (arm ${plain.join(', ')})`;
}

/** One line saying what an arm changed, for every report. */
export function describeArm(arm: ArmSpec): string {
  const parts = [
    arm.liberty && `Open Liberty ${arm.liberty}`,
    arm.libertyZip && `Liberty from ${arm.libertyZip}`,
    arm.jdk !== undefined && `OpenJDK ${arm.jdk}`,
    arm.jvmOptions && `jvm.options ${arm.jvmOptions}`,
    arm.serverXml && `server.xml ${arm.serverXml}`,
    arm.app && `app ${arm.app}`,
    ...Object.entries(arm.env).map(([k, v]) => `${k}=${v}`),
    arm.cpus !== undefined && `cpus=${arm.cpus}`,
    arm.memory && `memory=${arm.memory}`,
    arm.checkpointFrom === 'aot-cache' && 'checkpoints taken from a JVM running with the JDK AOT cache',
    arm.cpuBaseline && `the JVM limited to ${arm.cpuBaseline} (portable checkpoints)`,
    arm.image && `image ${arm.image}`,
    arm.coldState === 'clean' && 'cold starts from a clean state (Liberty --clean, -Xshare:off)',
    arm.coldState === 'primed' && 'cold starts from the primed image',
    arm.runtime === 'java' && 'a plain JVM (java -jar, no Liberty)',
    arm.runtime === 'liberty' && 'on Liberty',
  ].filter(Boolean);
  return `${arm.name}: ${parts.length > 0 ? parts.join(', ') : 'the scenario as it is'}`;
}
