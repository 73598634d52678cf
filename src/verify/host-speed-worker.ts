/**
 * The host speed probe's measurements, run as a child process pinned to the CPUs it measures
 * (verify/host-speed-probe.ts starts it): process creation, page faults, memory copy, one core's
 * compute, and small-file open/read in a directory of the container storage's file system.
 * Prints one JSON line of raw parts (no index: host-speed-probe.ts computes it). Each part is the
 * fastest of several repetitions after a warm-up (process creation: the median of batches), so a
 * moment's interference moves it little.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const MIB = 1024 * 1024;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const timed = (fn: () => void): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
/** The fastest of several repetitions: what the host can do, less moved by a moment's interference than a median. */
const best = (xs: number[]): number => Math.min(...xs);
const reps = (n: number, fn: () => void): number[] => {
  fn(); // warm-up
  return Array.from({ length: n }, () => timed(fn));
};

/** ms per fork + exec + exit of /bin/true, waited for. */
function spawnMs(): number {
  const batch = 20;
  return (
    median(
      reps(9, () => {
        for (let i = 0; i < batch; i += 1) spawnSync('/bin/true', { stdio: 'ignore' });
      }),
    ) / batch
  );
}

/** MiB/s of fresh memory touched for the first time (page faults + zeroing), as a restore's pages are. */
function pageFaultMiBps(): number {
  const size = 128 * MIB;
  const ms = best(reps(9, () => Buffer.allocUnsafeSlow(size).fill(1)));
  return (size / MIB / ms) * 1000;
}

/** MiB/s copied between two buffers already in memory. */
function copyMiBps(): number {
  const size = 64 * MIB;
  const src = Buffer.allocUnsafeSlow(size).fill(7);
  const dst = Buffer.allocUnsafeSlow(size).fill(0);
  const ms = best(reps(15, () => src.copy(dst)));
  return (size / MIB / ms) * 1000;
}

/** ms for a fixed integer workload (xorshift and a table walk) on one core. */
function computeMs(): number {
  const table = new Uint32Array(1 << 16);
  let sink = 0;
  const ms = best(
    reps(7, () => {
      let x = 2463534242;
      for (let i = 0; i < 20_000_000; i += 1) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const j = x & 0xffff;
        table[j] = ((table[j] as number) + i) >>> 0;
      }
      sink ^= x;
    }),
  );
  if (sink === 0.5) process.stdout.write(''); // keeps the loop from being optimised away
  return ms;
}

/** µs per open + read + close of a small file in `dir` (cached: the file system's and kernel's path, not the disk). */
function fileReadUs(dir: string): number {
  const files = 200;
  const work = mkdtempSync(path.join(dir, '.instanton-bench-speed-'));
  try {
    const names = Array.from({ length: files }, (_, i) => path.join(work, `f${i}`));
    const data = Buffer.alloc(8192, 1);
    for (const f of names) writeFileSync(f, data);
    let bytes = 0;
    const ms = best(
      reps(15, () => {
        for (const f of names) bytes += readFileSync(f).length;
      }),
    );
    if (bytes === 0) throw new Error(`no bytes read in ${work}`);
    return (ms * 1000) / files;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const dir = process.argv[2] ?? '/tmp';
const t0 = performance.now();
const parts = {
  spawnMs: spawnMs(),
  pageFaultMiBps: pageFaultMiBps(),
  copyMiBps: copyMiBps(),
  computeMs: computeMs(),
  fileReadUs: fileReadUs(dir),
};
process.stdout.write(`${JSON.stringify({ parts, durationMs: performance.now() - t0 })}\n`);
