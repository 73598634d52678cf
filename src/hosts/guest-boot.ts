import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { BuildError, EngineError } from '../core/errors.js';
import { shellQuote } from '../core/shell-quote.js';
import { pinnedCommand } from '../engine/podman-argv.js';
import type { GuestRecord } from './guest-store.js';

/**
 * Booting a guest: QEMU with the guest's Debian kernel and an initramfs (the image's root
 * filesystem, or a busybox for the probe) whose /init is the tool's script. No network
 * (`-nic none`), no disk but an optional raw output disk, no reboot: QEMU exits when the
 * script powers the guest off, or is killed at the timeout. The console is the only channel
 * back: marked lines (IBVM ...) and files between markers.
 */
export const GUEST_TOOLS = '/ib-vm';
export const MARK = 'IBVM';
const FILE_BEGIN = /^==IBVM file (.+)==$/;
const FILE_END = '==IBVM end==';

/** Kernel modules CRIU's restore and dump need (socket diagnostics, nftables, tun, veth) and the output disk's driver. */
export const GUEST_MODULES = [
  'virtio_blk',
  'inet_diag',
  'tcp_diag',
  'udp_diag',
  'raw_diag',
  'unix_diag',
  'netlink_diag',
  'af_packet_diag',
  'nf_tables',
  'tun',
  'veth',
] as const;

/** The lines every guest script starts with: file systems, modules, loopback. */
export function guestPreamble(): string {
  const b = `${GUEST_TOOLS}/busybox`;
  return [
    `#!${b} sh`,
    `B=${b}`,
    '$B mkdir -p /proc /sys /dev /tmp',
    '$B mount -t proc proc /proc; $B mount -t sysfs sys /sys; $B mount -t devtmpfs dev /dev',
    '$B mkdir -p /dev/pts /dev/shm; $B mount -t devpts devpts /dev/pts; $B mount -t tmpfs tmpfs /dev/shm',
    `for f in ${GUEST_TOOLS}/mods/*.ko; do [ -e "$f" ] && $B insmod "$f" 2>/dev/null; done`,
    '$B ip link set lo up',
    `up() { $B cut -d' ' -f1 /proc/uptime; }`,
    `mark() { echo "${MARK} $1 $(up)"; }`,
    `dumpfile() { if [ -f "$2" ]; then echo "==IBVM file $1=="; $B cat "$2"; echo; echo "${FILE_END}"; fi; }`,
    'mark booted',
  ].join('\n');
}

/** The console's marks (name -> guest uptime seconds) and files. */
export interface GuestConsole {
  readonly marks: ReadonlyMap<string, number>;
  readonly values: ReadonlyMap<string, string>;
  readonly files: ReadonlyMap<string, string>;
  readonly text: string;
}

export function parseConsole(text: string): GuestConsole {
  const marks = new Map<string, number>();
  const values = new Map<string, string>();
  const files = new Map<string, string>();
  let file: { name: string; lines: string[] } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\r$/, '');
    if (file) {
      if (line === FILE_END) {
        files.set(file.name, file.lines.join('\n'));
        file = undefined;
      } else file.lines.push(line);
      continue;
    }
    const begin = FILE_BEGIN.exec(line.trim());
    if (begin) {
      file = { name: begin[1]!, lines: [] };
      continue;
    }
    const m = /IBVM (\S+) (\S+)(?: (.*))?$/.exec(line);
    if (m) {
      const at = Number(m[2]);
      if (Number.isFinite(at) && !marks.has(m[1]!)) marks.set(m[1]!, at);
      if (m[3] !== undefined && !values.has(m[1]!)) values.set(m[1]!, m[3]);
    }
  }
  return { marks, values, files, text };
}

/** Put the guest's tools (busybox, modules) into a directory that becomes part of the initramfs. */
export async function addGuestTools(guest: GuestRecord, root: string): Promise<void> {
  const tools = path.join(root, GUEST_TOOLS.slice(1));
  await mkdir(path.join(tools, 'mods'), { recursive: true });
  await copyFile(guest.busybox, path.join(tools, 'busybox'));
  await chmod(path.join(tools, 'busybox'), 0o755);
  for (const [i, m] of guest.modules.entries())
    await copyFile(m, path.join(tools, 'mods', `${String(i).padStart(2, '0')}-${path.basename(m)}`));
}

