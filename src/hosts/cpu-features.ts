import { CPU_BASELINE_METHOD, type CpuBaseline } from '../results/config-types.js';
/**
 * Which CPU features a checkpoint of a JVM depends on (flags as /proc/cpuinfo spells them).
 *
 * A checkpoint holds code chosen for the CPU it was taken on: HotSpot's JIT-compiled methods and
 * stubs (its instruction-set options: UseSSE, UseAVX, UseAES, UseSHA, UseBMI1/2, UseFMA, ...) and
 * glibc's CPU-specific string and memory routines and its dynamic linker's register-saving
 * trampoline (xsave / xsavec). Restored on a CPU without such a feature, the process dies of an
 * illegal instruction the first time it runs that code. CRIU itself checks only the FPU frame
 * unless `--cpu-cap` asks for more: a checkpoint with an xsave area cannot restore on a CPU
 * without xsave ("FPU xsave area present, but host cpu doesn't support it"; CRIU 4.2,
 * criu/arch/x86/cpu.c).
 */

/**
 * Instruction-set features HotSpot (jdk25u) or glibc select code by: missing ones fail a restore. Not sse4a: HotSpot
 * only picks between SSE2 moves by it (UseXmmLoadAndClearUpper, UseXmmRegToRegMoveAll in vm_version_x86.cpp) and runs
 * no SSE4A instruction.
 */
export const JVM_USED_FEATURES: readonly string[] = [
  'sse',
  'sse2',
  'pni',
  'ssse3',
  'sse4_1',
  'sse4_2',
  'popcnt',
  'abm',
  'avx',
  'avx2',
  'fma',
  'f16c',
  'bmi1',
  'bmi2',
  'adx',
  'movbe',
  'aes',
  'pclmulqdq',
  'sha_ni',
  'vaes',
  'vpclmulqdq',
  'gfni',
  'avx512f',
  'avx512dq',
  'avx512cd',
  'avx512bw',
  'avx512vl',
  'avx512ifma',
  'avx512vbmi',
  'avx512_vbmi2',
  'avx512_vnni',
  'avx512_bitalg',
  'avx512_vpopcntdq',
  'avx512_fp16',
  'avx512_bf16',
  'avx_vnni',
  'xsave',
  'xsavec',
  'rtm',
  'cx16',
  'lahf_lm',
];

/**
 * Features of JVM_USED_FEATURES whose code runs only when the application calls what uses it (HotSpot's intrinsic
 * stubs) or glibc's dynamic linker binds a function lazily: a node without them restores, and the process dies only
 * if that code runs (at risk, not fails). Seen here: Pingperf's default afterAppStart checkpoint from an AMD EPYC
 * (family 25) restored verified in a Skylake-Server guest that lacks all four.
 */
export const RUN_ON_USE: ReadonlyArray<{ readonly flag: string; readonly where: string }> = [
  { flag: 'sha_ni', where: 'SHA-1/SHA-256 intrinsics (MessageDigest, TLS, signed jars)' },
  { flag: 'vaes', where: 'AES-CTR and AES-GCM intrinsics on wide vectors (javax.crypto, TLS)' },
  { flag: 'vpclmulqdq', where: 'CRC32, CRC32C and GHASH intrinsics on wide vectors (java.util.zip, TLS)' },
  { flag: 'xsavec', where: "glibc's dynamic linker, saving registers when it binds a function lazily" },
];

const RUN_ON_USE_FLAGS = new Set(RUN_ON_USE.map((r) => r.flag));

/**
 * Instructions HotSpot runs wherever CPUID reports them, with no option to turn them off (read from the JDK version
 * named, and seen where named): only a JVM whose CPUID answers were limited (cpu-baseline=) avoids them.
 */
export const HOTSPOT_UNCONDITIONAL: ReadonlyArray<{
  readonly flag: string;
  readonly jdk: string;
  readonly where: string;
  readonly seen: string;
}> = [
  {
    flag: 'serialize',
    jdk: '25',
    where: 'OrderAccess::cross_modify_fence',
    seen: 'an Intel checkpoint restored in a Nehalem guest died of SIGILL in SafepointMechanism::update_poll_values',
  },
  {
    flag: 'clwb',
    jdk: '25',
    where: 'ICache::flush_icache_final_stub (sfence; clwb), its instruction-cache flush',
    seen:
      'AMD EPYC checkpoints restored in Nehalem and Haswell-noTSX guests died of SIGILL there, even with every ' +
      'instruction-set option off',
  },
];

