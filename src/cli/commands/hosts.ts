import { makePodman } from '../../engine/make-podman.js';
import { type CommandContext, helpFooter } from '../command-context.js';
import { type Command, Option } from 'commander';
import { DEFAULT_GUEST_MEMORY_MIB, DEFAULT_GUEST_SUITE, listGuests, removeGuest } from '../../hosts/guest-store.js';
import { createGuest } from '../../hosts/guest-create.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { EXIT_OK, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkOutputDir, checkOutputFile, makeDirs, writeOutput } from '../../core/output-paths.js';
import { IMAGES_DIR } from '../../images/base/base-image.js';
import { parseProbeOutput, PROBE_BEGIN, PROBE_END, ProbeOutputError, type HostProfile } from '../../hosts/profile.js';
import { probeManifest } from '../../hosts/manifest.js';
import type { Engine } from '../../engine/engine.js';
import { restorePrivilege } from '../../engine/capabilities.js';

export const PROBE_SCRIPT = path.join(IMAGES_DIR, 'host-probe', 'probe.sh');
const PROBE_TIMEOUT_MS = 60_000;

export interface HostsProbeOptions {
  readonly out?: string;
  readonly name?: string;
  /** Probe inside a restore container of this image (what a restore gets here). */
  readonly inContainer?: string;
  /** Read probe output (a pod's logs, a guest's console) instead of probing. */
  readonly fromOutput?: string;
}

function describe(p: HostProfile): string {
  const caps = p.process.capabilities.length;
  return (
    `${p.name}: ${p.cpu.model} (${p.cpu.vendor}, ${p.cpu.flags.length} CPU flags), kernel ${p.kernel.release}, ` +
    `${p.glibc ?? 'glibc unknown'}, ${caps} capabilities${p.process.seccomp === 2 ? ', seccomp filter' : ''}` +
    `${p.criu ? `, CRIU ${p.criu.version}` : ''} [${p.source}]`
  );
}

/** The probe's output blocks in a text (`kubectl logs --prefix` prefixes stripped). */
export function probeBlocks(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^\[[^\]]*\]\s?/, ''));
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (PROBE_BEGIN.test(line.trim())) current = [line];
    else if (current) {
      current.push(line);
      if (line.trim() === PROBE_END) {
        blocks.push(current.join('\n'));
        current = undefined;
      }
    }
  }
  return blocks;
}

/** The probe's output as a profile, or one line saying what is wrong with it (exit 2). */
function parseOrRefuse(what: string, output: string, opts: Parameters<typeof parseProbeOutput>[1]): HostProfile {
  try {
    return parseProbeOutput(output, opts);
  } catch (error) {
    if (error instanceof ProbeOutputError)
      throw new UsageError(`${what}: ${error.message}`, 'the probe needs sh, grep and sed where it runs');
    throw error;
  }
}

export async function hostsProbeCommand(
  opts: HostsProbeOptions,
  io: CliIo,
  engine?: () => Promise<Engine>,
): Promise<number> {
  if (opts.fromOutput !== undefined) return fromOutput(opts, io);
  if (opts.out) await checkOutputFile('--out', path.resolve(io.cwd, opts.out));
  let output: string;
  let source: HostProfile['source'] = 'process';
  if (opts.inContainer !== undefined) {
    if (!engine) throw new UsageError('--in-container needs a container engine', 'run on a machine with podman');
    const podman = await engine();
    if (!(await podman.imageExists(opts.inContainer)))
      throw new UsageError(
        `--in-container ${opts.inContainer}: no such image`,
        'name an image in local storage (podman images)',
      );
    const r = await podman.runOnce({
      image: opts.inContainer,
      purpose: 'host-probe',
      entrypoint: 'sh',
      args: ['-c', await readFile(PROBE_SCRIPT, 'utf8')],
      privilege: restorePrivilege('least-privilege'),
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    output = r.stdout;
    source = 'container';
  } else {
    const r = await execa('sh', [PROBE_SCRIPT], { reject: false, timeout: PROBE_TIMEOUT_MS });
    output = String(r.stdout);
  }
  const profile = parseOrRefuse('hosts probe', output, { source, ...(opts.name ? { name: opts.name } : {}) });
  const text = `${JSON.stringify(profile, null, 2)}\n`;
  if (opts.out) {
    await writeOutput('--out', path.resolve(io.cwd, opts.out), text);
    io.err(`hosts probe: ${describe(profile)}`);
    io.out(`wrote ${opts.out}`);
  } else io.out(text.trimEnd());
  return EXIT_OK;
}

async function fromOutput(opts: HostsProbeOptions, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, opts.fromOutput!);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(
      `--from-output ${opts.fromOutput}: cannot read the file`,
      "save the pods' logs: kubectl logs -l app=instanton-bench-probe --prefix > probes.txt",
    );
  }
  const blocks = probeBlocks(text);
  if (blocks.length === 0)
    throw new UsageError(
      `--from-output ${opts.fromOutput}: no probe output in it (no "==instanton-bench-host-probe 1==" line)`,
      "save the probe pods' logs: kubectl logs -l app=instanton-bench-probe --prefix > probes.txt",
    );
  const profiles = blocks.map((b) =>
    parseOrRefuse(`--from-output ${opts.fromOutput}`, b, { source: 'pod', ...(opts.name ? { name: opts.name } : {}) }),
  );
  if (!opts.out) {
    io.out(JSON.stringify(profiles.length === 1 ? profiles[0] : profiles, null, 2));
    return EXIT_OK;
  }
  const out = path.resolve(io.cwd, opts.out);
  if (profiles.length === 1 && out.endsWith('.json')) {
    await writeOutput('--out', out, `${JSON.stringify(profiles[0], null, 2)}\n`);
    io.err(`hosts probe: ${describe(profiles[0]!)}`);
    return EXIT_OK;
  }
  await checkOutputDir('--out', out);
  await makeDirs(out);
  const seen = new Map<string, number>();
  for (const p of profiles) {
    const n = (seen.get(p.name) ?? 0) + 1;
    seen.set(p.name, n);
    const base = p.name.replace(/[^A-Za-z0-9._-]/g, '_') + (n > 1 ? `-${n}` : '');
    await writeOutput('--out', path.join(out, `${base}.json`), `${JSON.stringify(p, null, 2)}\n`);
    io.err(`hosts probe: ${describe(p)}`);
  }
  io.out(`wrote ${profiles.length} profile(s) to ${opts.out}`);
  return EXIT_OK;
}

