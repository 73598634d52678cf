import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countFiles, countProcesses, decodeProto, imageEntries, parseDumpStats, parseRestoreStats } from '../../../src/verify/criu-images.js';

// Real files from a Pingperf afterAppStart checkpoint and one of its restores on this machine (CRIU 4.2.1).
const fixture = (f: string): Buffer => readFileSync(`test/fixtures/criu/${f}`);

describe('CRIU image files', () => {
  it("reads CRIU's restore statistics (microseconds to ms)", () => {
    expect(parseRestoreStats(fixture('stats-restore'))).toEqual({ restoreMs: 209.8, forkingMs: 0.4, pagesRestored: 49939, pagesCompared: 0, pagesSkippedCow: 0 });
  });
  it("reads the dump's statistics", () => {
    expect(parseDumpStats(fixture('stats-dump'))).toEqual({ freezingMs: 10.1, frozenMs: 129.8, memdumpMs: 77.4, memwriteMs: 55.3, pagesScanned: 50422, pagesWritten: 49939 });
  });
  it('counts the processes, threads and open files of a checkpoint', () => {
    expect(countProcesses(fixture('pstree.img'))).toEqual({ processes: 2, threads: 49 });
    expect(countFiles(fixture('files.img'))).toEqual({ regular: 214, 'unix socket': 2, 'inet socket': 2, eventpoll: 3, eventfd: 3 });
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
});
