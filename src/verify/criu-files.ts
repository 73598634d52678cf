import { decodeProto, imageEntries, num, readVarint } from './criu-images.js';
/**

/** fdinfo.proto's fd_types, by number (file_entry.type is field 1). */
export const FD_TYPES: Readonly<Record<number, string>> = {
  1: 'regular',
  2: 'pipe',
  3: 'fifo',
  4: 'inet socket',
  5: 'unix socket',
  6: 'eventfd',
  7: 'eventpoll',
  8: 'inotify',
  9: 'signalfd',
  10: 'packet socket',
  11: 'tty',
  12: 'fanotify',
  13: 'netlink socket',
  14: 'namespace',
  15: 'tun',
  16: 'external',
  17: 'timerfd',
  18: 'memfd',
  19: 'bpf map',
  20: 'pidfd',
};

/** files.img: the open file objects the checkpoint holds, counted by kind. */
export function countFiles(buf: Buffer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of imageEntries(buf)) {
    const type = num(decodeProto(e), 1);
    const kind = type === undefined ? 'unknown' : (FD_TYPES[type] ?? `type ${type}`);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** open(2) flags CRIU records for a regular file (reg_file_entry.flags). */
export const O_ACCMODE = 0o3;

export const O_APPEND = 0o2000;

export const O_DIRECTORY = 0o200000;

/** TCP states (include/net/tcp_states.h). */
export const TCP_ESTABLISHED = 1;

export const TCP_CLOSE = 7;

export const TCP_LISTEN = 10;

export const AF_INET = 2;

export interface OpenRegularFile {
  readonly path: string;
  readonly access: 'read' | 'write' | 'read-write';
  readonly append: boolean;
  /** The size CRIU recorded; a restore needs the file at that size again. */
  readonly sizeBytes?: number;
}

export interface InetSocket {
  readonly state: 'listening' | 'established' | 'closed' | `tcp state ${number}`;
  readonly protocol: 'tcp' | 'udp' | `proto ${number}`;
  readonly local: string;
  readonly remote?: string;
}

/** An address from inet_sk_entry's repeated uint32 words (network byte order, read little-endian). */
export function formatAddress(words: readonly number[], family: number, port: number): string {
  const bytes = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => bytes.writeUInt32LE(w >>> 0, i * 4));
  let host: string;
  if (family === AF_INET || words.length === 1) host = [...bytes.subarray(0, 4)].join('.');
  else if (bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])))
    host = [...bytes.subarray(12, 16)].join('.');
  else if (bytes.every((b) => b === 0)) host = '[::]';
  else host = `[${Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(':')}]`;
  return `${host}:${port}`;
}

/** Repeated uint32 fields arrive unpacked (numbers) or packed (one length-delimited buffer of varints). */
export function uint32s(values: ReadonlyArray<number | Buffer> | undefined): number[] {
  const out: number[] = [];
  for (const v of values ?? []) {
    if (typeof v === 'number') out.push(v);
    else {
      for (let i = 0; i < v.length;) {
        const r = readVarint(v, i);
        out.push(r.value);
        i = r.next;
      }
    }
  }
  return out;
}

/**
 * files.img in detail: the regular files (not directories) open under the given directories,
 * and the internet sockets, from file_entry.reg (field 3: reg_file_entry name 6, flags 2,
 * size 8) and file_entry.isk (field 4: inet_sk_entry family 3, proto 5, state 6, ports 7/8,
 * addresses 11/12), as CRIU's images/fdinfo.proto, regfile.proto and sk-inet.proto define them.
 */
export function openFilesAndSockets(
  buf: Buffer,
  under: readonly string[],
): { files: OpenRegularFile[]; sockets: InetSocket[] } {
  const files: OpenRegularFile[] = [];
  const sockets: InetSocket[] = [];
  for (const e of imageEntries(buf)) {
    const f = decodeProto(e);
    const type = num(f, 1);
    const body = f.get(type === 1 ? 3 : 4)?.[0];
    if (!Buffer.isBuffer(body)) continue;
    const d = decodeProto(body);
    if (type === 1) {
      const name = d.get(6)?.[0];
      const flags = num(d, 2) ?? 0;
      if (!Buffer.isBuffer(name) || flags & O_DIRECTORY) continue;
      const p = name.toString('utf8');
      if (!under.some((root) => p.startsWith(`${root}/`))) continue;
      const mode = flags & O_ACCMODE;
      const size = num(d, 8);
      files.push({
        path: p,
        access: mode === 0 ? 'read' : mode === 1 ? 'write' : 'read-write',
        append: (flags & O_APPEND) !== 0,
        ...(size !== undefined ? { sizeBytes: size } : {}),
      });
    } else if (type === 4) {
      const family = num(d, 3) ?? 0;
      const proto = num(d, 5) ?? 0;
      const state = num(d, 6) ?? 0;
      const local = formatAddress(uint32s(d.get(11)), family, num(d, 7) ?? 0);
      const remoteWords = uint32s(d.get(12));
      const remotePort = num(d, 8) ?? 0;
      sockets.push({
        state:
          state === TCP_LISTEN
            ? 'listening'
            : state === TCP_ESTABLISHED
              ? 'established'
              : state === TCP_CLOSE
                ? 'closed'
                : `tcp state ${state}`,
        protocol: proto === 6 ? 'tcp' : proto === 17 ? 'udp' : `proto ${proto}`,
        local,
        ...(remotePort !== 0 ? { remote: formatAddress(remoteWords, family, remotePort) } : {}),
      });
    }
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, sockets };
}
