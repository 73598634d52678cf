import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../../support/capture-io.js';
import { runCli } from '../../../src/cli/main.js';
import type { ResultsFile } from '../../../src/results/types.js';
import {
  crashScript,
  fallbackScript,
  fakeWorld,
  hangScript,
  recordedStarts,
  recording,
  stretch,
  type ScriptFor,
} from '../../support/fake-engine.js';
import { runArgs } from '../../support/run-args.js';

/**
 * The whole pipeline, `run` through `report`, `compare` and `plan`, in unit tests: the fake
 * engine replays recorded Liberty starts (test/fixtures/recordings), so the run loop, one
 * start, restore verification, resume and the results file are exercised with no container.
 */
async function tmp(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'ib-pipe-'));
}

const read = async (file: string): Promise<ResultsFile> => JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
const PINGPERF = ['run', '--scenario', 'pingperf', '--warmup', '0'];

describe('the pipeline through the fake engine', () => {
  it('measures, verifies every restore, writes the results file, and report, compare and plan read it', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'r.json');
    const io = capture(dir);
    const world = fakeWorld(recordedStarts);
    expect(await runCli([...PINGPERF, '--runs', '3', '--out', out], io, world)).toBe(0);
    const r = await read(out);
    expect(r.state).toBe('complete');
    expect(r.runs).toHaveLength(9);
    expect(r.runs.every((x) => x.status === 'ok')).toBe(true);
    const restores = r.runs.filter((x) => x.variant !== 'cold');
    expect(
      restores.every((x) => x.restore?.verified === true && x.restore.evidence.some((e) => e.includes('CWWKC0452I'))),
    ).toBe(true);
    // Timings are the replay's (recordings scaled by 0.02): cold ready after the restore's.
    const median = (v: string): number => {
      const xs = r.runs
        .filter((x) => x.variant === v)
        .map((x) => x.metrics.readyMs as number)
        .sort((a, b) => a - b);
      return xs[1] as number;
    };
    expect(median('cold')).toBeGreaterThan(median('afterAppStart'));
    expect(r.runs.every((x) => x.cpus.observed === r.config.serverCpus && x.cpus.matches === true)).toBe(true);
    expect(
      r.runs.every(
        (x) =>
          typeof x.metrics.firstResponseMs === 'number' &&
          (x.metrics.firstResponseMs as number) >= (x.metrics.readyMs as number),
      ),
    ).toBe(true);
    expect(world.engine().liveContainers()).toEqual([]);
    expect(world.engine().removed).toHaveLength(9);
    expect(io.text()).toMatch(/pingperf +afterAppStart +3\/3/);
    // Every start's timeline: marks in order, from launch to the first response, adding up to it.
    for (const x of r.runs) {
      const marks = x.timeline?.marks ?? [];
      expect(marks[0]?.mark).toBe('launch');
      expect(marks.at(-1)?.mark).toBe('firstResponse');
      expect(marks.every((m, i) => i === 0 || m.atMs >= (marks[i - 1]?.atMs ?? 0))).toBe(true);
      expect(Math.abs((marks.at(-1)?.atMs ?? 0) - (x.metrics.firstResponseMs ?? -1))).toBeLessThan(1);
      expect(marks.some((m) => m.mark === 'ready')).toBe(true);
      expect(marks.some((m) => m.mark === 'restoreStarted')).toBe(x.variant !== 'cold');
    }
    const gaps = r.runs.slice(1).map((x) => x.harness?.sincePreviousMs);
    expect(gaps.every((g) => typeof g === 'number' && g >= 0)).toBe(true);
    expect(r.runs[0]?.harness?.sincePreviousMs).toBeUndefined();

    const reports = path.join(dir, 'report');
    expect(await runCli(['report', out, '--out', reports], capture(dir))).toBe(0);
    expect(await readdir(reports)).toEqual(
      expect.arrayContaining(['index.html', 'summary.md', 'runs.csv', 'ready.svg', 'waterfall.svg']),
    );
    const summary = await readFile(path.join(reports, 'summary.md'), 'utf8');
    expect(summary).toContain('## Where the time goes');
    expect(summary).toMatch(
      /\| pingperf \| afterAppStart \| 3\/3 \| criu restore began → Liberty resumed \(CWWKC0452I\) \| [\d.]+ \([\d.]+–[\d.]+\) \|/,
    );
    expect(summary).toMatch(/Harness time between starts .*median \d+ ms/);
    const cmp = capture(dir);
    expect(await runCli(['compare', out, out], cmp)).toBe(0);
    expect(cmp.text()).toContain('same file');
    const plan = capture(dir);
    expect(await runCli(['plan', out, '--json'], plan)).toBe(0);
    expect(JSON.parse(plan.stdout.join('\n'))).toMatchObject({ kind: 'instanton-bench-plan' });
    // --json [FILE|-] the same way for report: the summary's figures, the text on stderr.
    const report = capture(dir);
    expect(await runCli(['report', out, '--out', path.join(dir, 'r'), '--json', '-'], report)).toBe(0);
    const figures = JSON.parse(report.stdout.join('\n')) as { kind: string; inputs: Array<{ groups: unknown[] }> };
    expect(figures.kind).toBe('instanton-bench-report');
    expect(figures.inputs[0]?.groups.length).toBeGreaterThan(0);
    expect(report.lines.some((l) => l.startsWith('report: '))).toBe(true);
  });

  it('measures the aotCache variant verified from the JVM, and a start without the cache as fallback', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'aot.json');
    expect(
      await runCli(
        ['run', '--scenario', 'pingperf', '--variants', 'cold,aotCache', '--runs', '2', '--warmup', '0', '--out', out],
        capture(dir),
        fakeWorld(recordedStarts),
      ),
    ).toBe(0);
    const r = await read(out);
    const aot = r.runs.filter((x) => x.variant === 'aotCache');
    expect(aot).toHaveLength(2);
    expect(
      aot.every(
        (x) =>
          x.status === 'ok' &&
          x.aotCache?.verified === true &&
          x.startState?.classData === 'aot-cache' &&
          x.startState.classesFromArchive === 7825,
      ),
    ).toBe(true);
    expect(
      r.runs
        .filter((x) => x.variant === 'cold')
        .every((x) => x.aotCache === undefined && x.startState?.workArea === 'primed'),
    ).toBe(true);
    // The same image without the JVM's evidence (no -Xlog:aot file, no perf data): never counted.
    const bare = path.join(dir, 'bare.json');
    const withoutEvidence: ScriptFor = (spec) =>
      spec.image.includes('aotcache') ? recording('pingperf-cold') : recording('pingperf-cold');
    expect(
      await runCli(
        ['run', '--scenario', 'pingperf', '--variants', 'aotCache', '--runs', '1', '--warmup', '0', '--out', bare],
        capture(dir),
        fakeWorld(withoutEvidence),
      ),
    ).toBe(1);
    const b = await read(bare);
    expect(b.runs[0]?.status).toBe('fallback');
    expect(b.runs[0]?.error).toMatch(/^not run with the AOT cache: no "Opened AOT cache/);
  });

  it('--cold-state clean: cold starts get Liberty --clean and -Xshare:off, recorded as a clean work area; restores are untouched', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'clean.json');
    const world = fakeWorld(recordedStarts);
    expect(
      await runCli(
        runArgs({ scenario: 'pingperf', variants: 'cold,afterAppStart', extra: ['--cold-state', 'clean'], out }),
        capture(dir),
        world,
      ),
    ).toBe(0);
    const r = await read(out);
    expect(r.config.coldState).toBe('clean');
    const cold = world.engine().starts.find((s) => !s.image.includes('appstart'));
    const restore = world.engine().starts.find((s) => s.image.includes('appstart'));
    expect(cold?.env).toMatchObject({ IB_CLEAN_START: 'true', JVM_ARGS: '-Xshare:off' });
    expect(restore?.env?.IB_CLEAN_START).toBeUndefined();
    expect(r.runs.find((x) => x.variant === 'cold')?.startState?.workArea).toBe('clean');
    expect(r.runs.find((x) => x.variant === 'afterAppStart')?.startState?.workArea).toBe('checkpoint');
  });

  it('--ramp-up loads each start after its first response; report charts it and plan uses the measured service time', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'ramp.json');
    expect(
      await runCli(
        runArgs({
          scenario: 'pingperf',
          variants: 'cold,afterAppStart',
          extra: ['--ramp-up', '3', '--ramp-concurrency', '2'],
          out,
        }),
        capture(dir),
        fakeWorld(recordedStarts),
      ),
    ).toBe(0);
    const r = await read(out);
    expect(r.config.rampUpS).toBe(3);
    for (const x of r.runs) {
      expect(x.rampUp?.concurrency).toBe(2);
      expect(x.rampUp?.errors).toBe(0);
      expect(x.rampUp?.requests).toBeGreaterThan(0);
      expect((x.rampUp?.loadStartMs ?? 0) >= (x.metrics.firstResponseMs ?? Infinity)).toBe(true);
      expect(x.metrics.rampPeakRps).toBeGreaterThan(0);
      expect(x.harness?.endedMs).toBeGreaterThanOrEqual(x.rampUp?.loadEndMs ?? Infinity);
    }
    const reports = path.join(dir, 'report');
    expect(await runCli(['report', out, '--out', reports], capture(dir))).toBe(0);
    expect(await readdir(reports)).toEqual(expect.arrayContaining(['ramp-up.svg', 'ramp-up.vl.json']));
    expect(await readFile(path.join(reports, 'summary.md'), 'utf8')).toContain(
      '## After the start: throughput ramp-up',
    );
    const plan = capture(dir);
    expect(await runCli(['plan', out], plan)).toBe(0);
    expect(plan.text()).toMatch(
      /pingperf\/afterAppStart: service [\d.]+ ms per request at concurrency 2, measured \(steady \d+ req\/s/,
    );
    const given = capture(dir);
    expect(await runCli(['plan', out, '--service-ms', '5'], given)).toBe(0);
    expect(given.text()).toMatch(/service 5 ms per request at concurrency 100, from --service-ms/);
  }, 30_000);

  it('records a fallback restore as fallback (never ok), a crash as failed and a hang as timed-out, and exits 1', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'bad.json');
    // The first afterAppStart start falls back, the first cold one crashes, the first beforeAppStart hangs.
    const seen = new Set<string>();
    const scriptFor: ScriptFor = (spec) => {
      const kind = spec.image.includes('afterappstart')
        ? 'after'
        : spec.image.includes('beforeappstart')
          ? 'before'
          : 'cold';
      const first = !seen.has(kind);
      seen.add(kind);
      if (!first) return recordedStarts(spec, 0);
      return kind === 'after' ? fallbackScript() : kind === 'cold' ? crashScript() : hangScript();
    };
    const io = capture(dir);
    expect(
      await runCli([...PINGPERF, '--runs', '2', '--ready-timeout', '1000', '--out', out], io, fakeWorld(scriptFor)),
    ).toBe(1);
    const r = await read(out);
    const first = (v: string) => r.runs.find((x) => x.variant === v && x.iteration === 1);
    expect(first('afterAppStart')?.status).toBe('fallback');
    expect(first('afterAppStart')?.restore?.verified).toBe(false);
    expect(first('afterAppStart')?.restore?.failure).toBe('fallback');
    expect(first('cold')?.status).toBe('failed');
    expect(first('cold')?.error).toMatch(/server container exited \(code 1\) before CWWKF0011I/);
    expect(first('beforeAppStart')?.status).toBe('timed-out');
    expect(first('beforeAppStart')?.error).toMatch(/no CWWKF0011I within 1000 ms/);
    expect(r.runs.filter((x) => x.iteration === 2).every((x) => x.status === 'ok')).toBe(true);
    expect(io.text()).toMatch(/diagnosis of the starts that were not ok/);
    const cmp = capture(dir);
    // The bad file as the candidate against a clean baseline: the fallback is a regression outright.
    const good = path.join(dir, 'good.json');
    expect(await runCli([...PINGPERF, '--runs', '2', '--out', good], capture(dir), fakeWorld(recordedStarts))).toBe(0);
    expect(await runCli(['compare', good, out], cmp)).toBe(1);
    expect(cmp.text()).toMatch(/regression/);
  });

  it('Ctrl-C stops within the start, exit 130; --resume finishes the plan with the same configuration and every start once', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'int.json');
    const world = fakeWorld(recordedStarts);
    const io = capture(dir);
    const running = runCli(
      [
        ...PINGPERF,
        '--runs',
        '3',
        '--out',
        out,
        '--checkpoint-flow',
        'build',
        '--base-criu',
        'trixie',
        '--privileged',
        '--strict',
        '--seed',
        '7',
        '--target-ci',
        '50',
        '--max-runs',
        '4',
      ],
      io,
      world,
    );
    // Interrupt once 4 starts are in the file.
    for (;;) {
      const r = await read(out).catch(() => undefined);
      if ((r?.runs.length ?? 0) >= 4) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    process.emit('SIGINT');
    expect(await running).toBe(130);
    const partial = await read(out);
    expect(partial.state).toBe('interrupted');
    expect(partial.runs.length).toBeGreaterThanOrEqual(4);
    expect(partial.runs.length).toBeLessThan(9);
    expect(world.engine().liveContainers()).toEqual([]);

    const resumeWorld = fakeWorld(recordedStarts);
    const resumed = capture(dir);
    expect(await runCli(['run', '--resume', out], resumed, resumeWorld)).toBe(0);
    const done = await read(out);
    expect(done.state).toBe('complete');
    const keys = done.runs.map((x) => `${x.variant}#${x.iteration}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(done.runs.length).toBeGreaterThanOrEqual(9);
    // The configuration survived the resume, and the images were asked for the same way.
    const { order: _a, ...before } = partial.config;
    const { order: _b, ...after } = done.config;
    expect(after).toEqual(before);
    expect(done.config).toMatchObject({
      checkpointFlow: 'build',
      baseCriu: 'trixie',
      restoreMode: 'privileged',
      strict: true,
      seed: 7,
      targetCiPct: 50,
      maxRuns: 4,
    });
    expect(resumeWorld.builds[0]).toMatchObject({ checkpointFlow: 'build', baseCriu: 'trixie' });
    expect(world.builds[0]).toMatchObject({ checkpointFlow: 'build', baseCriu: 'trixie' });
    // Non-empty first: `every` of no starts would pass whatever the flags were.
    const resumedRestores = resumeWorld.engine().starts.filter((s) => s.image.includes('appstart'));
    expect(resumedRestores.length).toBeGreaterThan(0);
    expect(resumedRestores.every((s) => s.privilege?.kind === 'privileged')).toBe(true);
    expect(resumedRestores.every((s) => s.env?.CRIU_RESTORE_DISABLE_RECOVERY === 'true')).toBe(true);
  });

  it('--target-ci adds rounds while an interval is wide, up to --max-runs, each round stored in the plan', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'ci.json');
    // Starts vary by up to 2x: with 2 runs no interval is within ±1%.
    let n = 0;
    const varying: ScriptFor = (spec) => stretch(recordedStarts(spec, 0), 1 + ((n++ * 37) % 10) / 10);
    const io = capture(dir);
    expect(
      await runCli(
        [
          ...PINGPERF,
          '--variants',
          'cold,afterAppStart',
          '--runs',
          '2',
          '--target-ci',
          '1',
          '--max-runs',
          '4',
          '--out',
          out,
        ],
        io,
        fakeWorld(varying),
      ),
    ).toBe(0);
    const r = await read(out);
    expect(r.runs).toHaveLength(8);
    expect(r.config.order).toHaveLength(8);
    // The configuration says how many rounds were measured (the report's method line reads it).
    expect(r.config.runs).toBe(4);
    expect(Math.max(...r.runs.map((x) => x.iteration))).toBe(4);
    expect(io.text()).toMatch(/adding run 3 of at most 4/);
    expect(io.text()).toMatch(/adding run 4 of at most 4/);
  });

  it('a start that never printed its ready line leaves no container behind, and the run refuses a second writer to its file', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'one.json');
    const world = fakeWorld(() => hangScript());
    const first = runCli(
      [...PINGPERF, '--variants', 'cold', '--runs', '1', '--ready-timeout', '1000', '--out', out],
      capture(dir),
      world,
    );
    for (;;) {
      if ((await read(out).catch(() => undefined)) !== undefined) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    const second = capture(dir);
    expect(
      await runCli(
        [...PINGPERF, '--variants', 'cold', '--runs', '1', '--out', out, '--allow-concurrent'],
        second,
        fakeWorld(recordedStarts),
      ),
    ).toBe(2);
    expect(second.lines[0]).toMatch(/is writing this results file$/);
    expect(await first).toBe(1);
    expect(world.engine().liveContainers()).toEqual([]);
    expect((await read(out)).runs[0]?.status).toBe('timed-out');
  });

  it('uses the recordings it claims to (sanity of the fixtures)', () => {
    const cold = recording('pingperf-cold');
    const after = recording('pingperf-after-app-start');
    const readyAt = (s: typeof cold) => s.lines.find((l) => l.text.includes('CWWKF0011I'))?.atMs ?? 0;
    expect(readyAt(cold)).toBeGreaterThan(4 * readyAt(after));
    expect(after.files?.['/logs/messages.log']).toContain('CWWKC0452I');
  });
});

describe('A/B arms through the fake engine', () => {
  // An arm with env.SLOW=1 replays every start 30% slower.
  const slowWhenAsked: ScriptFor = (spec, i) => {
    const s = recordedStarts(spec, i);
    return spec.env?.SLOW === '1' ? stretch(s, 1.3) : stretch(s, 1 + ((i * 7) % 5) / 100);
  };

  it('interleaves every arm in every round, records the arm of each start, and compare FILE pairs them: A/A passes, a slow arm fails', async () => {
    const dir = await tmp();
    const aa = path.join(dir, 'aa.json');
    const io = capture(dir);
    expect(
      await runCli(
        [...PINGPERF, '--variants', 'afterAppStart', '--runs', '10', '--arm', 'base', '--arm', 'same', '--out', aa],
        io,
        fakeWorld(slowWhenAsked),
      ),
    ).toBe(0);
    const r = await read(aa);
    expect(r.config.arms?.map((a) => a.name)).toEqual(['base', 'same']);
    for (let round = 1; round <= 10; round += 1) {
      expect(
        r.runs
          .filter((x) => x.iteration === round)
          .map((x) => x.arm)
          .sort(),
      ).toEqual(['base', 'same']);
    }
    const cmp = capture(dir);
    expect(await runCli(['compare', aa], cmp)).toBe(0);
    expect(cmp.text()).toMatch(/\| pingperf \| afterAppStart \| same \| readyMs \|/);
    expect(cmp.text()).toMatch(/compare: no regression/);

    const ab = path.join(dir, 'ab.json');
    const world = fakeWorld(slowWhenAsked);
    expect(
      await runCli(
        [
          ...PINGPERF,
          '--variants',
          'afterAppStart',
          '--runs',
          '10',
          '--arm',
          'base',
          '--arm',
          'slow:env.SLOW=1,cpus=0.7,memory=1g',
          '--out',
          ab,
        ],
        capture(dir),
        world,
      ),
    ).toBe(0);
    const slowStarts = world.engine().starts.filter((s) => s.env?.SLOW === '1');
    expect(slowStarts).toHaveLength(10);
    expect(slowStarts.every((s) => s.limits?.cpus === 0.7 && s.limits.memory === '1g')).toBe(true);
    const gate = capture(dir);
    expect(await runCli(['compare', ab], gate), gate.text()).toBe(1);
    expect(gate.text()).toMatch(
      /compare: \d regression\(s\): slow pingperf\/afterAppStart readyMs \+\d+\.\d% \(95% CI 1\.\d+-1\.\d+ paired, Holm p=0\.\d+; segment that changed most: .+ → .+ \+\d+ ms \(median \d+ → \d+ ms\)\)/,
    );
    const report = path.join(dir, 'report');
    expect(await runCli(['report', ab, '--out', report], capture(dir))).toBe(0);
    expect(await readFile(path.join(report, 'summary.md'), 'utf8')).toMatch(
      /A\/B arms, interleaved round by round[\s\S]*slow: SLOW=1, cpus=0\.7, memory=1g/,
    );
  });

  it('--sequential looks after every round from the minimum, stops a slow arm once the answer is known, and compare uses the recorded design', async () => {
    const dir = await tmp();
    const out = path.join(dir, 'seq.json');
    const io = capture(dir);
    expect(
      await runCli(
        [
          ...PINGPERF,
          '--variants',
          'afterAppStart',
          '--arm',
          'base',
          '--arm',
          'slow:env.SLOW=1',
          '--sequential',
          '--out',
          out,
        ],
        io,
        fakeWorld(slowWhenAsked),
      ),
    ).toBe(0);
    const r = await read(out);
    expect(r.config.sequential).toMatchObject({ method: 'group-sequential', minRounds: 5, maxRounds: 40 });
    const looks = r.sequentialLooks ?? [];
    expect(looks[0]?.round).toBe(5);
    expect(looks[looks.length - 1]).toMatchObject({ stopped: 'answer-known' });
    const rounds = Math.max(...r.runs.map((x) => x.iteration));
    expect(rounds).toBe(looks[looks.length - 1]?.round);
    expect(rounds).toBeLessThanOrEqual(10);
    expect(r.runs).toHaveLength(2 * rounds);
    expect(io.text()).toMatch(/run: look at round 5 \(of at most 40\)/);
    expect(io.text()).toMatch(/slow pingperf\/afterAppStart readyMs: \+\d+\.\d% \(repeated 95% /);
    expect(io.text()).toMatch(/the gate's answer is known after \d+ rounds/);
    const gate = capture(dir);
    expect(await runCli(['compare', out, '--json', path.join(dir, 'cmp.json')], gate), gate.text()).toBe(1);
    expect(gate.text()).toMatch(/is a sequential run \(group-sequential, pocock spending/);
    expect(gate.text()).toMatch(/compare: \d regression\(s\): slow pingperf\/afterAppStart readyMs .*repeated 95% CI/);
    const doc = JSON.parse(await readFile(path.join(dir, 'cmp.json'), 'utf8')) as {
      sequential: { stoppedAtRound: number; design: { spending: string } };
    };
    expect(doc.sequential).toMatchObject({ stoppedAtRound: rounds, design: { spending: 'pocock' } });
    // report shows the run as compare judges it: the design's repeated intervals, in the forest plot and --json.
    const rep = capture(dir);
    expect(await runCli(['report', out, '--out', path.join(dir, 'rep'), '--json', '-'], rep)).toBe(0);
    const figures = JSON.parse(rep.stdout.join('\n')) as { arms: Array<{ figures?: string; comparisons: unknown[] }> };
    expect(figures.arms[0]?.figures).toMatch(/repeated 95% intervals/);
    expect(figures.arms[0]?.comparisons).toEqual(JSON.parse(JSON.stringify(doc)).comparisons);
    expect(await readFile(path.join(dir, 'rep', 'arms.vl.json'), 'utf8')).toMatch(/repeated 95% interval/);
    // A threshold other than the design's cannot apply to a run that stopped by that design.
    const other = capture(dir);
    expect(await runCli(['compare', out, '--threshold', '10'], other)).toBe(2);
    expect(other.lines[0]).toMatch(/^error\[E_USAGE\]: --threshold 10 \(the design's: 5\): .* is a sequential run/);
    // Bad combinations are exit 2 before anything is built.
    for (const [args, message] of [
      [['--sequential'], /--sequential needs A\/B arms/],
      [['--arm', 'a', '--arm', 'b', '--sequential', '--runs', '9'], /--runs with --sequential/],
      [['--arm', 'a', '--arm', 'b', '--min-rounds', '6'], /--min-rounds without --sequential/],
      [
        ['--arm', 'a', '--arm', 'b', '--sequential', '--min-rounds', '9', '--max-rounds', '8'],
        /--max-rounds 8 is below --min-rounds 9/,
      ],
      [['--arm', 'a', '--arm', 'b', '--sequential', '--min-rounds', '2'], /--min-rounds 2/],
    ] as const) {
      const bad = capture(dir);
      expect(
        await runCli([...PINGPERF, ...args, '--out', path.join(dir, 'bad.json')], bad, fakeWorld(slowWhenAsked)),
      ).toBe(2);
      expect(bad.lines[0]).toMatch(message);
    }
  });

  it('refuses a bad arm before anything is built, naming the arm, the key and the fix', async () => {
    const dir = await tmp();
    const cases: Array<[string[], RegExp]> = [
      [['--arm', 'base'], /^error\[E_USAGE\]: --arm base: one arm compares with nothing$/],
      [['--arm', 'base', '--arm', 'x:colour=red'], /^error\[E_USAGE\]: --arm x: colour: unknown key$/],
      [
        ['--arm', 'base', '--arm', 'x:jvm-options=/nonexistent/jvm.options'],
        /^error\[E_USAGE\]: --arm x: jvm-options: expected an existing file, found nothing at \/nonexistent\/jvm\.options$/,
      ],
      [
        ['--arm', 'base', '--arm', 'x:jdk=17'],
        /^error\[E_USAGE\]: --arm x: jdk: 17 cannot checkpoint here: the CRIU shim that lets Liberty checkpoint on HotSpot needs Java 22\+ \(the FFM API\)$/,
      ],
      [['--arm', 'base', '--arm', 'base'], /^error\[E_USAGE\]: --arm base: named twice$/],
      [
        ['--arm', 'base', '--arm', 'x:cpus=-1'],
        /^error\[E_USAGE\]: --arm x: cpus: "-1" is not a positive number of CPUs$/,
      ],
    ];
    for (const [args, message] of cases) {
      const world = fakeWorld(recordedStarts);
      const io = capture(dir);
      expect(await runCli([...PINGPERF, ...args, '--out', path.join(dir, 'x.json')], io, world)).toBe(2);
      expect(io.lines[0]).toMatch(message);
      expect(world.builds).toHaveLength(0);
    }
  });
});
