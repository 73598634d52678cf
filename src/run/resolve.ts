import path from 'node:path';
import type { CliIo } from '../core/io.js';
import { planCpus } from '../core/cpu-list.js';
import { UsageError } from '../core/errors.js';
import { checkOutputFile } from '../core/output-paths.js';
import { kindOf } from '../images/kinds/index.js';
import type { KindOf, HostCpu } from '../images/kinds/kind.js';
import { publishedLibertyVersions } from '../images/liberty/liberty-dist.js';
import type { RunSettings } from '../results/types.js';
import { loadScenarios } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import type { Variant } from '../scenario/variants.js';
import { checkStore } from '../store/store-results.js';
import { checkArms } from './arms.js';
import type { ArmName } from '../results/keys.js';
import { RESUME_COMPATIBLE_OPTIONS, resolveRun, type RunSession } from './config.js';
import type { RunInput } from './run-input.js';
import type { RunWorld } from './world.js';

const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * `run`'s input, checked before anything is taken (the machine's registry, the results file's lock), built or
 * started: the options, the CPUs, the results file's place, the arms' files and versions, the scenario files against
 * the options and each arm against each scenario's kind, the store. Every refusal here is exit 2 (exit 3 for a store
 * that cannot be reached). A resume's plan is its stored one: only the flags it would ignore are refused here.
 */
export async function resolveRunInput(
  input: RunInput,
  given: readonly string[],
  io: CliIo,
  world: RunWorld,
): Promise<{
  resumeFile?: string;
  fresh?: { settings: RunSettings; session: RunSession };
  freshScenarios?: Scenario[];
  freshKinds?: ArmKinds;
}> {
  if (input.resume !== undefined) return { resumeFile: refuseResumeFlags(input.resume, given, io.cwd) };
  const fresh = resolveRun(input, io.cwd, new Date());
  await checkOutputFile('--out', fresh.session.out);
  planCpus(await world.host.onlineCpus(), fresh.session.serverCpus);
  const arms = fresh.settings.arms;
  if (arms)
    await checkArms(
      arms,
      fresh.settings.variants,
      arms.some((a) => a.liberty !== undefined) ? await publishedLibertyVersions() : undefined,
    );
  // The scenario files against the options (ramp-up within their timeouts, each arm applicable to each kind).
  const freshScenarios = await loadScenarios(fresh.settings.scenarioRefs, io.cwd);
  const freshKinds = checkScenariosForRun(freshScenarios, fresh.settings, await world.host.cpu());
  const notApplicable = notApplicableOf(freshKinds, fresh.settings);
  if (fresh.session.store !== undefined) await checkStore(fresh.session.store, (l) => io.err(`run: ${l}`));
  return {
    fresh: notApplicable ? { ...fresh, settings: { ...fresh.settings, notApplicable } } : fresh,
    freshScenarios,
    freshKinds,
  };
}

/**
 * The variants each arm's kinds cannot measure (a plain JVM takes no checkpoint), by arm; undefined when every arm
 * measures every variant. A variant no arm can measure is refused (exit 2): the run would have nothing of it.
 */
export function notApplicableOf(
  kinds: ArmKinds,
  settings: Pick<RunSettings, 'variants'>,
): Record<string, Variant[]> | undefined {
  const out: Record<string, Variant[]> = {};
  for (const [arm, armKinds] of kinds) {
    const skipped = settings.variants.filter((v) => armKinds.some((k) => !k.measures(v)));
    if (skipped.length > 0) out[arm ?? ''] = skipped;
  }
  const idle = [...kinds.keys()].find((arm) => out[arm ?? '']?.length === settings.variants.length);
  if (idle !== undefined && kinds.size > 1)
    throw new UsageError(
      `--arm ${idle}: runtime=java: a plain JVM takes no checkpoint, so it measures none of --variants ` +
        `${settings.variants.join(',')}`,
      'add cold (and aotCache) to --variants to compare the plain JVM with Liberty',
    );
  const nowhere = settings.variants.filter((v) => [...kinds.keys()].every((arm) => out[arm ?? '']?.includes(v)));
  if (nowhere.length > 0) {
    const arms = [...kinds.keys()];
    throw new UsageError(
      `--variants ${nowhere.join(',')}: ${arms.length > 1 || arms[0] !== undefined ? 'no arm of this run' : 'this run'} ` +
        `can measure ${nowhere.length > 1 ? 'them' : 'it'}: a plain JVM (runtime=java) takes no checkpoint`,
      `measure ${nowhere.join(' and ')} on Liberty (an arm without runtime=java), or pass --variants cold,aotCache`,
    );
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Each arm's scenarios as the arm builds them, each with the kind that takes it: decided once, read by the build. */
export type ArmKinds = ReadonlyMap<ArmName, readonly KindOf[]>;

/**
 * What the scenario files say against the options, checked before the machine or the results file is taken: a ramp-up
 * longer than a scenario's timeout, an arm that cannot apply to a scenario's kind (exit 2). Returns each arm's
 * scenarios with their kinds, as the build takes them.
 */
export function checkScenariosForRun(
  scenarios: readonly Scenario[],
  settings: RunSettings,
  hostCpu: HostCpu,
): ArmKinds {
  for (const sc of scenarios) {
    if (settings.rampUpS !== undefined && settings.rampUpS * 1000 > sc.readyTimeoutMs) {
      throw new UsageError(
        `--ramp-up ${settings.rampUpS}: longer than scenario ${sc.name}'s timeout (${sc.readyTimeoutMs / 1000} s) ` +
          `allows`,
        `pass --ramp-up ${Math.floor(sc.readyTimeoutMs / 1000)} or less, or raise readyTimeoutMs in ${sc.file}`,
      );
    }
  }
  // Each scenario's kind once, under the run's profile; an arm's scenario is that kind's to edit (and may be another
  // kind's then: runtime=java).
  const base = scenarios.map((sc) => kindOf(sc, settings.profile));
  const kinds = new Map<ArmName, readonly KindOf[]>();
  for (const arm of settings.arms ?? [undefined])
    kinds.set(
      arm?.name,
      base.map((b) => {
        const kind = arm ? b.withArm(arm) : b;
        kind.refuse(arm, { ...settings, hostCpu });
        return kind;
      }),
    );
  return kinds;
}

function refuseResumeFlags(file: string, given: readonly string[], cwd: string): string {
  const ignored = given.filter((k) => !(RESUME_COMPATIBLE_OPTIONS as readonly string[]).includes(k));
  if (ignored.length > 0) {
    throw new UsageError(
      `--resume takes the plan from the results file; it would ignore ${ignored.map(flagName).join(', ')}`,
      `drop ${ignored.map(flagName).join(', ')} (with --resume only --verbose, --fail-fast and --allow-concurrent ` +
        `apply), or start a new run with --out another.json`,
    );
  }
  return path.resolve(cwd, file);
}
