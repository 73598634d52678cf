import {
  compareCpu,
  cpuVendor,
  hasCpuidFaulting,
  HOTSPOT_UNCONDITIONAL,
  unconditionalOn,
  RUN_ON_USE,
  VENDOR_ONLY,
} from './cpu-features.js';
import { criuCpuCapRefusals, type CriuCpuCap } from './criu-cpu-cap.js';
import type { CpuBaseline } from '../results/config-types.js';
import type { HostProfile } from './profile.js';
import { majorMinor, versionAtLeast } from '../core/version.js';

/** What a checkpoint recorded about itself (its image's labels): the host it was taken on and what it needs. */
export interface CheckpointRecord {
  /** The image (tag or ID) the record was read from. */
  readonly image: string;
  readonly phase?: string;
  readonly cpuModel?: string;
  /** The checkpoint host's CPU flags; undefined when the image has no record of them. */
  readonly cpuFlags?: readonly string[];
  readonly kernel?: string;
  /** The image's own glibc ("2.43"). */
  readonly glibc?: string;
  /** The image's own CRIU ("4.2.1"). */
  readonly criu?: string;
  /** The capabilities the checkpointed server holds: a restore must grant at least these. */
  readonly capabilities?: readonly string[];
  /** The checkpointed JVM was limited to this CPU level (cpu-baseline=). */
  readonly cpuBaseline?: CpuBaseline;
  /** The `--cpu-cap` its restore gives CRIU; Open Liberty's `server` script gives `none` (no CPU check by CRIU). */
  readonly criuCpuCap?: CriuCpuCap;
}

export type Outcome = 'restores' | 'at-risk' | 'fails';

export interface Finding {
  readonly outcome: Outcome;
  /** What differs, in words a team acts on. */
  readonly reason: string;
  readonly remedy?: string;
}

export interface Forecast {
  readonly image: string;
  readonly host: string;
  readonly outcome: Outcome;
  readonly findings: readonly Finding[];
}

const upper = (caps: readonly string[]): string => caps.map((c) => c.toUpperCase()).join(', ');

const RANK: Record<Outcome, number> = { restores: 0, 'at-risk': 1, fails: 2 };
export const worst = (outcomes: readonly Outcome[]): Outcome =>
  outcomes.reduce<Outcome>((w, o) => (RANK[o] > RANK[w] ? o : w), 'restores');

/**
 * What makes a checkpoint restore on an older CPU, as far as its host can do it: a JVM limited to a CPU level needs
 * CPUID faulting on the checkpoint host (cpuid_fault); elsewhere only another checkpoint host or a node selector helps.
 */
export function portableRemedy(checkpointFlags: readonly string[]): string {
  const elsewhere =
    "take it on a host of the fleet's oldest CPU, or schedule the pods only on nodes of the checkpoint host's CPU " +
    'generation (a node selector)';
  return hasCpuidFaulting(checkpointFlags)
    ? "take the checkpoint with its JVM limited to the fleet's oldest CPU level (an arm's cpu-baseline=x86-64-v2 " +
        `or x86-64-v3 on the local base: CPUID and glibc masked), ${elsewhere}`
    : 'the checkpoint host has no CPUID faulting (no cpuid_fault), so its JVM can be limited by options only: an ' +
        "arm's cpu-baseline=x86-64-v3-clwb restores on x86-64-v3 CPUs with " +
        `${unconditionalOn(checkpointFlags).join(' and ') || 'its other features'} ` +
        `(HotSpot runs them unasked), or ${elsewhere}`;
}

/** The missing features, each unconditional one with where HotSpot runs it. */
function namedMissing(missing: readonly string[]): string {
  return missing
    .map((f) => {
      const u = HOTSPOT_UNCONDITIONAL.find((x) => x.flag === f);
      return u ? `${f} (HotSpot ${u.jdk} runs it in ${u.where} with no option to turn it off)` : f;
    })
    .join(', ');
}

/**
 * A checkpoint restored on the other vendor's CPU: it fails where its code may use an instruction only its vendor
 * has (named with the case reported); otherwise only the features compared matter, as seen here (an AMD EPYC
 * checkpoint limited to x86-64-v3-clwb restored verified in an Intel Skylake-Server guest).
 */