export interface HostsManifestOptions {
  readonly out?: string;
  readonly image?: string;
  readonly namespace?: string;
}

export async function hostsManifestCommand(opts: HostsManifestOptions, io: CliIo): Promise<number> {
  const docs = probeManifest({
    script: await readFile(PROBE_SCRIPT, 'utf8'),
    image: opts.image ?? 'docker.io/library/debian:bookworm-slim',
    namespace: opts.namespace ?? 'default',
  });
  const { ConfigMap } = await import('kubernetes-models/v1/ConfigMap');
  const { DaemonSet } = await import('kubernetes-models/apps/v1/DaemonSet');
  try {
    new ConfigMap(docs[0] as ConstructorParameters<typeof ConfigMap>[0]).validate();
    new DaemonSet(docs[1] as ConstructorParameters<typeof DaemonSet>[0]).validate();
  } catch (error) {
    throw new UsageError(
      `the generated manifest does not match Kubernetes' schema: ${(error as Error).message.split('\n')[0]}`,
      'report this as a bug of instanton-bench hosts manifest',
    );
  }
  const text = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }, null, 2)}\n`;
  if (!opts.out) {
    io.out(text.trimEnd());
    return EXIT_OK;
  }
  await writeOutput('--out', path.resolve(io.cwd, opts.out), text);
  io.err(
    'hosts manifest: a ConfigMap with the probe script and a DaemonSet that runs it once on every node, in a pod ' +
      'with the capabilities a restore gets (then sleeps, so its log stays); not applied to a cluster here',
  );
  io.out(
    `apply with: kubectl apply -f ${opts.out}; then: kubectl logs -n ${opts.namespace ?? 'default'} ` +
      `-l app=instanton-bench-probe --prefix > probes.txt && instanton-bench hosts probe --from-output probes.txt ` +
      `--out profiles/ && kubectl delete -f ${opts.out}`,
  );
  return EXIT_OK;
}

export async function vmCreateCommand(
  name: string,
  opts: { cpu?: string; kernel: string; accel: 'tcg' | 'kvm'; memory: string },
  io: CliIo,
): Promise<number> {
  if (!opts.cpu)
    throw new UsageError(
      '--cpu is required',
      'name a QEMU CPU model, e.g. --cpu Nehalem (qemu-system-x86_64 -cpu help)',
    );
  if (!/^[A-Za-z0-9][A-Za-z0-9_.,+=-]*$/.test(opts.cpu))
    throw new UsageError(`--cpu ${opts.cpu}: not a QEMU CPU model`, 'e.g. Nehalem, SandyBridge, Haswell-noTSX, EPYC');
  if (!/^[a-z][a-z0-9-]*$/.test(opts.kernel))
    throw new UsageError(`--kernel ${opts.kernel}: not a Debian suite`, 'bookworm (Linux 6.1), trixie (6.12) or sid');
  const memory = Number(opts.memory);
  if (!Number.isInteger(memory) || memory < 2048 || memory > 65536)
    throw new UsageError(
      `--memory ${opts.memory}: expected MiB from 2048 to 65536`,
      `e.g. --memory ${DEFAULT_GUEST_MEMORY_MIB}`,
    );
  const started = Date.now();
  const { guest, profile } = await createGuest(
    {
      name,
      cpuModel: opts.cpu,
      suite: opts.kernel,
      accel: opts.accel,
      memoryMiB: memory,
      onStep: (t) => io.err(`hosts vm: ${t}`),
    },
    PROBE_SCRIPT,
  );
  io.err(
    `hosts vm: ${name}: ${profile.cpu.model}, ${profile.cpu.flags.length} CPU flags, Linux ${profile.kernel.release}, ` +
      `${guest.accel === 'tcg' ? "QEMU's software CPU (timings there are not comparable)" : 'KVM'}; booted in ` +
      `${guest.bootSeconds ?? '?'} s, made in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  io.out(`guest ${name} ready: forecast --hosts ${name}, run --restore-on ${name}`);
  return EXIT_OK;
}

