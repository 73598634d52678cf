import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import {
  HOST_SPEED_WARN_RATIO,
  hostSpeedWarning,
  REFERENCE_PARTS,
  relativeParts,
  speedIndex,
} from '../../../src/hostspeed/index.js';
import type { HostSpeed, HostSpeedParts } from '../../../src/hostspeed/types.js';
import type { ResultsFile } from '../../../src/results/types.js';
import { environmentDifferences } from '../../../src/stats/compare.js';
import { probeHostSpeed } from '../../../src/verify/host-speed-probe.js';
import { capture } from '../../support/capture-io.js';
import { FAKE_HOST_SPEED, fakeWorld, recordedStarts } from '../../support/fake-engine.js';

/** Every part `factor` times as fast as the reference (times divided, rates multiplied). */
const scaled = (factor: number): HostSpeedParts => ({
  spawnMs: REFERENCE_PARTS.spawnMs / factor,
  pageFaultMiBps: REFERENCE_PARTS.pageFaultMiBps * factor,
  copyMiBps: REFERENCE_PARTS.copyMiBps * factor,
  computeMs: REFERENCE_PARTS.computeMs / factor,
  fileReadUs: REFERENCE_PARTS.fileReadUs / factor,
});
const speed = (index: number): HostSpeed => ({ ...FAKE_HOST_SPEED('1'), index });

describe('the host speed index', () => {
  it('is 100 on the reference figures, 200 twice as fast, 50 half as fast; times and rates each in their direction', () => {
    expect(speedIndex(REFERENCE_PARTS)).toBe(100);
    expect(speedIndex(scaled(2))).toBe(200);
    expect(speedIndex(scaled(0.5))).toBe(50);
    // Only process creation three times slower: the geometric mean of (1/3, 1, 1, 1, 1).
    const slowSpawn = { ...REFERENCE_PARTS, spawnMs: REFERENCE_PARTS.spawnMs * 3 };
    expect(relativeParts(slowSpawn).spawnMs).toBeCloseTo(1 / 3, 10);
    expect(speedIndex(slowSpawn)).toBe(Math.round(100 * (1 / 3) ** (1 / 5)));
  });

  it('warns when two hosts differ beyond the bound, not within it, and not when one is unknown', () => {
    const w = hostSpeedWarning({ label: 'a', speed: speed(100) }, { label: 'b', speed: speed(150) });
    expect(w).toMatch(/host speed differs: a index 100, b index 150 \(1\.50x/);
    const within = Math.floor(100 * HOST_SPEED_WARN_RATIO);
    expect(hostSpeedWarning({ label: 'a', speed: speed(100) }, { label: 'b', speed: speed(within) })).toBeUndefined();
    expect(hostSpeedWarning({ label: 'a', speed: speed(100) }, { label: 'b' })).toBeUndefined();
  });
});

describe('the host speed in a run, its results file, report and compare (fake engine)', () => {
  it('is recorded as environment.hostSpeed, shown in summary.md, and compare warns across hosts of other speeds', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-speed-'));
    const out = path.join(dir, 'r.json');
    const io = capture(dir);
    const args = ['run', '--scenario', 'pingperf', '--variants', 'cold,afterAppStart', '--warmup', '0', '--runs', '2'];
    expect(await runCli([...args, '--out', out], io, fakeWorld(recordedStarts))).toBe(0);
    expect(io.text()).toMatch(/run: host speed index 100 \(process spawn/);
    const r = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(r.environment.hostSpeed?.index).toBe(100);
    expect(r.environment.hostSpeed?.cpus).toBe(r.config.serverCpus);

    const reportIo = capture(dir);
    expect(await runCli(['report', out, '--out', path.join(dir, 'rep')], reportIo)).toBe(0);
    const summary = await readFile(path.join(dir, 'rep', 'summary.md'), 'utf8');
    expect(summary).toMatch(/Host speed index 100 \(process spawn/);

    // The same file as if measured on a host 1.6x as fast: compare names both indices and warns.
    const fast = path.join(dir, 'fast.json');
    await writeFile(fast, JSON.stringify({ ...r, environment: { ...r.environment, hostSpeed: speed(160) } }));
    expect(environmentDifferences(r, { ...r, environment: { ...r.environment, hostSpeed: speed(160) } })).toEqual([
      expect.stringMatching(/host speed differs: baseline index 100, candidate index 160/),
    ]);
    const cmp = capture(dir);
    await runCli(['compare', out, fast, '--json', path.join(dir, 'c.json')], cmp);
    expect(cmp.text()).toMatch(/compare: host speed: baseline index 100, candidate index 160/);
    expect(cmp.text()).toMatch(/host speed differs/);
    const doc = JSON.parse(await readFile(path.join(dir, 'c.json'), 'utf8')) as {
      hostSpeed: { baseline: HostSpeed; candidate: HostSpeed };
    };
    expect([doc.hostSpeed.baseline.index, doc.hostSpeed.candidate.index]).toEqual([100, 160]);
  });
});

describe('the real probe on this machine', () => {
  it('measures every part on the CPU it is held to, in well under a minute', async () => {
    const { speed: s, problem } = await probeHostSpeed('0');
    expect(problem).toBeUndefined();
    if (!s) throw new Error('no host speed');
    expect(s.cpus).toBe('0');
    for (const v of Object.values(s.parts)) expect(v).toBeGreaterThan(0);
    expect(s.index).toBe(speedIndex(s.parts));
    // Wide: a host of this kind is within 10x of the calibration host either way.
    expect(s.index).toBeGreaterThan(10);
    expect(s.index).toBeLessThan(1000);
  }, 90_000);
});
