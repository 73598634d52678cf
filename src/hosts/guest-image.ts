import { mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { envVariables, type Engine, type ImageRunConfig } from '../engine/engine.js';
import { statIfExists } from '../core/read-if-exists.js';
import { LOG_DIR, MESSAGES_LOG, RESTORE_LOG } from '../core/container-paths.js';
import { addGuestTools, bootGuest, GUEST_TOOLS, guestPreamble, packCpio, type BootResult } from './guest-boot.js';
import { shellQuote } from '../core/shell-quote.js';
import { guestsDir, type GuestRecord } from './guest-store.js';

/**
 * An image's file system as a guest's root: the image exported once per image ID and packed as
 * an initramfs (kept for the few most recent images), with the tool's /init on top. The image's
 * entrypoint runs as a container would run it: its environment and working directory, in new
 * PID and mount namespaces (so a checkpointed process tree and its session leader are inside
 * one, as in a container), with the container's file limits.
 */
const KEEP_ROOTFS = 3;
const EXPORT_TIMEOUT_MS = 600_000;

export async function imageRootfsCpio(engine: Engine, image: string, onStep?: (t: string) => void): Promise<string> {
  const id = (await engine.imageId(image)).replace(/^sha256:/, '').slice(0, 16);
  const dir = path.join(guestsDir(), 'rootfs');
  const file = path.join(dir, `${id}.cpio`);
  if (await statIfExists(file)) {
    const now = new Date();
    await utimes(file, now, now);
    return file;
  }
  await mkdir(dir, { recursive: true });
  onStep?.(`unpacking ${image} as the guest's root file system (once per image)`);
  const work = await mkdtemp(path.join(dir, '.export-'));
  try {
    await engine.exportFilesystem(image, work, EXPORT_TIMEOUT_MS);
    await packCpio(work, `${file}.part`);
    await rename(`${file}.part`, file);
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(`${file}.part`, { force: true });
  }
  const kept = await Promise.all(
    (await readdir(dir))
      .filter((f) => f.endsWith('.cpio'))
      .map(async (f) => ({ f, at: (await stat(path.join(dir, f))).mtimeMs })),
  );
  for (const old of kept.sort((a, b) => b.at - a.at).slice(KEEP_ROOTFS))
    await rm(path.join(dir, old.f), { force: true });
  return file;
}

/** The image's command line and environment as /init's lines, run under fresh PID and mount namespaces. */
function containerLines(config: ImageRunConfig, env: Readonly<Record<string, string>>): string[] {
  const vars = [...envVariables(config.env), ...Object.entries(env)];
  const argv = [...config.entrypoint, ...config.cmd];
  return [
    'ulimit -n 20000; ulimit -u 4096',
    ...vars.filter(([k]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `cd ${shellQuote(config.workingDir || '/')}`,
    `run_image() { $B unshare -p -f -m --mount-proc ${argv.map(shellQuote).join(' ')}; }`,
  ];
}

export interface GuestRestoreSpec {
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  readonly path: string;
  readonly readyTimeoutS: number;
}

/** /init for one restore: start the image, wait for CWWKF0011I or the server's end, one request, the logs. */
export function restoreScript(config: ImageRunConfig, spec: GuestRestoreSpec): string {
  const out = `${GUEST_TOOLS}/out.txt`;
  const polls = Math.ceil(spec.readyTimeoutS * 5);
  return [
    guestPreamble(),
    ...containerLines(config, spec.env),
    'mark launch',
    `run_image > ${out} 2>&1 &`,
    'pid=$!',
    'i=0',
    `while [ $i -lt ${polls} ]; do`,
    `  if $B grep -q CWWKF0011I ${out}; then mark ready; break; fi`,
    '  if ! kill -0 $pid 2>/dev/null; then mark exited; break; fi',
    '  $B sleep 0.2; i=$((i+1))',
    'done',
    `if $B grep -q CWWKF0011I ${out}; then`,
    `  if $B wget -q -T 60 -O ${GUEST_TOOLS}/body http://127.0.0.1:${spec.port}${spec.path}; then mark response 200; else mark response-failed; fi`,
    `  dumpfile body ${GUEST_TOOLS}/body`,
    'fi',
    `dumpfile messages.log ${MESSAGES_LOG}`,
    `dumpfile restore.log ${RESTORE_LOG}`,
    `dumpfile output ${out}`,
    `hs=$($B find / -xdev -name 'hs_err_pid*.log' 2>/dev/null | $B head -1); [ -n "$hs" ] && dumpfile hs_err "$hs"`,
    '$B poweroff -f',
    '',
  ].join('\n');
}

/**
 * /init for a checkpoint: run the image with WLP_CHECKPOINT (in the env) to its end, then write
 * every file it made or changed (newer than a mark set before it started) as a cpio archive to
 * the output disk.
 */
export function checkpointScript(config: ImageRunConfig, env: Readonly<Record<string, string>>): string {
  const out = `${GUEST_TOOLS}/out.txt`;
  return [
    guestPreamble(),
    `$B touch ${GUEST_TOOLS}/since; $B sleep 1`,
    ...containerLines(config, env),
    'mark launch',
    `run_image > ${out} 2>&1`,
    'rc=$?; echo "IBVM exit $(up) $rc"',
    `dumpfile output ${out}`,
    `dumpfile checkpoint.log ${LOG_DIR}/checkpoint/checkpoint.log`,
    'cd /',
    `$B find . -xdev -newer ${GUEST_TOOLS}/since ! -type d ! -path './ib-vm/*' ! -path './proc/*' ! -path './sys/*' ! -path './dev/*' > ${GUEST_TOOLS}/changed`,
    `echo "IBVM changed $(up) $($B wc -l < ${GUEST_TOOLS}/changed)"`,
    `$B cpio -o -H newc < ${GUEST_TOOLS}/changed > /dev/vda && $B sync && mark written`,
    '$B poweroff -f',
    '',
  ].join('\n');
}

/** Boot the guest on the image's root file system with SCRIPT as /init. */
export async function bootImage(
  engine: Engine,
  guest: GuestRecord,
  image: string,
  script: string,
  opts: {
    readonly timeoutMs: number;
    readonly cpus?: string;
    readonly outputDisk?: { readonly file: string; readonly sizeMiB: number };
    readonly onStep?: (t: string) => void;
    readonly onLine?: (line: string) => void;
    readonly signal?: AbortSignal;
  },
): Promise<BootResult> {
  const rootfs = await imageRootfsCpio(engine, image, opts.onStep);
  const overlayDir = await mkdtemp(path.join(guestsDir(), '.overlay-'));
  try {
    const root = path.join(overlayDir, 'root');
    await addGuestTools(guest, root);
    await writeFile(path.join(root, 'init'), script, { mode: 0o755 });
    const overlay = path.join(overlayDir, 'overlay.cpio');
    await packCpio(root, overlay);
    return await bootGuest(guest, {
      initrds: [rootfs, overlay],
      timeoutMs: opts.timeoutMs,
      ...(opts.cpus ? { cpus: opts.cpus } : {}),
      ...(opts.outputDisk ? { outputDisk: opts.outputDisk } : {}),
      ...(opts.onLine ? { onLine: opts.onLine } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } finally {
    await rm(overlayDir, { recursive: true, force: true });
  }
}
