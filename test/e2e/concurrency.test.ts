import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/types.js';
import { labelledContainers, waitFor } from '../support/e2e.js';

/** Two runs on one machine, hard kills and exit timing, with real podman and Liberty. */
const BIN = path.resolve('bin/instanton-bench.js');
// No host speed probe (5-20 s a run on the slower hosts): nothing here reads the index.
const PINGPERF = ['--scenario', 'pingperf', '--warmup', '0', '--no-host-speed'];

const labelled = labelledContainers;

const read = async (file: string): Promise<ResultsFile> => JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
const tmp = async (name: string): Promise<string> => path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-conc-')), name);

describe('two runs, one machine (real runs)', () => {
  it('refuses a second run while one measures, refuses a second writer and a resume of a live run; --allow-concurrent warns in both files', async () => {
    const a = await tmp('a.json');
    const b = await tmp('b.json');
    // Four cold starts: long enough on the slowest machines seen (cold 14 s here) to overlap the second run's starts.
    const first = execa('node', [BIN, 'run', ...PINGPERF, '--variants', 'cold', '--runs', '4', '--out', a], {
      reject: false,
      all: true,
    });
    await waitFor(async () => (await labelled()).length > 0, 600_000, 50, first);

    const refused = await execa(
      'node',
      [BIN, 'run', ...PINGPERF, '--variants', 'afterAppStart', '--runs', '1', '--out', b],
      { reject: false, all: true },
    );
    expect(refused.exitCode).toBe(3);
    expect(refused.all).toMatch(
      /^error\[E_CONCURRENT\]: another instanton-bench run is measuring on this machine: run \(pid \d+/,
    );
    const sameOut = await execa('node', [BIN, 'run', ...PINGPERF, '--variants', 'cold', '--runs', '1', '--out', a], {
      reject: false,
      all: true,
    });
    expect(sameOut.exitCode).toBe(2);
    expect(sameOut.all).toMatch(
      /a\.json: another instanton-bench run \(pid \d+, since .*\) is writing this results file/,
    );
    const resumeLive = await execa('node', [BIN, 'run', '--resume', a], { reject: false, all: true });
    expect(resumeLive.exitCode).toBe(2);
    expect(resumeLive.all).toMatch(/is writing this results file/);
    const doctor = await execa('node', [BIN, 'doctor'], { reject: false, all: true });
    expect(doctor.all).toMatch(/live runs +1 run\(s\) measuring now/);

    const second = await execa(
      'node',
      // Four restores: long enough to span the end of one of the first run's cold starts, however slow they are.
      [BIN, 'run', ...PINGPERF, '--variants', 'afterAppStart', '--runs', '4', '--out', b, '--allow-concurrent'],
      { reject: false, all: true },
    );
    expect(second.exitCode).toBe(0);
    expect((await first).exitCode).toBe(0);
    const [ra, rb] = [await read(a), await read(b)];
    expect(rb.warnings.join('\n')).toMatch(/--allow-concurrent: started while another run was measuring/);
    expect(rb.warnings.join('\n')).toMatch(/afterAppStart run 1 overlapped foreign load/);
    expect(ra.warnings.join('\n')).toMatch(
      /cold run \d overlapped foreign load on this machine \(another run: run \(pid/,
    );
    expect(await labelled()).toEqual([]);
  });

  it("after SIGKILL mid-restore: doctor names the dead run's container, --resume removes it and every start is in the file once", async () => {
    const out = await tmp('killed.json');
    const child = execa('node', [BIN, 'run', ...PINGPERF, '--variants', 'afterAppStart', '--runs', '3', '--out', out], {
      reject: false,
      all: true,
    });
    await waitFor(
      async () => (await read(out).catch(() => undefined))?.runs.length === 1 && (await labelled()).length > 0,
      600_000,
      50,
      child,
    );
    await new Promise((r) => setTimeout(r, 300)); // inside the second start: podman started, restore under way
    child.kill('SIGKILL');
    await child;
    expect((await labelled()).length).toBe(1);
    const doctor = await execa('node', [BIN, 'doctor'], { reject: false, all: true });
    expect(doctor.all).toMatch(/FAIL\] leftovers +1 container\(s\) left by a run that is no longer alive/);

    const resumed = await execa('node', [BIN, 'run', '--resume', out], { reject: false, all: true });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.all).toMatch(/run: removed 1 container\(s\) left by a run that is no longer alive/);
    const done = await read(out);
    expect(done.state).toBe('complete');
    expect(done.runs.map((r) => r.iteration).sort()).toEqual([1, 2, 3]);
    expect(done.runs.every((r) => r.status === 'ok' && r.restore?.verified === true)).toBe(true);
    expect(await labelled()).toEqual([]);
  });

  it('a one-start run exits within a second of its last output; SIGTERM stops a run within 5 s with exit 143', async () => {
    const out = await tmp('one.json');
    let last = 0;
    const child = execa('node', [BIN, 'run', ...PINGPERF, '--variants', 'afterAppStart', '--runs', '1', '--out', out], {
      reject: false,
      all: true,
      buffer: true,
    });
    child.all?.on('data', () => {
      last = Date.now();
    });
    const result = await child;
    const ended = Date.now();
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(/results: /);
    expect(ended - last).toBeLessThan(1_000);

    const term = await tmp('term.json');
    const running = execa('node', [BIN, 'run', ...PINGPERF, '--variants', 'cold', '--runs', '2', '--out', term], {
      reject: false,
      all: true,
    });
    await waitFor(async () => (await labelled()).length > 0, 600_000, 50, running);
    const sent = Date.now();
    running.kill('SIGTERM');
    const stopped = await running;
    expect(stopped.exitCode).toBe(143);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(await labelled()).toEqual([]);
    expect((await read(term)).state).toBe('interrupted');
  });
});
