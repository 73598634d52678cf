import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { BuildError, UsageError } from '../core/errors.js';
import { statIfExists } from '../core/read-if-exists.js';
import { guestBusybox, guestKernel, packagesIndex } from './debian-packages.js';
import { addGuestTools, bootGuest, GUEST_MODULES, GUEST_TOOLS, guestPreamble, packCpio } from './guest-boot.js';
import {
  GUEST_RECORD_FILE,
  GUEST_SCHEMA,
  guestDir,
  guestsDir,
  checkGuestName,
  type GuestRecord,
} from './guest-store.js';
import { parseProbeOutput, type HostProfile } from './profile.js';

/** How long the probe guest may take to boot and answer (a software CPU boots Debian's kernel in ~15 s here). */
export const PROBE_BOOT_TIMEOUT_MS = Number(process.env.IB_GUEST_BOOT_TIMEOUT_S ?? 180) * 1000;

/** Every .ko[.xz] file of a modules tree, by module name (dashes as underscores, as the kernel names them). */
async function moduleIndex(modulesDir: string): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.ko(\.xz)?$/.test(e.name)) index.set(e.name.replace(/\.ko(\.xz)?$/, '').replace(/-/g, '_'), p);
    }
  };
  await walk(path.join(modulesDir, 'kernel'));
  return index;
}

/**
 * The modules CRIU needs and what they depend on (read from each module's own `depends=`),
 * decompressed into DEST in load order. A module the kernel has built in is simply absent.
 */
export async function prepareModules(modulesDir: string, dest: string): Promise<string[]> {
  const index = await moduleIndex(modulesDir);
  await mkdir(dest, { recursive: true });
  const done = new Set<string>();
  const order: string[] = [];
  const add = async (name: string): Promise<void> => {
    const key = name.replace(/-/g, '_');
    const file = index.get(key);
    if (done.has(key) || !file) return;
    done.add(key);
    const bytes = file.endsWith('.xz')
      ? (await execa('xz', ['-dc', file], { encoding: 'buffer', maxBuffer: 256 * 1024 ** 2 })).stdout
      : await readFile(file);
    const deps = /depends=([^\0]*)/.exec(Buffer.from(bytes).toString('latin1'))?.[1] ?? '';
    for (const d of deps.split(',').filter(Boolean)) await add(d);
    const out = path.join(dest, `${key}.ko`);
    await writeFile(out, bytes);
    order.push(out);
  };
  for (const m of GUEST_MODULES) await add(m);
  return order;
}

export interface CreateGuestOptions {
  readonly name: string;
  readonly cpuModel: string;
  readonly suite: string;
  readonly accel: 'tcg' | 'kvm';
  readonly memoryMiB: number;
  readonly onStep: (text: string) => void;
}

/** The guest's name is free, QEMU is installed, and KVM is there when asked for; the guest's directory. */
async function checkCanCreate(opts: CreateGuestOptions): Promise<string> {
  checkGuestName(opts.name, 'hosts vm create');
  const final = guestDir(opts.name);
  if (await statIfExists(final))
    throw new UsageError(
      `hosts vm create ${opts.name}: a guest of that name exists`,
      `remove it first (instanton-bench hosts vm rm ${opts.name}) or choose another name`,
    );
  const qemu = await execa('qemu-system-x86_64', ['--version'], { reject: false });
  if (qemu.exitCode !== 0)
    throw new BuildError('qemu-system-x86_64 is not installed', 'install it: apt-get install qemu-system-x86');
  if (opts.accel === 'kvm' && !(await statIfExists('/dev/kvm')))
    throw new UsageError('--accel kvm: this machine has no /dev/kvm', "use --accel tcg (QEMU's software CPU)");
  return final;
}

