import type { CommandContext } from './context.js';
import { helpFooter } from './context.js';
import { Option } from 'commander';
import { DEFAULT_GUEST_MEMORY_MIB, DEFAULT_GUEST_SUITE } from '../../hosts/guest-store.js';

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

export function registerHosts(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
  const hosts = command(
    'hosts',
    'where a checkpoint will restore: probe a node type into a host profile (here, in a container, or on every ' +
      'Kubernetes node), and make QEMU guests with other CPUs to restore in',
  );
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
      const { hostsProbeCommand } = await import('../commands/hosts.js');
      const { makePodman } = await import('../../engine/make-podman.js');
      setCode(await hostsProbeCommand(opts, io, () => makePodman()));
    });
  hosts
    .command('manifest')
    .description('write a ConfigMap and DaemonSet that run the probe on every Kubernetes node (not applied here)')
    .option('--out <file>', 'where to write it (default: stdout)')
    .option('--image <image>', 'a small image with sh, grep and sed', 'docker.io/library/debian:bookworm-slim')
    .option('--namespace <ns>', 'the namespace', 'default')
    .action(async (opts: { out?: string; image?: string; namespace?: string }) =>
      setCode(await (await import('../commands/hosts.js')).hostsManifestCommand(opts, io)),
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
      setCode(await (await import('../commands/hosts-vm.js')).vmCreateCommand(name, opts, io)),
    );
  vm.command('list')
    .description('the guests made here, with their CPU, kernel and profile')
    .action(async () => setCode(await (await import('../commands/hosts-vm.js')).vmListCommand(io)));
  vm.command('rm')
    .description('remove a guest (nothing of it runs between uses)')
    .argument('<name>')
    .action(async (name: string) => setCode(await (await import('../commands/hosts-vm.js')).vmRmCommand(name, io)));
}
