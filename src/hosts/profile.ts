import { z } from 'zod';
import { decodeCapabilityMask } from '../engine/capabilities.js';
import { versionAtLeast } from '../core/version.js';

/**
 * A host profile: what a checkpoint's restore depends on, read off one node type by the probe
 * script (images/host-probe/probe.sh) as a process, in a container or pod, or inside a guest.
 * `forecast` weighs a checkpoint's own record of its host against it.
 */
export const HOST_PROFILE_SCHEMA = 1;

export type ProbeSource = 'process' | 'container' | 'guest' | 'pod';
export type FeatureState = 'yes' | 'no' | 'unknown';

export interface HostProfile {
  readonly schemaVersion: typeof HOST_PROFILE_SCHEMA;
  /** What the profile stands for: a node type, a guest's name, this machine's hostname. */
  readonly name: string;
  readonly probedAt: string;
  readonly source: ProbeSource;
  readonly arch: string;
  readonly cpu: {
    readonly vendor: string;
    readonly model: string;
    readonly family?: number;
    readonly modelNumber?: number;
    /** The `flags` line of /proc/cpuinfo, as a list. */
    readonly flags: readonly string[];
    readonly count?: number;
  };
  readonly kernel: {
    readonly release: string;
    /** Kernel facts CRIU and Liberty depend on, each yes/no/unknown. */
    readonly features: Readonly<Record<string, FeatureState>>;
  };
  /** What the probing process held: in a container or pod, what a restore there gets. */
  readonly process: {
    readonly uid?: number;
    /** Effective capability names (CAP_ prefix dropped), from CapEff. */
    readonly capabilities: readonly string[];
    /** 0 none, 1 strict, 2 a seccomp filter (a container's default profile). */
    readonly seccomp?: number;
    readonly noNewPrivs?: boolean;
  };
  readonly glibc?: string;
  readonly engine?: string;
  /** `criu check --feature` verdicts where CRIU is on the host (or in the probing image). */
  readonly criu?: { readonly version: string; readonly features: Readonly<Record<string, FeatureState>> };
  /** Set for a guest: how it was run (software CPU or hardware). */
  readonly guest?: { readonly cpuModel: string; readonly accel: 'tcg' | 'kvm'; readonly kernelPackage?: string };
}

const e = (expected: string) => ({ error: expected });
const text = z.string(e('a string'));
const state = z.enum(['yes', 'no', 'unknown'], e('"yes", "no" or "unknown"'));
const states = z.record(text, state, e('an object of "yes"/"no"/"unknown"'));

export const hostProfileSchema = z.looseObject(
  {
    schemaVersion: z.literal(HOST_PROFILE_SCHEMA, e(`${HOST_PROFILE_SCHEMA} (this version of instanton-bench)`)),
    name: text,
    probedAt: text,
    source: z.enum(['process', 'container', 'guest', 'pod'], e('"process", "container", "guest" or "pod"')),
    arch: text,
    cpu: z.looseObject(
      {
        vendor: text,
        model: text,
        family: z.number(e('a number')).optional(),
        modelNumber: z.number(e('a number')).optional(),
        flags: z.array(text, e('an array of CPU flags')),
        count: z.number(e('a number')).optional(),
      },
      e('an object'),
    ),
    kernel: z.looseObject({ release: text, features: states }, e('an object')),
    process: z.looseObject(
      {
        uid: z.number(e('a number')).optional(),
        capabilities: z.array(text, e('an array of capability names')),
        seccomp: z.number(e('0, 1 or 2')).optional(),
        noNewPrivs: z.boolean(e('true or false')).optional(),
      },
      e('an object'),
    ),
    glibc: text.optional(),
    engine: text.optional(),
    criu: z.looseObject({ version: text, features: states }, e('an object')).optional(),
    guest: z
      .looseObject(
        { cpuModel: text, accel: z.enum(['tcg', 'kvm'], e('"tcg" or "kvm"')), kernelPackage: text.optional() },
        e('an object'),
      )
      .optional(),
  },
  e('an object'),
);

/** The capability names set in a /proc status mask such as `000001fffeffffff` (none for anything else). */
export function capabilitiesOf(mask: string): string[] {
  return /^[0-9a-f]{1,16}$/i.test(mask) ? decodeCapabilityMask(mask) : [];
}

export const PROBE_BEGIN = /^==instanton-bench-host-probe (\d+)==$/;
export const PROBE_END = '==instanton-bench-host-probe end==';

/** The kernel facts the probe reads off /proc and the kernel's configuration. */
const KERNEL_KEYS: Readonly<Record<string, string>> = {
  'kernel.nsLastPid': 'ns_last_pid',
  'kernel.timeNamespace': 'time_namespace',
  'kernel.userfaultfd': 'userfaultfd',
  'kernel.softDirty': 'pagemap',
};
const CONFIG_FEATURES: Readonly<Record<string, string>> = {
  CONFIG_CHECKPOINT_RESTORE: 'config_checkpoint_restore',
  CONFIG_INET_DIAG: 'sock_diag_inet',
  CONFIG_UNIX_DIAG: 'sock_diag_unix',
  CONFIG_NETLINK_DIAG: 'sock_diag_netlink',
  CONFIG_PACKET_DIAG: 'sock_diag_packet',
  CONFIG_MEM_SOFT_DIRTY: 'soft_dirty',
  CONFIG_RSEQ: 'rseq',
};

