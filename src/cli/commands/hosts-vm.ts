import { EXIT_OK, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { createGuest } from '../../hosts/guest-create.js';
import { DEFAULT_GUEST_MEMORY_MIB, listGuests, removeGuest } from '../../hosts/guest-store.js';
import { PROBE_SCRIPT } from './hosts.js';

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
