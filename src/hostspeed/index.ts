import type { HostSpeed, HostSpeedParts } from './types.js';

/**
 * The host speed index: 100 x the geometric mean of this host's speed relative to the
 * reference host, part by part (times: reference / measured; rates: measured / reference).
 * Above 100 is faster than the reference. The reference is the machine the probe was
 * calibrated on (session 10, a 2-core Firecracker VM, Intel Xeon, kernel 6.18): the medians
 * of five probes there.
 */
export const REFERENCE_HOST = 'session 10 calibration host (2-core Firecracker VM, Intel Xeon, kernel 6.18)';
export const REFERENCE_PARTS: HostSpeedParts = {
  spawnMs: 1.42,
  pageFaultMiBps: 2300,
  copyMiBps: 8170,
  computeMs: 31.9,
  fileReadUs: 4.09,
};

/** Which parts are times (lower is faster); the others are rates. */
const TIMES: ReadonlySet<keyof HostSpeedParts> = new Set(['spawnMs', 'computeMs', 'fileReadUs']);

/** Each part relative to the reference (1 = as fast, 2 = twice as fast). */
export function relativeParts(parts: HostSpeedParts): Record<keyof HostSpeedParts, number> {
  const out = {} as Record<keyof HostSpeedParts, number>;
  for (const k of Object.keys(REFERENCE_PARTS) as Array<keyof HostSpeedParts>) {
    const ref = REFERENCE_PARTS[k];
    const v = parts[k];
    out[k] = TIMES.has(k) ? ref / v : v / ref;
  }
  return out;
}

export function speedIndex(parts: HostSpeedParts): number {
  const rel = Object.values(relativeParts(parts));
  const logMean = rel.reduce((s, r) => s + Math.log(r), 0) / rel.length;
  return Math.round(100 * Math.exp(logMean));
}

/**
 * Two hosts (or one host before and after a run) whose indices differ by more than this factor get a warning: their
 * starts are not comparable one to one. The bound is the index's own spread between two readings, measured: taken
 * twice within one run (before the first start and after the last, minutes apart) on the AMD EPYC VMs of this kind,
 * the larger over the smaller had its 95th percentile just under it over every committed run that has both
 * (test/bench/host-speed-day.ts; the docs test recomputes it and fails if the bound no longer clears it). The Intel
 * host repeated within 4% (docs/how-it-works.md, "Does it hold still").
 */
export const HOST_SPEED_WARN_RATIO = 1.35;

/**
 * A build whose index lies beyond this factor of its series' median is marked off the series' band (history). One
 * reading against the median of many deviates about half as much (in log) as two readings from each other: in the
 * quiet hour-long series of ten builds (results/reference/history-hours-amd/) no build lay beyond it (the docs test
 * checks that).
 */
export const HOST_BAND_RATIO = 1.25;

/** A warning when two hosts' indices differ beyond the bound, or undefined. */
export function hostSpeedWarning(
  a: { readonly label: string; readonly speed?: HostSpeed },
  b: { readonly label: string; readonly speed?: HostSpeed },
): string | undefined {
  if (!a.speed || !b.speed) return undefined;
  const [x, y] = [a.speed.index, b.speed.index];
  const ratio = Math.max(x, y) / Math.min(x, y);
  if (!(ratio > HOST_SPEED_WARN_RATIO)) return undefined;
  return (
    `host speed differs: ${a.label} index ${x}, ${b.label} index ${y} (${ratio.toFixed(2)}x, beyond ` +
    `${HOST_SPEED_WARN_RATIO}x): timings from these hosts are not comparable one to one`
  );
}

/** "index 97 (spawn 1.33 ms, page faults 2.3 GiB/s, copy 8.6 GiB/s, compute 32 ms, file 7.6 µs)". */
export function describeHostSpeed(s: HostSpeed): string {
  const p = s.parts;
  return (
    `index ${s.index} (process spawn ${p.spawnMs.toFixed(2)} ms, page faults ${(p.pageFaultMiBps / 1024).toFixed(1)} ` +
    `GiB/s, memory copy ${(p.copyMiBps / 1024).toFixed(1)} GiB/s, compute ${p.computeMs.toFixed(1)} ms, small-file ` +
    `read ${p.fileReadUs.toFixed(1)} µs; CPUs ${s.cpus})`
  );
}
