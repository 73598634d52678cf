import { majorMinor, versionAtLeast } from '../core/version.js';
import { PINNING_TOOL_PROBE } from '../engine/podman-argv.js';
import { readIfExists } from '../core/read-if-exists.js';
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import { execa } from 'execa';
import { baseImageTag } from '../images/base/base-image.js';
import { onlineCpus } from '../core/cpu-list.js';
import { PREFERRED_NOFILE, readHostLimits, resolveEngineFlags } from '../engine/host-flags.js';
import { Podman } from '../engine/podman.js';
import type { Privilege } from '../engine/engine.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';
export interface CheckResult {
  readonly name: string;
  readonly level: CheckLevel;
  readonly detail: string;
  readonly remedy?: string;
}

export const MIN_FREE_DISK_BYTES = 6 * 1024 ** 3;
export const CHECK_TIMEOUT_MS = 120_000;

async function version(file: string, args: readonly string[]): Promise<string | undefined> {
  // A tool that cannot even be spawned is reported as missing by the caller (undefined version).
  const r = await execa(file, args, { reject: false, timeout: 30_000, all: true }).catch(() => undefined);
  if (!r || r.exitCode !== 0) return undefined;
  return String(r.all ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .find((l) => l.trim())
    ?.trim();
}

async function tool(name: string, args: string[], remedy: string): Promise<CheckResult> {
  const v = await version(name, args);
  return v ? { name, level: 'ok', detail: v } : { name, level: 'fail', detail: 'not found on PATH', remedy };
}

const kernelAtLeast = (release: string, major: number, minor: number): boolean =>
  versionAtLeast(release, major, minor) === true;

/** Every prerequisite of a run, each with a remedy. */
export async function checkPrerequisites(cacheDirPath: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  results.push(await tool('podman', ['--version'], 'apt-get install podman'));
  results.push(
    await tool('runc', ['--version'], "apt-get install runc (Debian 12's crun fails on cgroups hybrid mode)"),
  );
  results.push(
    await tool('debootstrap', ['--version'], "apt-get install debootstrap (builds the local profile's base image)"),
  );
  results.push(await tool(PINNING_TOOL_PROBE[0], [...PINNING_TOOL_PROBE[1]], 'apt-get install util-linux'));
  results.push(await tool('unzip', ['-v'], 'apt-get install unzip'));
  results.push(await tool('mvn', ['--version'], 'apt-get install maven (builds the scenario applications)'));
  results.push(await tool('java', ['-version'], 'apt-get install default-jdk-headless (Maven needs a JDK)'));

  const limits = await readHostLimits();
  const flags = resolveEngineFlags(limits);
  results.push({
    name: 'ulimits',
    level: flags.nofile < 1024 ? 'fail' : 'ok',
    detail:
      `hard nofile ${limits.nofileHard}, nproc ${limits.nprocHard}; containers get nofile=${flags.nofile}, ` +
      `nproc=${flags.nproc}`,
    ...(flags.nofile < 1024 ? { remedy: `raise the hard open-files limit to at least ${PREFERRED_NOFILE}` } : {}),
  });

  const kernel = os.release();
  results.push(
    kernelAtLeast(kernel, 5, 9)
      ? { name: 'kernel', level: 'ok', detail: `${kernel} (CAP_CHECKPOINT_RESTORE needs >= 5.9)` }
      : {
          name: 'kernel',
          level: 'warn',
          detail: `${kernel}: older than 5.9, InstantOn restores need --privileged`,
          remedy: 'use a kernel >= 5.9',
        },
  );
  results.push(...(await kernelFeatures(kernel)));
  const cgroup2 = await execa('stat', ['-fc', '%T', '/sys/fs/cgroup'], { reject: false }).then((r) =>
    String(r.stdout).trim(),
  );
  results.push({
    name: 'cgroups',
    level: 'ok',
    detail: cgroup2 === 'cgroup2fs' ? 'v2 (unified)' : `v1 or hybrid (${cgroup2}); runc is used`,
  });

  const cpus = await onlineCpus();
  results.push(
    cpus.length >= 2
      ? {
          name: 'cpus',
          level: 'ok',
          detail: `${cpus.length} online; server on CPU ${cpus[cpus.length - 1]}, harness on the rest by default`,
        }
      : {
          name: 'cpus',
          level: 'warn',
          detail: "1 CPU: the harness shares the server's CPU",
          remedy: 'use a machine with 2 or more CPUs for trustworthy figures',
        },
  );

  // The cache directory may not exist yet: measure the disk it will be on.
  const fsInfo = await statfs(cacheDirPath).catch(() => statfs(os.homedir()));
  const free = fsInfo.bavail * fsInfo.bsize;
  results.push(
    free >= MIN_FREE_DISK_BYTES
      ? { name: 'disk', level: 'ok', detail: `${(free / 1024 ** 3).toFixed(1)} GiB free` }
      : {
          name: 'disk',
          level: 'fail',
          detail: `${(free / 1024 ** 3).toFixed(1)} GiB free`,
          remedy: 'free at least 6 GiB (images and the Liberty download)',
        },
  );

  if (results.find((r) => r.name === 'podman')?.level === 'ok') results.push(...(await checkEngine(new Podman(flags))));
  return results;
}

/** What CRIU needs from this kernel, probed before anything is built. */
export async function kernelFeatures(kernel: string): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const status = (await readIfExists('/proc/self/status')) ?? '';
  const bnd = /CapBnd:\s*([0-9a-f]+)/.exec(status)?.[1];
  const hasCheckpointRestore = bnd !== undefined && ((BigInt(`0x${bnd}`) >> 40n) & 1n) === 1n;
  out.push(
    hasCheckpointRestore
      ? {
          name: 'cap ckpt',
          level: 'ok',
          detail: 'CAP_CHECKPOINT_RESTORE is known to this kernel and in our bounding set',
        }
      : {
          name: 'cap ckpt',
          level: 'warn',
          detail: 'CAP_CHECKPOINT_RESTORE unavailable: restores need --privileged',
          remedy: 'use a kernel >= 5.9 and run as root with full capabilities',
        },
  );
  out.push(
    kernelAtLeast(kernel, 5, 5)
      ? {
          name: 'clone3',
          level: 'ok',
          detail: 'clone3 with set_tid available (kernel >= 5.5): CRIU can choose restored PIDs',
        }
      : {
          name: 'clone3',
          level: 'warn',
          detail: 'no clone3: CRIU needs a writable ns_last_pid',
          remedy: 'use a newer kernel or restore --privileged',
        },
  );
  out.push(
    kernelAtLeast(kernel, 5, 13)
      ? {
          name: 'rseq',
          level: 'ok',
          detail: 'ptrace(PTRACE_GET_RSEQ_CONFIGURATION) available (kernel >= 5.13): glibc rseq is checkpointable',
        }
      : {
          name: 'rseq',
          level: 'warn',
          detail:
            'no PTRACE_GET_RSEQ_CONFIGURATION: glibc 2.35+ images need GLIBC_TUNABLES=glibc.pthread.rseq=0 at ' +
            'checkpoint (Liberty sets it)',
          remedy: 'see instanton-bench diagnose [rseq-ptrace-unsupported]',
        },
  );
  return out;
}

