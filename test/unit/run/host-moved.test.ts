import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import type { ResultsFile } from '../../../src/results/types.js';
import { capture } from '../../support/capture-io.js';
import { FAKE_HOST_SPEED, fakeWorld, recordedStarts } from '../../support/fake-engine.js';

/** The host speed probe again after the last start: a host that moved during the run is said and kept. */
async function runWith(indices: number[]): Promise<{ text: string; results: ResultsFile }> {
  const world = fakeWorld(recordedStarts);
  let call = 0;
  const host = {
    ...world.host,
    hostSpeed: async (cpus: string) => ({ speed: { ...FAKE_HOST_SPEED(cpus), index: indices[call++] ?? 100 } }),
  };
  const out = `/tmp/ib-moved-${process.pid}-${indices.join('-')}.json`;
  const io = capture('/tmp');
  const code = await runCli(
    ['run', '--scenario', 'pingperf', '--variants', 'afterAppStart', '--runs', '2', '--warmup', '0', '--out', out],
    io,
    { ...world, host },
  );
  expect(code).toBe(0);
  return { text: io.text(), results: JSON.parse(await readFile(out, 'utf8')) as ResultsFile };
}

describe('a host that moves during a run', () => {
  it('33 before the first start, 46 after the last (the fresh AMD VM): warned at the end and kept in the file', async () => {
    const { text, results } = await runWith([33, 46]);
    expect(text).toMatch(
      /run: warning: the host moved during the run: host speed index 33 before the first start, 46 after the last \(1\.39x, beyond 1\.35x\)/,
    );
    expect(results.environment.hostSpeed?.index).toBe(33);
    expect(results.environment.hostSpeedAfter?.index).toBe(46);
    expect(results.warnings.some((w) => w.startsWith('the host moved during the run'))).toBe(true);
  });

  it('within the band (100, then 110): the second figure kept, nothing said', async () => {
    const { text, results } = await runWith([100, 110]);
    expect(text).not.toMatch(/the host moved/);
    expect(results.environment.hostSpeedAfter?.index).toBe(110);
  });
});