/**
 * Kernel facts known from the version alone (the syscalls and ptrace requests CRIU asks for):
 * PTRACE_GET_RSEQ_CONFIGURATION 5.13, clone3 with set_tid 5.5, time namespaces 5.6,
 * CAP_CHECKPOINT_RESTORE 5.9.
 */
function versionFeatures(release: string): Record<string, FeatureState> {
  const at = (major: number, minor: number): FeatureState => {
    const ok = versionAtLeast(release, major, minor);
    return ok === undefined ? 'unknown' : ok ? 'yes' : 'no';
  };
  return {
    ptrace_get_rseq_configuration: at(5, 13),
    clone3_set_tid: at(5, 5),
    cap_checkpoint_restore: at(5, 9),
  };
}

export class ProbeOutputError extends Error {}

/**
 * The profile in the probe script's output (its key/value lines between the markers; anything
 * around them, such as a pod's other log lines or a guest's console, is skipped).
 */
export function parseProbeOutput(
  output: string,
  opts: { readonly name?: string; readonly source: ProbeSource; readonly probedAt?: string },
): HostProfile {
  const lines = output.split(/\r?\n/);
  const begin = lines.findIndex((l) => PROBE_BEGIN.test(l.trim()));
  if (begin < 0) throw new ProbeOutputError('no probe output (its first line "==instanton-bench-host-probe 1==")');
  const version = Number(PROBE_BEGIN.exec(lines[begin]!.trim())![1]);
  if (version !== 1) throw new ProbeOutputError(`probe output version ${version}; this instanton-bench reads 1`);
  const end = lines.findIndex((l, i) => i > begin && l.trim() === PROBE_END);
  if (end < 0) throw new ProbeOutputError('the probe output ends early (no "==instanton-bench-host-probe end==")');
  const kv = new Map<string, string>();
  for (const line of lines.slice(begin + 1, end)) {
    const tab = line.indexOf('\t');
    if (tab > 0) kv.set(line.slice(0, tab).trim(), line.slice(tab + 1).trim());
  }
  const get = (k: string): string | undefined => (kv.get(k) ? kv.get(k) : undefined);
  const num = (k: string): number | undefined => {
    const v = get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const release = get('kernel') ?? 'unknown';
  const features: Record<string, FeatureState> = { ...versionFeatures(release) };
  for (const [key, name] of Object.entries(KERNEL_KEYS)) {
    const v = get(key);
    features[name] = v === 'yes' ? 'yes' : v === 'no' ? 'no' : 'unknown';
  }
  const config = get('kernel.config') ?? '';
  for (const [option, name] of Object.entries(CONFIG_FEATURES)) {
    const m = new RegExp(`${option}=([ym])`).exec(config);
    features[name] = m ? 'yes' : config ? 'no' : 'unknown';
  }
  const criuVersion = get('criu.version');
  const criuFeatures: Record<string, FeatureState> = {};
  for (const [k, v] of kv) {
    if (k.startsWith('criu.feature.')) criuFeatures[k.slice('criu.feature.'.length)] = v === 'yes' ? 'yes' : 'no';
  }
  const seccomp = num('status.seccomp');
  const uid = num('uid');
  const family = num('cpu.family');
  const modelNumber = num('cpu.modelNumber');
  const count = num('cpu.count');
  return {
    schemaVersion: HOST_PROFILE_SCHEMA,
    name: opts.name ?? get('node') ?? get('hostname') ?? 'host',
    probedAt: opts.probedAt ?? new Date().toISOString(),
    source: opts.source,
    arch: get('arch') ?? 'unknown',
    cpu: {
      vendor: get('cpu.vendor') ?? 'unknown',
      model: get('cpu.model') ?? 'unknown',
      ...(family !== undefined ? { family } : {}),
      ...(modelNumber !== undefined ? { modelNumber } : {}),
      flags: (get('cpu.flags') ?? '').split(/\s+/).filter(Boolean),
      ...(count !== undefined ? { count } : {}),
    },
    kernel: { release, features },
    process: {
      ...(uid !== undefined ? { uid } : {}),
      capabilities: capabilitiesOf(get('status.capEff') ?? ''),
      ...(seccomp !== undefined ? { seccomp } : {}),
      ...(get('status.noNewPrivs') !== undefined ? { noNewPrivs: get('status.noNewPrivs') === '1' } : {}),
    },
    ...(get('glibc') ? { glibc: get('glibc')! } : {}),
    ...(get('engine') ? { engine: get('engine')! } : {}),
    ...(criuVersion ? { criu: { version: criuVersion.replace(/^Version:\s*/, ''), features: criuFeatures } } : {}),
  };
}