/** CRIU releases known to fail on newer kernels (shared notes): returns why, or undefined. */
export function criuTooOld(criuVersion: string, kernel: string): string | undefined {
  const v = majorMinor(criuVersion);
  if (!v) return undefined;
  const [major, minor] = v;
  const older = (a: number, b: number): boolean => major < a || (major === a && minor < b);
  if (kernelAtLeast(kernel, 6, 16) && older(4, 2))
    return (
      `CRIU ${major}.${minor} cannot dump inet sockets on Linux >= 6.16 (SO_PASSCRED refused); ` +
      `${older(4, 0) ? 'and fails at vDSO detection on this kernel; ' : ''}use CRIU >= 4.2`
    );
  return undefined;
}

async function checkEngine(podman: Podman): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const { tag } = await baseImageTag();
  // An engine that cannot answer is reported by the engine check itself; here it means "not built".
  if (!(await podman.imageExists(tag).catch(() => false))) {
    out.push({
      name: 'base image',
      level: 'warn',
      detail: `${tag} not built yet, so CRIU inside it is unchecked`,
      remedy: 'run instanton-bench build (about 3 minutes the first time), then doctor again',
    });
    return out;
  }
  const run = async (privilege: Privilege | undefined, command: string[]): Promise<{ ok: boolean; text: string }> => {
    const r = await podman.runOnce({
      image: tag,
      purpose: 'doctor',
      entrypoint: command[0] as string,
      args: command.slice(1),
      ...(privilege ? { privilege } : {}),
      timeoutMs: CHECK_TIMEOUT_MS,
    });
    return { ok: r.exitCode === 0, text: r.all.trim() };
  };
  const smoke = await run(undefined, ['true']);
  out.push(
    smoke.ok
      ? {
          name: 'podman run',
          level: 'ok',
          detail: `a container starts with ` + `${podman.hostRunFlags().join(' ')}`,
        }
      : {
          name: 'podman run',
          level: 'fail',
          detail: smoke.text.split('\n').slice(-3).join(' | '),
          remedy: 'see shared notes: podman needs --runtime runc and ulimits below the hard limits',
        },
  );
  const criu = await run({ kind: 'privileged' }, ['criu', 'check']);
  const criuVersion = await run(undefined, ['criu', '--version']);
  const tooOld = criuTooOld(criuVersion.text, os.release());
  const healthy = criu.ok && /Looks good/.test(criu.text) && tooOld === undefined;
  out.push(
    healthy
      ? {
          name: 'criu check',
          level: 'ok',
          detail: `${criuVersion.text.split('\n')[0] ?? ''} in the base image: ${criu.text.split('\n').pop() ?? ''}`,
        }
      : {
          name: 'criu check',
          level: 'warn',
          detail: tooOld ?? criu.text.split('\n').slice(-3).join(' | '),
          remedy: 'InstantOn variants will not work: use a CRIU >= 4.2 (Debian sid) in the base image',
        },
  );
  out.push(
    healthy
      ? {
          name: 'variants',
          level: 'ok',
          detail: 'cold, beforeAppStart and afterAppStart will work here (local profile)',
        }
      : {
          name: 'variants',
          level: 'warn',
          detail: 'only cold will work here: checkpoints or restores would fail',
          remedy: 'fix the CRIU problem above',
        },
  );
  return out;
}