const UNCONDITIONAL_FLAGS: readonly string[] = HOTSPOT_UNCONDITIONAL.map((u) => u.flag);

/** The instructions of HOTSPOT_UNCONDITIONAL a host with these flags has: a JVM there runs them unasked. */
export const unconditionalOn = (flags: readonly string[]): string[] =>
  UNCONDITIONAL_FLAGS.filter((f) => flags.includes(f));

/**
 * The kernel can make CPUID fault for one process (arch_prctl ARCH_SET_CPUID), which the cpu-baseline preload needs:
 * Intel's CPUID faulting, and AMD's CpuidUserDis where the hypervisor passes it on (Linux 6.17+ shows both as
 * cpuid_fault; KVM virtualises AMD's only from a 2026 patch, and Firecracker clears it).
 */
export const hasCpuidFaulting = (flags: readonly string[]): boolean => flags.includes('cpuid_fault');

/** Every feature a default (unlimited) checkpoint of a HotSpot JVM may depend on. */
const DEFAULT_DEPENDED: readonly string[] = [...JVM_USED_FEATURES, ...UNCONDITIONAL_FLAGS];

/**
 * Flags that describe the machine, not instructions a program runs (bugs, paging, timers,
 * virtualisation): never a reason to doubt a restore.
 */
const NOT_INSTRUCTIONS = new Set([
  'hypervisor',
  'pti',
  'constant_tsc',
  'nonstop_tsc',
  'tsc_known_freq',
  'tsc_deadline_timer',
  'tsc_adjust',
  'rep_good',
  'nopl',
  'xtopology',
  'tsc_reliable',
  'extd_apicid',
  'cr8_legacy',
  'topoext',
  'extapic',
  'cpuid',
  'cpuid_fault',
  'arat',
  'arch_capabilities',
  'ss',
  'ht',
  'vme',
  'de',
  'pse',
  'pse36',
  'pae',
  'mce',
  'mca',
  'apic',
  'x2apic',
  'mtrr',
  'pge',
  'pat',
  'pdpe1gb',
  'pcid',
  'invpcid',
  'smep',
  'smap',
  'umip',
  'tsc',
  'msr',
  'sep',
  'syscall',
  'nx',
  'lm',
  'fsgsbase',
  'flush_l1d',
  'md_clear',
  'ibrs',
  'ibpb',
  'stibp',
  'ssbd',
  'xgetbv1',
  'xsaveopt',
  'xsaves',
  'vmx',
  'svm',
  'ept',
  'vpid',
  'tpr_shadow',
  'flexpriority',
  'vnmi',
  'cldemote',
  'hle',
  'tsxldtrk',
]);

/** A flag that names an instruction-set feature a program could run (not a bug, a timer or a paging fact). */
export const isInstructionFlag = (flag: string): boolean => !NOT_INSTRUCTIONS.has(flag);

export type CpuVendor = 'AuthenticAMD' | 'GenuineIntel' | 'unknown';

/**
 * Instruction features only one vendor's x86-64 CPUs have (to this day): a checkpoint whose code uses one fails on
 * every CPU of the other vendor (SERIALIZE, which HotSpot runs unasked, on AMD). zulu-openjdk #320 reports an AMD
 * checkpoint refused on Intel for sse4a by CRaC's own CPU check; HotSpot runs no SSE4A instruction (see
 * JVM_USED_FEATURES), so a CRIU restore does not depend on it.
 */
export const VENDOR_ONLY: Readonly<Record<'AuthenticAMD' | 'GenuineIntel', readonly string[]>> = {
  AuthenticAMD: ['sse4a', 'misalignsse', 'mmxext', 'xop', 'fma4', 'tbm', 'clzero', 'mwaitx', 'rdpru'],
  GenuineIntel: ['serialize', 'rtm', 'hle', 'avx512_fp16', 'amx_tile', 'amx_bf16', 'amx_int8', 'ptwrite', 'waitpkg'],
};

