/**
 * How still the host speed index holds on one host (a benchmark, not a pass/fail test): the probe run again and
 * again on the server's CPU, nothing else measured meanwhile.
 *
 *   node --import tsx test/bench/host-speed-repeat.ts [--probes 30] [--every 20] [--cpus 1] [--json OUT]
 *
 * For each probe: its index and parts. Summary: the index's median, range and max/min ratio; each part's spread
 * (max/min); and the same for the median of each three consecutive probes (what a longer probe would give), so the
 * warning bound can be set from the measured spread rather than from "a few percent".
 */
import { writeFileSync } from 'node:fs';
import { median } from 'simple-statistics';
import { probeHostSpeed } from '../../src/verify/host-speed-probe.js';
import { speedIndex } from '../../src/hostspeed/index.js';
import type { HostSpeedParts } from '../../src/hostspeed/types.js';
import { benchArgs } from './bench-input.js';

const { flag } = benchArgs(process.argv.slice(2));
const probes = Number(flag('--probes') ?? 30);
const everyS = Number(flag('--every') ?? 20);
const cpus = flag('--cpus') ?? '1';
const out = flag('--json');

const spread = (xs: readonly number[]): number => Math.max(...xs) / Math.min(...xs);

const rows: Array<{ at: string; index: number; parts: HostSpeedParts; durationMs: number }> = [];
for (let i = 0; i < probes; i += 1) {
  const started = Date.now();
  const { speed, problem } = await probeHostSpeed(cpus);
  if (!speed) {
    process.stderr.write(`probe ${i + 1}: ${problem}\n`);
  } else {
    rows.push({ at: new Date().toISOString(), index: speed.index, parts: speed.parts, durationMs: speed.durationMs });
    process.stderr.write(`probe ${i + 1}/${probes}: index ${speed.index} (${speed.durationMs} ms)\n`);
  }
  const wait = everyS * 1000 - (Date.now() - started);
  if (i < probes - 1 && wait > 0) await new Promise((r) => setTimeout(r, wait));
}
const indices = rows.map((r) => r.index);
const partNames = Object.keys(rows[0]?.parts ?? {}) as Array<keyof HostSpeedParts>;
// The median of each part over three consecutive probes, then its index: a probe three times as long.
const triples: number[] = [];
for (let i = 0; i + 3 <= rows.length; i += 3) {
  const parts = {} as Record<keyof HostSpeedParts, number>;
  for (const k of partNames) parts[k] = median(rows.slice(i, i + 3).map((r) => r.parts[k]));
  triples.push(speedIndex(parts as HostSpeedParts));
}
const summary = {
  probes: rows.length,
  cpus,
  everyS,
  from: rows[0]?.at,
  to: rows[rows.length - 1]?.at,
  index: { median: median(indices), min: Math.min(...indices), max: Math.max(...indices), spread: spread(indices) },
  parts: Object.fromEntries(
    partNames.map((k) => {
      const xs = rows.map((r) => r.parts[k]);
      return [k, { median: median(xs), spread: Number(spread(xs).toFixed(3)) }];
    }),
  ),
  medianOfThree: triples.length
    ? { values: triples, min: Math.min(...triples), max: Math.max(...triples), spread: spread(triples) }
    : undefined,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
if (out) writeFileSync(out, `${JSON.stringify({ summary, rows }, null, 2)}\n`);