function crossVendorFinding(c: CheckpointRecord, p: HostProfile, missing: readonly string[]): Finding | undefined {
  const from = cpuVendor(undefined, c.cpuModel, c.cpuFlags);
  const to = cpuVendor(p.cpu.vendor, p.cpu.model, p.cpu.flags);
  if (from === 'unknown' || to === 'unknown' || from === to) return undefined;
  const only = missing.filter((f) => VENDOR_ONLY[from].includes(f));
  return only.length > 0
    ? {
        outcome: 'fails',
        reason:
          `the checkpoint was taken on an ${from} CPU and may run ${only.join(', ')}, which no ${to} CPU has: it ` +
          `fails on every node of that vendor`,
        remedy: `take the checkpoint on a ${to} host, or schedule the pods on ${from} nodes only (a node selector)`,
      }
    : {
        outcome: 'restores',
        reason:
          `the checkpoint was taken on an ${from} CPU and this node's is ${to}: across vendors only the features ` +
          'compared here decide (seen here: AMD EPYC checkpoints, a default one from family 25 and one limited to ' +
          'x86-64-v3-clwb from family 26, restored verified in an Intel Skylake-Server guest; a default one from ' +
          "family 26 failed there on AVX-512 instructions the guest lacks). CRaC's own CPU check refuses an AMD " +
          'checkpoint on Intel for sse4a (zulu-openjdk #320); HotSpot runs no SSE4A instruction, so CRIU restores it',
      };
}

function cpuFindings(c: CheckpointRecord, p: HostProfile): Finding[] {
  if (c.cpuFlags === undefined)
    return [
      {
        outcome: 'at-risk',
        reason: `the image holds no record of its checkpoint host's CPU, so its features cannot be compared`,
        remedy: 'build the checkpoint with instanton-bench (it records the host) or keep CRIU cpuinfo with it',
      },
    ];
  if (p.arch !== 'unknown' && p.arch !== 'x86_64')
    return [
      { outcome: 'fails', reason: `the node is ${p.arch}; the checkpoint is x86_64 code`, remedy: 'an x86_64 node' },
    ];
  const cmp = compareCpu(c.cpuFlags, p.cpu.flags, c.cpuBaseline);
  const out: Finding[] = [];
  if (cmp.xsaveFrame)
    out.push({
      outcome: 'at-risk',
      reason:
        `the checkpoint host's CPU had xsave and this node's (${p.cpu.model}) has not: CRIU 4.2 restores the FPU ` +
        `registers without their xsave state ("FPU is about to restore ignoring xsave state!"; seen in a guest here)`,
      remedy: 'nodes with xsave (every x86-64 CPU since 2011), or a checkpoint taken on a CPU without it',
    });
  if (cmp.missing.length > 0)
    out.push({
      outcome: 'fails',
      reason:
        `the checkpoint may run ${namedMissing(cmp.missing)} instructions (its host, ${c.cpuModel ?? 'unknown'}, ` +
        `had them; the JVM's compiled code and glibc chose routines by them` +
        `${c.cpuBaseline ? `, within ${c.cpuBaseline}` : ''}) and this node's CPU ` +
        `(${p.cpu.model}) lacks them: the restored JVM would die of an illegal instruction`,
      remedy: portableRemedy(c.cpuFlags),
    });
  if (cmp.missingOnUse.length > 0)
    out.push({
      outcome: 'at-risk',
      reason:
        `the checkpoint's process runs ${cmp.missingOnUse
          .map((f) => `${f} (${RUN_ON_USE.find((r) => r.flag === f)?.where ?? 'on use'})`)
          .join(', ')} only when the application reaches that code, and this node's CPU (${p.cpu.model}) lacks ` +
        'them: the restore holds until then (seen here: a Pingperf checkpoint from an AMD EPYC restored verified in a ' +
        'Skylake-Server guest without them)',
      remedy: portableRemedy(c.cpuFlags),
    });
  const vendor = crossVendorFinding(c, p, cmp.missing);
  if (vendor) out.push(vendor);
  for (const refusal of criuCpuCapRefusals(c.criuCpuCap ?? 'none', c.cpuFlags, p.cpu.flags))
    out.push({
      outcome: 'fails',
      reason: `the image restores with CRIU --cpu-cap=${c.criuCpuCap}, which refuses this node ("${refusal.message}"): ${refusal.detail}`,
      remedy: "restore with --cpu-cap=none, as Open Liberty's server script does (the JVM's own limits then decide)",
    });
  if (cmp.otherMissing.length > 0)
    out.push({
      outcome: 'at-risk',
      reason:
        `the checkpoint host also had ${cmp.otherMissing.join(', ')}, which this node lacks: neither the JVM nor ` +
        `glibc uses them, an application's own native code might`,
      remedy: 'check native libraries the application loads, or use a portable checkpoint',
    });
  return out;
}

