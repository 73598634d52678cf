/**
 * HotSpot's performance-data file (/tmp/hsperfdata_USER/PID, the memory jstat reads): a
 * prologue (magic 0xcafec0c0, byte order, entry offset at byte 24, entry count at byte 28)
 * and entries of (length, name offset, vector length, type, flags, units, variability, data
 * offset). The JVM writes its own launch times there: sun.rt.createVmBeginTime and
 * sun.rt.createVmEndTime, epoch milliseconds. Read from the host after the start, nothing
 * is added to the measured JVM.
 */

const MAGIC = 0xcafec0c0;

export interface JvmLaunchTimes {
  /** Epoch ms when JNI_CreateJavaVM began (the JVM's own clock, the host's wall clock). */
  readonly createVmBeginMs: number;
  /** Epoch ms when the VM was created (before the main class runs). */
  readonly createVmEndMs?: number;
}

/** The long-valued counters of an hsperfdata file whose names match `wanted`. */
export function readPerfLongs(buf: Buffer, wanted: (name: string) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  if (buf.length < 32 || buf.readUInt32BE(0) !== MAGIC) return out;
  const le = buf[4] === 1;
  const i32 = (o: number): number => (le ? buf.readInt32LE(o) : buf.readInt32BE(o));
  const entryOffset = i32(24);
  const count = i32(28);
  let o = entryOffset;
  for (let n = 0; n < count && o + 20 <= buf.length; n += 1) {
    const length = i32(o);
    if (length <= 0) break;
    const nameStart = o + i32(o + 4);
    const nameEnd = buf.indexOf(0, nameStart);
    const name = buf.toString('latin1', nameStart, nameEnd < 0 ? nameStart : nameEnd);
    const type = String.fromCharCode(buf[o + 12] as number);
    const dataAt = o + i32(o + 16);
    if (type === 'J' && wanted(name) && dataAt + 8 <= buf.length)
      out.set(name, Number(le ? buf.readBigInt64LE(dataAt) : buf.readBigInt64BE(dataAt)));
    o += length;
  }
  return out;
}

/** Classes loaded from a class-data archive (CDS or an AOT cache) and the others, from the JVM's own counters. */
export function jvmClassCounts(buf: Buffer): { fromArchive: number; otherwise: number } | undefined {
  const v = readPerfLongs(buf, (n) => n === 'java.cls.sharedLoadedClasses' || n === 'java.cls.loadedClasses');
  const shared = v.get('java.cls.sharedLoadedClasses');
  const loaded = v.get('java.cls.loadedClasses');
  return shared === undefined || loaded === undefined ? undefined : { fromArchive: shared, otherwise: loaded };
}

export function jvmLaunchTimes(buf: Buffer): JvmLaunchTimes | undefined {
  const v = readPerfLongs(buf, (n) => n === 'sun.rt.createVmBeginTime' || n === 'sun.rt.createVmEndTime');
  const begin = v.get('sun.rt.createVmBeginTime');
  if (begin === undefined || begin <= 0) return undefined;
  const end = v.get('sun.rt.createVmEndTime');
  return { createVmBeginMs: begin, ...(end !== undefined && end >= begin ? { createVmEndMs: end } : {}) };
}
