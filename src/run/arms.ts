import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { statIfExists } from '../core/read-if-exists.js';
import type { ArmSpec } from '../results/types.js';
import { ARM_KEYS, CPU_BASELINE_LEVELS, type ArmKey, type CpuBaseline } from '../results/config-types.js';
import type { ContainerLimits } from '../engine/engine.js';
import { needsAotCache, provesRestore, type Variant } from '../scenario/variants.js';
import { AOT_MIN_JDK } from '../images/aot-cache/aot-cache-image.js';

/**
 * A/B arms: several builds of the same scenarios measured in one run, interleaved round by
 * round. `--arm NAME[:KEY=VALUE[,KEY=VALUE...]]`; the first arm is the baseline; an arm with
 * no key is the scenario as it is (two of them make an A/A run).
 */
/** The CRIU shim is compiled for Java 22 (the FFM API): older JDKs cannot checkpoint. */
export const MIN_INSTANTON_JDK = 22;
const ARM_NAME = /^[a-z0-9][a-z0-9_-]{0,30}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const usage = `write --arm NAME or --arm NAME:KEY=VALUE[,KEY=VALUE...] with keys ${[...ARM_KEYS, 'env.NAME'].join(', ')}`;

/** How each arm key's value is checked and kept (syntax only; files and versions are checked by checkArms). */
type KeyParser = (
  arm: { -readonly [K in keyof ArmSpec]: ArmSpec[K] },
  value: string,
  bad: (why: string, fix: string) => never,
  cwd: string,
) => void;

const KEY_PARSERS: Readonly<Record<ArmKey, KeyParser>> = {
  liberty: (arm, value, bad) => {
    if (!/^\d+\.\d+\.\d+\.\d+(-beta)?$/.test(value))
      bad(`"${value}" is not an Open Liberty version`, 'e.g. liberty=26.0.0.2');
    arm.liberty = value;
  },
  'liberty-zip': (arm, value, _bad, cwd) => {
    arm.libertyZip = path.resolve(cwd, value);
  },
  jdk: (arm, value, bad) => {
    if (!/^\d{2}$/.test(value)) bad(`"${value}" is not a JDK feature release`, "e.g. jdk=21 (Debian's openjdk-21)");
    arm.jdk = Number(value);
  },
  'jvm-options': (arm, value, _bad, cwd) => {
    arm.jvmOptions = path.resolve(cwd, value);
  },
  'server-xml': (arm, value, _bad, cwd) => {
    arm.serverXml = path.resolve(cwd, value);
  },
  app: (arm, value, _bad, cwd) => {
    arm.app = path.resolve(cwd, value);
  },
  cpus: (arm, value, bad) => {
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0)
      bad(`"${value}" is not a positive number of CPUs`, 'e.g. cpus=0.7 (podman run --cpus)');
    arm.cpus = Number(value);
  },
  memory: (arm, value, bad) => {
    if (!/^\d+[kmg]?$/i.test(value)) bad(`"${value}" is not a memory size`, 'e.g. memory=512m (podman run --memory)');
    arm.memory = value.toLowerCase();
  },
  'checkpoint-from': (arm, value, bad) => {
    if (value !== 'aot-cache')
      bad(
        `"${value}" is not a JVM to checkpoint`,
        "checkpoint-from=aot-cache: take the checkpoints from a JVM started with the JDK's AOT cache",
      );
    arm.checkpointFrom = 'aot-cache';
  },
  'cpu-baseline': (arm, value, bad) => {
    if (!(CPU_BASELINE_LEVELS as readonly string[]).includes(value))
      bad(
        `"${value}" is not a CPU level`,
        'cpu-baseline=x86-64-v2 (Nehalem and later), x86-64-v3 (Haswell and later; both need CPUID faulting on the ' +
          'checkpoint host) or x86-64-v3-clwb (Skylake-SP and Zen 2 and later, by JVM options on any host)',
      );
    arm.cpuBaseline = value as CpuBaseline;
  },
  image: (arm, value, bad) => {
    if (!/^[a-z0-9][a-z0-9._/:@-]*$/i.test(value))
      bad(`"${value}" is not an image reference`, 'e.g. image=localhost/myapp:1.2 or image=quay.io/org/app:tag');
    arm.image = value;
  },
  containerfile: (arm, value, _bad, cwd) => {
    arm.containerfile = path.resolve(cwd, value);
  },
  runtime: (arm, value, bad) => {
    if (value !== 'liberty' && value !== 'java')
      bad(
        `"${value}" is not a runtime`,
        'runtime=liberty (the default: Liberty, with InstantOn) or runtime=java (the same jar on a plain JVM, java -jar)',
      );
    arm.runtime = value as 'liberty' | 'java';
  },
  'cold-state': (arm, value, bad) => {
    if (value !== 'primed' && value !== 'clean')
      bad(`"${value}" is not a cold state`, 'cold-state=primed (the primed image) or cold-state=clean (a first start)');
    arm.coldState = value as 'primed' | 'clean';
  },
};