/**
 * Kernels a checkpoint from another kernel was restored on here and failed in CRIU's vDSO handling: evidence, not a
 * rule about one version (elsewhere a kernel change is a risk, not a failure).
 */
const VDSO_SEEN: ReadonlyArray<{ readonly restoredOn: string; readonly criu: string; readonly seen: string }> = [
  {
    restoredOn: '6.18',
    criu: '4.2.1',
    seen: 'checkpoints taken on 6.12 and on 7.2, restored on 6.18',
  },
];

/** Pairs of kernels (taken on, restored on) a restore across them was verified here with CRIU 4.2.1. */
const VDSO_RESTORED: ReadonlyArray<{ readonly takenOn: string; readonly restoredOn: string; readonly seen: string }> = [
  {
    takenOn: '6.18',
    restoredOn: '7.2',
    seen: 'AMD EPYC checkpoints restored verified in Skylake-Server and EPYC-Rome guests running 7.2.13',
  },
];

function kernelFindings(c: CheckpointRecord, p: HostProfile): Finding[] {
  const out: Finding[] = [];
  const f = p.kernel.features;
  if (f.config_checkpoint_restore === 'no')
    out.push({
      outcome: 'fails',
      reason: `the node's kernel (${p.kernel.release}) is built without CONFIG_CHECKPOINT_RESTORE`,
      remedy: 'a kernel with CONFIG_CHECKPOINT_RESTORE=y (every major distribution kernel has it)',
    });
  if (versionAtLeast(p.kernel.release, 5, 9) === false && !p.process.capabilities.includes('sys_admin'))
    out.push({
      outcome: 'fails',
      reason:
        `the node's kernel ${p.kernel.release} predates CAP_CHECKPOINT_RESTORE (Linux 5.9): CRIU can set the restored ` +
        `PIDs only with SYS_ADMIN, which the restore is not given`,
      remedy: 'Linux 5.9 or later on the node, or grant SYS_ADMIN to the restore (a much wider privilege)',
    });
  if (
    c.kernel !== undefined &&
    versionAtLeast(c.kernel, 6, 13) === true &&
    versionAtLeast(p.kernel.release, 6, 13) === false &&
    (c.glibc === undefined || versionAtLeast(c.glibc, 2, 42) !== false)
  )
    out.push({
      outcome: 'fails',
      reason:
        `the checkpoint was taken on Linux ${c.kernel}, which has guard regions (MADV_GUARD_INSTALL, Linux 6.13) that ` +
        `glibc 2.42 and later put at thread stacks (this image's glibc: ${c.glibc ?? 'unknown'}); this node's kernel ${p.kernel.release} has not, so CRIU's ` +
        'restorer cannot recreate them ("madvise(..., MADV_GUARD_INSTALL) failed with -22"; seen restoring a ' +
        "Pingperf checkpoint of this tool's local base in a Debian 12 (6.1) guest)",
      remedy:
        "Linux 6.13 or later on the nodes, or take the checkpoint on a host with the nodes' kernel " +
        '(or older than 6.13)',
    });
  const sameMinor = (a: string, b: string): boolean => majorMinor(a)?.join('.') === majorMinor(b)?.join('.');
  if (
    c.kernel !== undefined &&
    !sameMinor(c.kernel, p.kernel.release) &&
    (c.criu === undefined || !versionAtLeast(c.criu, 4, 3))
  ) {
    const seen = VDSO_SEEN.find((v) => sameMinor(v.restoredOn, p.kernel.release));
    const restored = VDSO_RESTORED.some(
      (v) => sameMinor(v.takenOn, c.kernel!) && sameMinor(v.restoredOn, p.kernel.release),
    );
    if (!restored)
      out.push(
        seen
          ? {
              outcome: 'fails',
              reason:
                `the checkpoint was taken on Linux ${c.kernel} and this node runs ${p.kernel.release}: CRIU ` +
                `${c.criu ?? seen.criu}'s restorer died of SIGSEGV right after mapping this kernel's vDSO in every such ` +
                `restore tried here (${seen.seen})`,
              remedy: `take the checkpoint on the nodes' kernel (${seen.restoredOn}), or a newer CRIU in the image once one restores it`,
            }
          : {
              outcome: 'at-risk',
              reason:
                `the checkpoint was taken on Linux ${c.kernel} and this node runs ${p.kernel.release}: CRIU remaps the ` +
                `restored process onto the node's vDSO, whose layout changes between kernels; CRIU ` +
                `${VDSO_SEEN.map((v) => `${v.criu} failed it restoring on ${v.restoredOn}`).join(', ')}; this pair was not tried`,
              remedy:
                "take the checkpoint on the nodes' kernel, or try one restore there before the fleet depends on it",
            },
      );
  }
  if (f.ptrace_get_rseq_configuration === 'no') {
    const restores = c.criu !== undefined && versionAtLeast(c.criu, 4, 0) === true;
    out.push({
      outcome: restores ? 'restores' : 'at-risk',
      reason:
        `the node's kernel ${p.kernel.release} has no PTRACE_GET_RSEQ_CONFIGURATION (Linux 5.13): ` +
        (restores
          ? `this image's CRIU ${c.criu} restores without it (it is needed to take a checkpoint, not to restore ` +
            `one), but a checkpoint could not be taken on this node ("has rseq but kernel lacks get_rseq_conf feature")`
          : `a checkpoint cannot be taken there, and this image's CRIU (${c.criu ?? 'version unknown'}) is not known ` +
            'to restore without it'),
      ...(restores ? {} : { remedy: 'Linux 5.13 or later on the node, or CRIU 4 or later in the image' }),
    });
  }
  if (f.clone3_set_tid === 'no' && f.ns_last_pid === 'no')
    out.push({
      outcome: 'fails',
      reason: `the node's kernel ${p.kernel.release} has neither clone3 with set_tid nor ns_last_pid: CRIU cannot give the restored threads their PIDs`,
      remedy: 'Linux 5.5 or later',
    });
  return out;
}