/** The initrd that boots the guest into the host probe and powers it off. */
async function probeInitrd(
  probing: GuestRecord,
  probeScript: string,
  work: string,
): Promise<{ root: string; cpio: string }> {
  const root = path.join(work, 'probe-root');
  await addGuestTools(probing, root);
  await copyFile(probeScript, path.join(root, GUEST_TOOLS.slice(1), 'probe.sh'));
  await writeFile(
    path.join(root, 'init'),
    [
      guestPreamble(),
      '$B mkdir -p /bin /sbin /usr/bin /usr/sbin /tmp && $B --install -s /bin',
      'export PATH=/bin:/sbin:/usr/bin:/usr/sbin',
      `sh ${GUEST_TOOLS}/probe.sh`,
      '$B poweroff -f',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const cpio = path.join(work, 'probe.cpio');
  await packCpio(root, cpio);
  return { root, cpio };
}

/** Make a guest: its kernel and busybox from Debian, its modules, and its host profile probed inside it. */
export async function createGuest(
  opts: CreateGuestOptions,
  probeScript: string,
): Promise<{ guest: GuestRecord; profile: HostProfile }> {
  const final = await checkCanCreate(opts);
  await mkdir(path.join(guestsDir(), 'vm'), { recursive: true });
  const work = await mkdtemp(path.join(guestsDir(), 'vm', `.${opts.name}-`));
  try {
    opts.onStep(`fetching Debian ${opts.suite}'s cloud kernel and busybox (cached after the first guest)`);
    const index = await packagesIndex(opts.suite, guestsDir());
    const kernel = await guestKernel(opts.suite, index, guestsDir());
    const busybox = await guestBusybox(opts.suite, index, guestsDir());
    const modules = (await prepareModules(kernel.modules, path.join(work, 'mods'))).map((m) =>
      path.join(final, 'mods', path.basename(m)),
    );
    const guest: GuestRecord = {
      schemaVersion: GUEST_SCHEMA,
      name: opts.name,
      cpuModel: opts.cpuModel,
      accel: opts.accel,
      suite: opts.suite,
      kernel,
      busybox,
      modules,
      memoryMiB: opts.memoryMiB,
      createdAt: new Date().toISOString(),
    };
    // The probe boots with the modules where they are now (work/); the record names where they will be.
    const probing: GuestRecord = { ...guest, modules: modules.map((m) => path.join(work, 'mods', path.basename(m))) };
    const { root, cpio } = await probeInitrd(probing, probeScript, work);
    opts.onStep(`booting ${opts.name} (${opts.cpuModel}, ${opts.accel}, Linux ${kernel.release}) to probe it`);
    const boot = await bootGuest(probing, { initrds: [cpio], timeoutMs: PROBE_BOOT_TIMEOUT_MS });
    if (boot.timedOut || !boot.console.text.includes('==instanton-bench-host-probe end=='))
      throw new BuildError(
        `guest ${opts.name} did not ${boot.timedOut ? `answer within ${PROBE_BOOT_TIMEOUT_MS / 1000} s` : 'answer'}` +
          ` (QEMU -cpu ${opts.cpuModel} -accel ${opts.accel}); its console's last lines: ` +
          boot.console.text.split('\n').slice(-5).join(' | ').slice(-400),
        opts.accel === 'kvm'
          ? 'nested virtualisation may not work on this machine: use --accel tcg'
          : 'check the CPU model (qemu-system-x86_64 -cpu help)',
      );
    const profile: HostProfile = {
      ...parseProbeOutput(boot.console.text, { name: opts.name, source: 'guest' }),
      guest: { cpuModel: opts.cpuModel, accel: opts.accel, kernelPackage: kernel.packages.join(' ') },
    };
    const record: GuestRecord = {
      ...guest,
      bootSeconds: Math.round((boot.console.marks.get('booted') ?? boot.wallMs / 1000) * 10) / 10,
    };
    await rm(root, { recursive: true, force: true });
    await rm(cpio, { force: true });
    await writeFile(path.join(work, GUEST_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
    await writeFile(path.join(work, 'profile.json'), `${JSON.stringify(profile, null, 2)}\n`);
    await rename(work, final);
    return { guest: record, profile };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}