/** Flags besides VENDOR_ONLY's instructions that only one vendor's CPUs report (virtualisation, topology, power). */
const VENDOR_MARKS: Readonly<Record<'AuthenticAMD' | 'GenuineIntel', readonly string[]>> = {
  AuthenticAMD: ['svm', 'topoext', 'extapic'],
  GenuineIntel: ['vmx', 'ds_cpl', 'est', 'tm2'],
};

/**
 * The CPU's vendor from a profile's vendor string, else from its model name, else from flags only one vendor's CPUs
 * report (a checkpoint's record keeps the model and the flags, not the vendor).
 */
export function cpuVendor(
  vendor: string | undefined,
  model: string | undefined,
  flags: readonly string[] = [],
): CpuVendor {
  if (vendor === 'AuthenticAMD' || vendor === 'GenuineIntel') return vendor;
  if (model && /\b(AMD|EPYC|Ryzen|Opteron)\b/i.test(model)) return 'AuthenticAMD';
  if (model && /\b(Intel|Xeon)\b/i.test(model)) return 'GenuineIntel';
  for (const v of ['AuthenticAMD', 'GenuineIntel'] as const)
    if (flags.some((f) => VENDOR_ONLY[v].includes(f) || VENDOR_MARKS[v].includes(f))) return v;
  return 'unknown';
}

const X86_64_V2 = ['cx16', 'lahf_lm', 'popcnt', 'pni', 'sse4_1', 'sse4_2', 'ssse3'];
const X86_64_V3 = [...X86_64_V2, 'avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'abm', 'movbe', 'xsave'];

/** The /proc/cpuinfo flags each CPU level adds to the x86-64 baseline (the psABI's levels; v3 with CLWB). */
export const CPU_BASELINES: Readonly<Record<CpuBaseline, readonly string[]>> = {
  'x86-64-v2': X86_64_V2,
  'x86-64-v3': X86_64_V3,
  'x86-64-v3-clwb': [...X86_64_V3, 'clwb'],
};

/** Every x86-64 CPU has these (the psABI's baseline). */
const X86_64_BASELINE = ['fpu', 'cmov', 'cx8', 'fxsr', 'mmx', 'sse', 'sse2'];

export interface CpuComparison {
  /** Features the checkpoint's code may use that the node lacks: the restore fails. */
  readonly missing: readonly string[];
  /** Features of RUN_ON_USE the node lacks: the restore holds until the application runs that code (at risk). */
  readonly missingOnUse: readonly string[];
  /** Other instruction features the checkpoint host had and the node lacks: only an app's own native code could use them. */
  readonly otherMissing: readonly string[];
  /** The checkpoint holds an xsave FPU frame and the node has no xsave: CRIU refuses. */
  readonly xsaveFrame: boolean;
}

/**
 * Compare the checkpoint host's flags with a node's. A checkpoint whose JVM was limited to a CPU level (cpu-baseline=:
 * every CPUID the JVM and the libraries in it ran answered with that level, glibc masked alike) depends only on that
 * level's features, and on xsave through CRIU's FPU frame when its host had it.
 */
export function compareCpu(
  checkpointFlags: readonly string[],
  nodeFlags: readonly string[],
  baseline?: CpuBaseline,
): CpuComparison {
  const node = new Set(nodeFlags);
  const had = new Set(checkpointFlags);
  // A level reached by JVM options leaves what no option turns off (CLWB, SERIALIZE) where the host had it.
  const levelFeatures = baseline
    ? [
        ...X86_64_BASELINE,
        ...CPU_BASELINES[baseline],
        ...(CPU_BASELINE_METHOD[baseline] === 'jvm-options' ? UNCONDITIONAL_FLAGS : []),
      ]
    : DEFAULT_DEPENDED;
  const depended = [...new Set(levelFeatures)].filter((f) => had.has(f) && f !== 'xsave');
  const lacking = depended.filter((f) => !node.has(f));
  const missing = lacking.filter((f) => !RUN_ON_USE_FLAGS.has(f));
  const missingOnUse = lacking.filter((f) => RUN_ON_USE_FLAGS.has(f));
  const dependedSet = new Set([...depended, 'xsave']);
  const otherMissing = baseline
    ? []
    : checkpointFlags.filter((f) => !node.has(f) && !dependedSet.has(f) && !NOT_INSTRUCTIONS.has(f));
  return {
    missing,
    missingOnUse,
    otherMissing,
    xsaveFrame: had.has('xsave') && !node.has('xsave'),
  };
}