/** Parse one --arm value (syntax only; files and versions are checked by checkArms). */
export function parseArm(text: string, cwd: string): ArmSpec {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  if (!ARM_NAME.test(name))
    throw new UsageError(
      `--arm ${text}: the name "${name}" must be lower-case letters, digits, "-" or "_" (at most 31)`,
      usage,
    );
  const arm: { -readonly [K in keyof ArmSpec]: ArmSpec[K] } = { name, env: {} };
  if (colon < 0) return arm;
  for (const pair of text.slice(colon + 1).split(',')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    const bad = (why: string, fix: string): never => {
      throw new UsageError(`--arm ${name}: ${key}: ${why}`, fix);
    };
    if (eq < 0 || value === '') bad('expected KEY=VALUE', usage);
    if (key.startsWith('env.')) {
      const env = key.slice(4);
      if (!ENV_NAME.test(env)) bad('environment variable names are [A-Za-z_][A-Za-z0-9_]*', 'e.g. env.MY_SETTING=1');
      arm.env = { ...arm.env, [env]: value };
      continue;
    }
    const parse = KEY_PARSERS[key as ArmKey];
    if (!parse) bad('unknown key', usage);
    parse(arm, value, bad, cwd);
  }
  if (arm.liberty !== undefined && arm.libertyZip !== undefined)
    throw new UsageError(`--arm ${name}: liberty and liberty-zip both name the Liberty to use`, 'keep one of them');
  if (arm.image !== undefined && arm.containerfile !== undefined)
    throw new UsageError(`--arm ${name}: image and containerfile both name the image to measure`, 'keep one of them');
  return arm;
}

/** Every arm named once; at least two when any is given (a baseline and a candidate). */
export function parseArms(texts: readonly string[] | undefined, cwd: string): ArmSpec[] | undefined {
  if (texts === undefined || texts.length === 0) return undefined;
  const arms = texts.map((t) => parseArm(t, cwd));
  const seen = new Set<string>();
  for (const a of arms) {
    if (seen.has(a.name)) throw new UsageError(`--arm ${a.name}: named twice`, 'give every arm its own name');
    seen.add(a.name);
  }
  if (arms.length < 2)
    throw new UsageError(
      `--arm ${arms[0]?.name}: one arm compares with nothing`,
      'pass a baseline arm first and at least one more, e.g. --arm base --arm new:liberty=26.0.0.3',
    );
  return arms;
}

/**
 * What can be checked before anything is built: files and directories exist, the JDK can run
 * the variants, the Liberty version is published. `libertyVersions` lists what Maven Central
 * serves (fetched by the caller, undefined when it could not be reached).
 */
export async function checkArms(
  arms: readonly ArmSpec[],
  variants: readonly Variant[],
  libertyVersions: readonly string[] | undefined,
): Promise<void> {
  for (const arm of arms) {
    const files: Array<[string, string | undefined, 'file' | 'dir' | 'any']> = [
      ['liberty-zip', arm.libertyZip, 'file'],
      ['jvm-options', arm.jvmOptions, 'file'],
      ['server-xml', arm.serverXml, 'file'],
      ['app', arm.app, 'any'],
      ['containerfile', arm.containerfile, 'file'],
    ];
    for (const [key, p, kind] of files) {
      if (p === undefined) continue;
      const info = await statIfExists(p);
      const ok = kind === 'file' ? info?.isFile() : kind === 'dir' ? info?.isDirectory() : info !== undefined;
      if (!ok)
        throw new UsageError(
          `--arm ${arm.name}: ${key}: expected an existing ` +
            `${kind === 'any' ? 'WAR or Maven project directory' : kind}, found nothing at ${p}`,
          `correct the path of ${key}`,
        );
      if (key === 'app' && info?.isDirectory() && !(await statIfExists(path.join(p, 'pom.xml')))?.isFile()) {
        throw new UsageError(
          `--arm ${arm.name}: app: ${p} holds no pom.xml`,
          'name a Maven project directory or a .war file',
        );
      }
    }
    if (arm.jdk !== undefined && arm.jdk < MIN_INSTANTON_JDK && variants.some(provesRestore)) {
      throw new UsageError(
        `--arm ${arm.name}: jdk: ${arm.jdk} cannot checkpoint here: the CRIU shim that lets Liberty checkpoint on ` +
          `HotSpot needs Java ${MIN_INSTANTON_JDK}+ (the FFM API)`,
        `use jdk=${MIN_INSTANTON_JDK} or later, or measure that arm with --variants cold`,
      );
    }
    if (arm.checkpointFrom !== undefined && !variants.some(provesRestore)) {
      throw new UsageError(
        `--arm ${arm.name}: checkpoint-from: the run measures no InstantOn variant, so no checkpoint is taken`,
        'add beforeAppStart or afterAppStart to --variants',
      );
    }
    if (
      arm.jdk !== undefined &&
      arm.jdk < AOT_MIN_JDK &&
      (needsAotCache(variants) || arm.checkpointFrom === 'aot-cache')
    ) {
      throw new UsageError(
        `--arm ${arm.name}: jdk: ${arm.jdk} has no one-step AOT cache: -XX:AOTCacheOutput (JEP 514) arrived in Java ` +
          `${AOT_MIN_JDK}`,
        `use jdk=${AOT_MIN_JDK} or later for that arm, or leave aotCache out of --variants`,
      );
    }
    if (arm.liberty !== undefined && libertyVersions !== undefined && !libertyVersions.includes(arm.liberty)) {
      throw new UsageError(
        `--arm ${arm.name}: liberty: Open Liberty ${arm.liberty} is not on Maven Central`,
        `use one of the published versions, e.g. ${libertyVersions.slice(-3).join(', ')}`,
      );
    }
  }
}

/** The server container's limits of an arm (cpus=, memory=): podman run's CPU and memory limits. */
export function armLimits(arm: ArmSpec): ContainerLimits {
  return {
    ...(arm.cpus !== undefined ? { cpus: arm.cpus } : {}),
    ...(arm.memory !== undefined ? { memory: arm.memory } : {}),
  };
}