export async function vmListCommand(io: CliIo): Promise<number> {
  const guests = await listGuests();
  if (guests.length === 0) {
    io.out('no guests (make one: instanton-bench hosts vm create oldcpu --cpu Nehalem)');
    return EXIT_OK;
  }
  io.out('name          cpu              accel  kernel                        memory  created');
  for (const g of guests)
    io.out(
      `${g.name.padEnd(13)} ${g.cpuModel.padEnd(16)} ${g.accel.padEnd(6)} ${g.kernel.release.padEnd(29)} ` +
        `${String(g.memoryMiB).padStart(6)}  ${g.createdAt.slice(0, 16)}`,
    );
  return EXIT_OK;
}

export async function vmRmCommand(name: string, io: CliIo): Promise<number> {
  if (!(await removeGuest(name)))
    throw new UsageError(`hosts vm rm ${name}: no such guest`, 'hosts vm list shows the guests');
  io.out(`removed guest ${name}`);
  return EXIT_OK;
}

/** `hosts`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'hosts probe --out profiles/this.json',
    'hosts manifest --out probe-daemonset.json',
    'hosts probe --from-output probes.txt --out profiles/',
    'hosts vm create oldcpu --cpu Nehalem',
    'hosts vm list',
  ],
  undefined,
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  const hosts = command.addHelpText('after', HELP);
  hosts
    .command('probe')
    .description(
      'write a host profile: CPU vendor, model and flags, kernel and the features CRIU needs, capabilities and ' +
        'seccomp, container engine, CRIU, glibc',
    )
    .option('--out <file>', 'write the profile (or, with --from-output and several probes, a directory)')
    .option('--name <name>', 'what the profile stands for (default: the node or host name)')
    .option('--in-container <image>', 'probe inside a restore container of IMAGE (what a restore gets here)')
    .option('--from-output <file>', 'read probe output (kubectl logs --prefix of the DaemonSet) instead of probing')
    .action(async (opts: { out?: string; name?: string; inContainer?: string; fromOutput?: string }) => {
      setCode(await hostsProbeCommand(opts, io, () => makePodman()));
    });
  hosts
    .command('manifest')
    .description('write a ConfigMap and DaemonSet that run the probe on every Kubernetes node (not applied here)')
    .option('--out <file>', 'where to write it (default: stdout)')
    .option('--image <image>', 'a small image with sh, grep and sed', 'docker.io/library/debian:bookworm-slim')
    .option('--namespace <ns>', 'the namespace', 'default')
    .action(async (opts: { out?: string; image?: string; namespace?: string }) =>
      setCode(await hostsManifestCommand(opts, io)),
    );
  const vm = hosts
    .command('vm')
    .description("QEMU guests as restore hosts with other CPUs and kernels (Debian's packages)");
  vm.command('create')
    .description("make a guest: Debian kernel and busybox, CRIU's modules, QEMU CPU model; probed inside at once")
    .argument('<name>', "the guest's name (lower-case letters, digits, - and _)")
    .option(
      '--cpu <model>',
      'QEMU CPU model, e.g. Nehalem (x86-64-v2, no AVX), SandyBridge, Haswell (qemu-system-x86_64 -cpu help)',
    )
    .option(
      '--kernel <suite>',
      'the Debian suite whose cloud kernel it boots: bookworm (6.1), trixie (6.12), sid',
      DEFAULT_GUEST_SUITE,
    )
    .addOption(
      new Option('--accel <accel>', 'software CPU (tcg) or hardware (kvm)').choices(['tcg', 'kvm']).default('tcg'),
    )
    .option(
      '--memory <mib>',
      "the guest's memory in MiB (it holds the image's whole file system)",
      String(DEFAULT_GUEST_MEMORY_MIB),
    )
    .action(async (name: string, opts: { cpu?: string; kernel: string; accel: 'tcg' | 'kvm'; memory: string }) =>
      setCode(await vmCreateCommand(name, opts, io)),
    );
  vm.command('list')
    .description('the guests made here, with their CPU, kernel and profile')
    .action(async () => setCode(await vmListCommand(io)));
  vm.command('rm')
    .description('remove a guest (nothing of it runs between uses)')
    .argument('<name>')
    .action(async (name: string) => setCode(await vmRmCommand(name, io)));
}
