import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { roundsForHolmFloor, signedRankTest, holmAdjust } from '../../../src/stats/paired.js';
import { capture } from '../../support/capture-io.js';
import { fakeWorld, recordedStarts } from '../../support/fake-engine.js';

/**
 * A paired run too short for its gate: the exact signed-rank test's smallest p at n rounds is 2/2^n, and Holm
 * multiplies it by the family's size, so 8 rounds with 8 comparisons (or 4 rounds with any) can never show a change.
 */
describe('the rounds a paired gate needs', () => {
  it('matches the exact test: at the floor every round agrees and Holm still cannot go below alpha', () => {
    expect(roundsForHolmFloor(8, 0.05)).toBe(9);
    expect(roundsForHolmFloor(1, 0.05)).toBe(6);
    expect(roundsForHolmFloor(2, 0.05)).toBe(7);
    // The test itself at 8 rounds, all 8 slower: p = 2/256; 8 such comparisons under Holm: 0.0625.
    const allSlower = signedRankTest([1, 2, 3, 4, 5, 6, 7, 8].map((i) => i / 100));
    expect(allSlower.pTwoSided).toBeCloseTo(2 / 256, 10);
    expect(Math.min(...holmAdjust(Array(8).fill(allSlower.pTwoSided)))).toBeGreaterThan(0.05);
    const nine = signedRankTest([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i / 100));
    expect(Math.min(...holmAdjust(Array(8).fill(nine.pTwoSided)))).toBeLessThanOrEqual(0.05);
  });

  it('run names the floor before its first start (--runs 4, two arms, one variant: 2 comparisons need 7)', async () => {
    const io = capture('/tmp');
    const world = fakeWorld(recordedStarts);
    const code = await runCli(
      [
        'run',
        '--scenario',
        'pingperf',
        '--variants',
        'afterAppStart',
        '--runs',
        '4',
        '--warmup',
        '0',
        '--arm',
        'a',
        '--arm',
        'b',
        '--out',
        `/tmp/ib-floor-${process.pid}.json`,
      ],
      io,
      world,
    );
    expect(code).toBe(0);
    const text = io.text();
    const warning = text.indexOf("warning: --runs 4: 4 paired rounds cannot reach a verdict for the gate's 2");
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/3 round\(s\) short: pass --runs 7 or more/);
    // Before the first start's line.
    expect(warning).toBeLessThan(text.indexOf('[1/8]'));
  });

  it('says nothing when the rounds suffice', async () => {
    const io = capture('/tmp');
    await runCli(
      ['run', '--scenario', 'pingperf', '--variants', 'afterAppStart', '--runs', '7', '--warmup', '0'].concat([
        '--arm',
        'a',
        '--arm',
        'b',
        '--out',
        `/tmp/ib-floor-ok-${process.pid}.json`,
      ]),
      io,
      fakeWorld(recordedStarts),
    );
    expect(io.text()).not.toMatch(/cannot reach a verdict/);
  });
});
