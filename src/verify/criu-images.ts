/**
 * Reads the few CRIU image files the harness reports on, without `crit` (not in the base
 * image): CRIU's images are a magic header (two 32-bit words, or one for "raw" images) and
 * then protobuf entries, each preceded by its length as a 32-bit little-endian word
 * (criu/include/magic.h, criu/protobuf.c). Field numbers are from CRIU's images/*.proto:
 * stats.proto (dump_stats_entry, restore_stats_entry), pstree.proto, fdinfo.proto.
 * CRIU's timings are microseconds (criu/stats.c encodes each timeval total as usec).
 */

export const IMG_SERVICE_MAGIC = 0x55105940;
export const IMG_COMMON_MAGIC = 0x54564319;
const STATS_MAGIC = 0x57093306;
export const PAGE_BYTES = 4096;

/** One protobuf message: every field's values by field number (varints as numbers, length-delimited as bytes). */
export type ProtoFields = Map<number, Array<number | Buffer>>;

export function readVarint(buf: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    if (i >= buf.length) throw new Error('truncated varint');
    const byte = buf[i] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    i += 1;
    if ((byte & 0x80) === 0) return { value, next: i };
    if (scale > 2 ** 63) throw new Error('varint too long');
  }
}

/** Decode one protobuf message's wire format (proto2 as CRIU writes it). */
export function decodeProto(buf: Buffer): ProtoFields {
  const fields: ProtoFields = new Map();
  let i = 0;
  const add = (n: number, v: number | Buffer): void => {
    const list = fields.get(n) ?? [];
    list.push(v);
    fields.set(n, list);
  };
  while (i < buf.length) {
    const key = readVarint(buf, i);
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    i = key.next;
    if (wire === 0) {
      const v = readVarint(buf, i);
      add(field, v.value);
      i = v.next;
    } else if (wire === 2) {
      const len = readVarint(buf, i);
      const end = len.next + len.value;
      if (end > buf.length) throw new Error('truncated field');
      add(field, buf.subarray(len.next, end));
      i = end;
    } else if (wire === 5) {
      add(field, buf.readUInt32LE(i));
      i += 4;
    } else if (wire === 1) {
      add(field, Number(buf.readBigUInt64LE(i)));
      i += 8;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
  return fields;
}

/** The protobuf entries of a CRIU image file (after its magic words). */
export function imageEntries(buf: Buffer): Buffer[] {
  if (buf.length < 8) throw new Error('not a CRIU image (too short)');
  const first = buf.readUInt32LE(0);
  let i = first === IMG_SERVICE_MAGIC || first === IMG_COMMON_MAGIC ? 8 : 4;
  const entries: Buffer[] = [];
  while (i + 4 <= buf.length) {
    const size = buf.readUInt32LE(i);
    i += 4;
    if (i + size > buf.length) throw new Error('truncated CRIU image entry');
    entries.push(buf.subarray(i, i + size));
    i += size;
  }
  return entries;
}

export const num = (f: ProtoFields, n: number): number | undefined => {
  const v = f.get(n)?.[0];
  return typeof v === 'number' ? v : undefined;
};
const usToMs = (us: number | undefined): number | undefined =>
  us === undefined ? undefined : Math.round(us / 100) / 10;

/** CRIU's own figures for one restore (stats-restore), times in ms. */
export interface CriuRestoreStats {
  /** Time CRIU spent restoring the process tree (its TIME_RESTORE timer). */
  readonly restoreMs: number;
  /** Time CRIU spent forking the tasks (TIME_FORK). */
  readonly forkingMs: number;
  readonly pagesRestored?: number;
  readonly pagesCompared: number;
  readonly pagesSkippedCow: number;
}

/** CRIU's own figures for one dump (stats-dump), times in ms. */
export interface CriuDumpStats {
  readonly freezingMs: number;
  readonly frozenMs: number;
  readonly memdumpMs: number;
  readonly memwriteMs: number;
  readonly pagesScanned: number;
  readonly pagesWritten: number;
}

function statsEntry(buf: Buffer, field: 1 | 2): ProtoFields | undefined {
  if (buf.length < 8 || buf.readUInt32LE(0) !== IMG_SERVICE_MAGIC || buf.readUInt32LE(4) !== STATS_MAGIC)
    throw new Error('not a CRIU stats file (magic)');
  const [entry] = imageEntries(buf);
  const inner = entry ? decodeProto(entry).get(field)?.[0] : undefined;
  return Buffer.isBuffer(inner) ? decodeProto(inner) : undefined;
}

/** stats-restore (written by `criu restore` into its work directory, the images directory here). */
export function parseRestoreStats(buf: Buffer): CriuRestoreStats | undefined {
  const r = statsEntry(buf, 2);
  if (!r) return undefined;
  const restoreMs = usToMs(num(r, 4));
  const forkingMs = usToMs(num(r, 3));
  if (restoreMs === undefined || forkingMs === undefined) return undefined;
  const pagesRestored = num(r, 5);
  return {
    restoreMs,
    forkingMs,
    ...(pagesRestored !== undefined ? { pagesRestored } : {}),
    pagesCompared: num(r, 1) ?? 0,
    pagesSkippedCow: num(r, 2) ?? 0,
  };
}

/** stats-dump (written by the checkpoint's dump into its work directory, the log directory here). */
export function parseDumpStats(buf: Buffer): CriuDumpStats | undefined {
  const d = statsEntry(buf, 1);
  if (!d) return undefined;
  const need = [1, 2, 3, 4, 5, 7].map((n) => num(d, n));
  if (need.some((v) => v === undefined)) return undefined;
  const [freezing, frozen, memdump, memwrite, scanned, written] = need as number[];
  return {
    freezingMs: usToMs(freezing) as number,
    frozenMs: usToMs(frozen) as number,
    memdumpMs: usToMs(memdump) as number,
    memwriteMs: usToMs(memwrite) as number,
    pagesScanned: scanned as number,
    pagesWritten: written as number,
  };
}

/** pstree.img: one entry per process, its threads in field 5. */
export function countProcesses(buf: Buffer): { processes: number; threads: number } {
  const entries = imageEntries(buf).map(decodeProto);
  return { processes: entries.length, threads: entries.reduce((n, e) => n + Math.max(1, e.get(5)?.length ?? 0), 0) };
}
