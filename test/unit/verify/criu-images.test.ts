import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  countProcesses,
  decodeProto,
  imageEntries,
  parseDumpStats,
  parseRestoreStats,
} from '../../../src/verify/criu-images.js';
import { countFiles, openFilesAndSockets } from '../../../src/verify/criu-files.js';
import { restoreRelevantLines } from '../../../src/results/checkpoint-holds.js';
import type { CheckpointContents } from '../../../src/results/start-types.js';

// Real files from a Pingperf afterAppStart checkpoint and one of its restores on this machine (CRIU 4.2.1).
const fixture = (f: string): Buffer => readFileSync(`test/fixtures/criu/${f}`);

describe('CRIU image files', () => {
  it("reads CRIU's restore statistics (microseconds to ms)", () => {
    expect(parseRestoreStats(fixture('stats-restore'))).toEqual({
      restoreMs: 209.8,
      forkingMs: 0.4,
      pagesRestored: 49939,
      pagesCompared: 0,
      pagesSkippedCow: 0,
    });
  });
  it("reads the dump's statistics", () => {
    expect(parseDumpStats(fixture('stats-dump'))).toEqual({
      freezingMs: 10.1,
      frozenMs: 129.8,
      memdumpMs: 77.4,
      memwriteMs: 55.3,
      pagesScanned: 50422,
      pagesWritten: 49939,
    });
  });
  it('counts the processes, threads and open files of a checkpoint', () => {
    expect(countProcesses(fixture('pstree.img'))).toEqual({ processes: 2, threads: 49 });
    expect(countFiles(fixture('files.img'))).toEqual({
      regular: 214,
      'unix socket': 2,
      'inet socket': 2,
      eventpoll: 3,
      eventfd: 3,
    });
  });
  it('refuses what is not a stats file, and truncated images', () => {
    expect(() => parseRestoreStats(fixture('pstree.img'))).toThrow(/magic/);
    expect(() => imageEntries(fixture('files.img').subarray(0, 100))).toThrow(/truncated/);
  });
  it('decodes varints beyond 32 bits', () => {
    // field 1, varint 2^40
    const buf = Buffer.from([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    expect(decodeProto(buf).get(1)).toEqual([2 ** 40]);
  });
  it("lists the files open under the server's directories and the sockets, from a real files.img", () => {
    const d = openFilesAndSockets(fixture('files.img'), [
      '/opt/ol/wlp/usr/servers/defaultServer',
      '/output/defaultServer',
      '/logs',
    ]);
    expect(d.files.map((f) => `${f.access} ${f.path}`)).toEqual([
      'write /logs/console.log',
      'write /output/defaultServer/workarea/.sLock',
      'read /output/defaultServer/workarea/org.eclipse.osgi/156/0/bundleFile',
      'read /output/defaultServer/workarea/org.eclipse.osgi/157/0/bundleFile',
    ]);
    // Liberty's command port on loopback; the HTTP port opens only after the restore.
    expect(d.sockets).toEqual([
      { state: 'listening', protocol: 'tcp', local: '127.0.0.1:42467' },
      { state: 'closed', protocol: 'tcp', local: '[::]:0' },
    ]);
    const lines = restoreRelevantLines({ serverFiles: d.files, sockets: d.sockets } as unknown as CheckpointContents);
    expect(lines[0]).toContain('2 for writing (/logs/console.log, /output/defaultServer/workarea/.sLock (0 bytes))');
    expect(lines[1]).toBe('sockets: 1 listening (tcp 127.0.0.1:42467), 0 connected, 1 unbound or closed');
  });
  it('decodes an established IPv4 connection and a file opened read-write (synthetic entries shaped like CRIU 4)', () => {
    const varint = (n: number): number[] => {
      const out: number[] = [];
      do {
        let b = n % 128;
        n = Math.floor(n / 128);
        if (n > 0) b |= 0x80;
        out.push(b);
      } while (n > 0);
      return out;
    };
    const v = (field: number, n: number): number[] => [...varint(field * 8), ...varint(n)];
    const bytes = (field: number, b: number[]): number[] => [...varint(field * 8 + 2), ...varint(b.length), ...b];
    const addr = (a: number, b: number, c: number, d: number): number =>
      (((d << 24) >>> 0) + (c << 16) + (b << 8) + a) >>> 0;
    const isk = [
      ...v(1, 7),
      ...v(2, 99),
      ...v(3, 2),
      ...v(4, 1),
      ...v(5, 6),
      ...v(6, 1),
      ...v(7, 41000),
      ...v(8, 5432),
      ...v(9, 2),
      ...v(10, 0),
      ...v(11, addr(10, 88, 0, 3)),
      ...v(12, addr(10, 88, 0, 2)),
    ];
    const reg = [
      ...v(1, 8),
      ...v(2, 0o2 | 0o100000),
      ...v(3, 0),
      ...bytes(6, [...Buffer.from('/opt/ol/wlp/usr/servers/defaultServer/data/db/log/log1.dat')]),
      ...v(8, 1048576),
    ];
    const entries = [
      [...v(1, 4), ...v(2, 7), ...bytes(4, isk)],
      [...v(1, 1), ...v(2, 8), ...bytes(3, reg)],
    ];
    const image = Buffer.concat([
      Buffer.from([0x40, 0x59, 0x10, 0x55, 0, 0, 0, 0]),
      ...entries.map((e) => Buffer.concat([Buffer.from(Uint32Array.of(e.length).buffer), Buffer.from(e)])),
    ]);
    const d = openFilesAndSockets(image, ['/opt/ol/wlp/usr/servers/defaultServer']);
    expect(d.sockets).toEqual([
      { state: 'established', protocol: 'tcp', local: '10.88.0.3:41000', remote: '10.88.0.2:5432' },
    ]);
    expect(d.files).toEqual([
      {
        path: '/opt/ol/wlp/usr/servers/defaultServer/data/db/log/log1.dat',
        access: 'read-write',
        append: false,
        sizeBytes: 1048576,
      },
    ]);
    expect(
      restoreRelevantLines({ serverFiles: d.files, sockets: d.sockets } as unknown as CheckpointContents)[1],
    ).toContain('1 connected (tcp 10.88.0.3:41000 -> 10.88.0.2:5432 established)');
  });
});