function capabilityFindings(c: CheckpointRecord, p: HostProfile): Finding[] {
  if (c.capabilities === undefined || c.capabilities.length === 0) return [];
  if (p.source === 'process' || p.source === 'guest')
    return p.process.capabilities.length === 0
      ? [
          {
            outcome: 'at-risk',
            reason: 'the profile was probed by an unprivileged process: what a restore container gets there is unknown',
            remedy:
              'probe inside a container or pod as the restore will run (hosts probe --in-container, or the DaemonSet)',
          },
        ]
      : [];
  const lacking = c.capabilities.filter((cap) => !p.process.capabilities.includes(cap));
  if (lacking.length === 0) return [];
  return [
    {
      outcome: 'fails',
      reason:
        `the checkpointed server holds ${upper(lacking)}, which a container on this node is not granted: CRIU ` +
        'cannot give a restored process more than it holds',
      remedy: `grant ${upper(lacking)} to the restore container (securityContext.capabilities.add)`,
    },
  ];
}

/** Will this checkpoint restore on this host? Every difference that matters, worst first. */
export function forecast(c: CheckpointRecord, p: HostProfile): Forecast {
  const findings = [...cpuFindings(c, p), ...kernelFindings(c, p), ...capabilityFindings(c, p)].sort(
    (a, b) => RANK[b.outcome] - RANK[a.outcome],
  );
  return { image: c.image, host: p.name, outcome: worst(findings.map((f) => f.outcome)), findings };
}
