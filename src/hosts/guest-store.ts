import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { cacheDir } from '../core/cache-dir.js';
import { statIfExists } from '../core/read-if-exists.js';
import type { GuestKernel } from './debian-packages.js';

/**
 * Guests made by `hosts vm create`: a record, the host profile probed inside the guest, and the
 * kernel modules CRIU needs, under the cache (IB_CACHE_DIR or ~/.cache/instanton-bench)/guests/NAME.
 */
export const GUEST_SCHEMA = 1;
export const GUEST_NAME = /^[a-z0-9][a-z0-9_-]{0,30}$/;
export const GUEST_RECORD_FILE = 'guest.json';
/** hosts vm create's defaults: the guest's memory holds the image's whole file system. */
export const DEFAULT_GUEST_MEMORY_MIB = 6144;
export const DEFAULT_GUEST_SUITE = 'sid';

export interface GuestRecord {
  readonly schemaVersion: typeof GUEST_SCHEMA;
  readonly name: string;
  /** QEMU's CPU model (-cpu). */
  readonly cpuModel: string;
  /** QEMU's software CPU (tcg) or the host's virtualisation (kvm). */
  readonly accel: 'tcg' | 'kvm';
  /** The Debian suite the kernel and busybox came from. */
  readonly suite: string;
  readonly kernel: GuestKernel;
  readonly busybox: string;
  /** The kernel modules CRIU needs, decompressed, in load order. */
  readonly modules: readonly string[];
  readonly memoryMiB: number;
  readonly createdAt: string;
  /** Seconds from QEMU's start to the probe's first line at creation. */
  readonly bootSeconds?: number;
}

export const guestsDir = (env: Readonly<Record<string, string | undefined>> = process.env): string =>
  path.join(cacheDir(env), 'guests');

export const guestDir = (name: string): string => path.join(guestsDir(), 'vm', name);

/** Where guest NAME's record lives (present once hosts vm create finished). */
export const guestRecordPath = (name: string): string => path.join(guestDir(name), GUEST_RECORD_FILE);

/** The profile probed inside guest NAME; undefined for a name that cannot be a guest's. */
export function guestProfilePath(name: string): string | undefined {
  return GUEST_NAME.test(name) ? path.join(guestDir(name), 'profile.json') : undefined;
}

export function checkGuestName(name: string, option: string): void {
  if (!GUEST_NAME.test(name))
    throw new UsageError(
      `${option} ${name}: a guest's name is lower-case letters, digits, "-" or "_" (at most 31)`,
      'e.g. oldcpu',
    );
}

export async function readGuest(name: string, option = 'guest'): Promise<GuestRecord> {
  checkGuestName(name, option);
  const file = guestRecordPath(name);
  if (!(await statIfExists(file)))
    throw new UsageError(
      `${option} ${name}: no such guest`,
      `make it first: instanton-bench hosts vm create ${name} --cpu Nehalem (hosts vm list shows the guests)`,
    );
  const doc = JSON.parse(await readFile(file, 'utf8')) as GuestRecord;
  if (doc.schemaVersion !== GUEST_SCHEMA)
    throw new UsageError(
      `${option} ${name}: made by another version of instanton-bench (schema ${String(doc.schemaVersion)})`,
      `make it again: instanton-bench hosts vm rm ${name} && instanton-bench hosts vm create ${name} --cpu ${doc.cpuModel}`,
    );
  return doc;
}

export async function listGuests(): Promise<GuestRecord[]> {
  const dir = path.join(guestsDir(), 'vm');
  if (!(await statIfExists(dir))) return [];
  const out: GuestRecord[] = [];
  for (const name of (await readdir(dir)).sort()) {
    try {
      out.push(await readGuest(name));
    } catch {
      // half-made (interrupted create): hosts vm rm removes it
    }
  }
  return out;
}

export async function removeGuest(name: string): Promise<boolean> {
  checkGuestName(name, 'hosts vm rm');
  const dir = guestDir(name);
  if (!(await statIfExists(dir))) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}
