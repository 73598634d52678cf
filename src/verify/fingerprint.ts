import { readIfExists } from '../core/read-if-exists.js';
import os from 'node:os';
import { execa } from 'execa';
import type { Engine } from '../engine/engine.js';
import { formatCpuList } from '../core/cpu-list.js';
import { onlineCpus } from '../core/cpu-list.js';
import type { EnvironmentInfo } from '../results/types.js';

export const PROBE_TIMEOUT_MS = 60_000;

export interface ImageFingerprint {
  readonly tag: string;
  readonly id: string;
  readonly jdk?: string;
  readonly criu?: string;
  readonly glibc?: string;
}

async function firstLine(file: string, args: readonly string[]): Promise<string | undefined> {
  const r = await execa(file, args, { reject: false, timeout: PROBE_TIMEOUT_MS, all: true });
  const line = String(r.all ?? '')
    .split('\n')[0]
    ?.trim();
  return r.exitCode === 0 && line ? line : undefined;
}

export async function cpuInfo(): Promise<{ model: string; flags: string }> {
  const text = (await readIfExists('/proc/cpuinfo')) ?? '';
  const model = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const flags = /^flags\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? '';
  return { model, flags };
}

/** What is inside an image: the JDK, CRIU and glibc versions (one short container run). */
export async function fingerprintImage(engine: Engine, tag: string): Promise<ImageFingerprint> {
  const id = await engine.imageId(tag);
  const found = await engine.cachedProbe(id, 'fingerprint', () => probeImage(engine, tag));
  return { ...(found ?? {}), tag, id };
}

/** undefined (not kept) when the probe container failed. */
async function probeImage(engine: Engine, tag: string): Promise<Omit<ImageFingerprint, 'tag' | 'id'> | undefined> {
  const script =
    'java -version 2>&1 | head -n 1; echo "criu: $(criu --version 2>/dev/null | head -n 1)"; echo "glibc: $(getconf ' +
    'GNU_LIBC_VERSION)"';
  const r = await engine.runOnce({
    image: tag,
    purpose: 'fingerprint',
    entrypoint: 'sh',
    args: ['-c', script],
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  if (r.exitCode !== 0) return undefined;
  const lines = r.stdout.split('\n');
  const pick = (prefix: string): string | undefined =>
    lines
      .find((l) => l.startsWith(prefix))
      ?.slice(prefix.length)
      .trim() || undefined;
  const jdk = lines[0]?.trim();
  return {
    ...(jdk ? { jdk } : {}),
    ...(pick('criu:') ? { criu: pick('criu:') as string } : {}),
    ...(pick('glibc:') ? { glibc: pick('glibc:') as string } : {}),
  };
}

export async function fingerprintHost(engine: Engine): Promise<Omit<EnvironmentInfo, 'images' | 'libertyVersion'>> {
  const cpu = await cpuInfo();
  const mem = /^MemTotal:\s*(\d+)/m.exec((await readIfExists('/proc/meminfo')) ?? '')?.[1];
  // The version is provenance only: a run proceeds without it (the field is then absent).
  const podmanVersion = await engine.version().catch(() => undefined);
  const runc = await firstLine('runc', ['--version']);
  const glibc = await firstLine('getconf', ['GNU_LIBC_VERSION']);
  return {
    hostname: os.hostname(),
    kernel: os.release(),
    cpuModel: cpu.model,
    onlineCpus: formatCpuList(await onlineCpus()),
    ...(mem ? { memoryTotalKb: Number(mem) } : {}),
    ...(podmanVersion ? { podman: podmanVersion } : {}),
    ...(runc ? { runc } : {}),
    node: process.version,
    ...(glibc ? { hostGlibc: glibc } : {}),
  };
}

/** What breaks restores in the field when it differs between checkpoint and restore. */
export interface CheckpointFingerprint {
  readonly kernel?: string;
  readonly cpuModel?: string;
  /** CPU feature flags (the `flags` line of /proc/cpuinfo). */
  readonly cpuFlags?: string;
  readonly hostGlibc?: string;
  readonly imageGlibc?: string;
  readonly criu?: string;
  readonly takenAt?: string;
}

export async function fingerprintCheckpointHost(engine: Engine, image: string): Promise<CheckpointFingerprint> {
  const cpu = await cpuInfo();
  const img = await fingerprintImage(engine, image);
  const hostGlibc = await firstLine('getconf', ['GNU_LIBC_VERSION']);
  return {
    kernel: os.release(),
    cpuModel: cpu.model,
    cpuFlags: cpu.flags,
    ...(hostGlibc ? { hostGlibc } : {}),
    ...(img.glibc ? { imageGlibc: img.glibc } : {}),
    ...(img.criu ? { criu: img.criu } : {}),
    takenAt: new Date().toISOString(),
  };
}

/** Warnings for every field that differs between the checkpoint and the restore host. */
export function compareFingerprints(atCheckpoint: CheckpointFingerprint, atRestore: CheckpointFingerprint): string[] {
  const warnings: string[] = [];
  const same = (a?: string, b?: string): boolean => a === undefined || b === undefined || a === b;
  if (!same(atCheckpoint.kernel, atRestore.kernel)) {
    warnings.push(
      `kernel differs: checkpoint ${atCheckpoint.kernel}, restore ${atRestore.kernel} (CRIU features such as rseq or ` +
        `SO_BUF_LOCK may be missing)`,
    );
  }
  if (!same(atCheckpoint.cpuModel, atRestore.cpuModel)) {
    warnings.push(`CPU model differs: checkpoint "${atCheckpoint.cpuModel}", restore "${atRestore.cpuModel}"`);
  }
  if (atCheckpoint.cpuFlags && atRestore.cpuFlags && atCheckpoint.cpuFlags !== atRestore.cpuFlags) {
    const before = new Set(atCheckpoint.cpuFlags.split(' '));
    const now = new Set(atRestore.cpuFlags.split(' '));
    const missing = [...before].filter((f) => !now.has(f));
    if (missing.length > 0)
      warnings.push(
        `CPU features present at checkpoint are missing at restore: ` +
          `${missing.slice(0, 12).join(' ')}${missing.length > 12 ? ' ...' : ''}`,
      );
  }
  if (!same(atCheckpoint.hostGlibc, atRestore.hostGlibc))
    warnings.push(`host glibc differs: ${atCheckpoint.hostGlibc} vs ${atRestore.hostGlibc}`);
  if (!same(atCheckpoint.imageGlibc, atRestore.imageGlibc))
    warnings.push(`image glibc differs: ${atCheckpoint.imageGlibc} vs ${atRestore.imageGlibc}`);
  if (!same(atCheckpoint.criu, atRestore.criu))
    warnings.push(`CRIU differs: ${atCheckpoint.criu} vs ${atRestore.criu}`);
  return warnings;
}