/** A newc cpio archive of a directory (the kernel unpacks it as the root file system). */
export async function packCpio(dir: string, out: string): Promise<void> {
  const r = await execa(
    'sh',
    ['-c', `cd ${shellQuote(dir)} && find . -print0 | cpio --null -o -H newc --quiet > ${shellQuote(out)}`],
    {
      reject: false,
    },
  );
  if (r.exitCode !== 0)
    throw new BuildError(`packing the guest's initramfs failed: ${String(r.stderr).slice(-300)}`, 'is cpio installed?');
}

export interface BootOptions {
  /** initramfs parts, concatenated in order (the kernel unpacks each over the last). */
  readonly initrds: readonly string[];
  readonly timeoutMs: number;
  /** Pin QEMU to these CPUs (the server's). */
  readonly cpus?: string;
  /** A raw disk the script may write (a tar of what it made). */
  readonly outputDisk?: { readonly file: string; readonly sizeMiB: number };
  /** Each console line as it comes (progress). */
  readonly onLine?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface BootResult {
  readonly console: GuestConsole;
  readonly timedOut: boolean;
  readonly exitCode: number | undefined;
  /** Wall-clock ms from QEMU's start to its exit. */
  readonly wallMs: number;
}

/** Boot the guest once with the given initramfs; QEMU never outlives the call. */
export async function bootGuest(guest: GuestRecord, opts: BootOptions): Promise<BootResult> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'ib-guest-'));
  try {
    let initrd = opts.initrds[0]!;
    if (opts.initrds.length > 1) {
      initrd = path.join(scratch, 'initrd.cpio');
      const r = await execa('sh', ['-c', `cat ${opts.initrds.map(shellQuote).join(' ')} > ${shellQuote(initrd)}`], {
        reject: false,
      });
      if (r.exitCode !== 0)
        throw new BuildError(
          `joining the guest's initramfs failed: ${String(r.stderr)}`,
          'check free space under /tmp',
        );
    }
    if (opts.outputDisk) {
      await writeFile(opts.outputDisk.file, '');
      await execa('truncate', ['-s', `${opts.outputDisk.sizeMiB}M`, opts.outputDisk.file]);
    }
    const argv = [
      'qemu-system-x86_64',
      '-accel',
      guest.accel,
      '-cpu',
      guest.cpuModel,
      '-m',
      String(guest.memoryMiB),
      '-smp',
      '1',
      '-nographic',
      '-no-reboot',
      '-nic',
      'none',
      '-kernel',
      guest.kernel.vmlinuz,
      '-initrd',
      initrd,
      '-append',
      'console=ttyS0 rdinit=/init quiet panic=-1',
      ...(opts.outputDisk ? ['-drive', `file=${opts.outputDisk.file},format=raw,if=virtio`] : []),
    ];
    const [bin, args] = opts.cpus ? pinnedCommand(opts.cpus, argv) : [argv[0]!, argv.slice(1)];
    const started = Date.now();
    const child = execa(bin, args, {
      reject: false,
      timeout: opts.timeoutMs,
      all: true,
      stdin: 'ignore',
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    });
    if (opts.onLine) {
      let pending = '';
      child.all?.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const l of lines) opts.onLine!(l.replace(/\r$/, ''));
      });
    }
    let r;
    try {
      r = await child;
    } catch (error) {
      throw new EngineError(`QEMU did not start: ${(error as Error).message}`, 'install qemu-system-x86 (Debian)');
    }
    if (r.exitCode === undefined && !r.timedOut && /ENOENT/.test(String(r.message ?? '')))
      throw new EngineError('qemu-system-x86_64 is not installed', 'install it: apt-get install qemu-system-x86');
    return {
      console: parseConsole(String(r.all ?? '')),
      timedOut: Boolean(r.timedOut),
      exitCode: r.exitCode,
      wallMs: Date.now() - started,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
