import { describe, expect, it } from 'vitest';
import { resolveRun, settingsOf } from '../../../src/run/config.js';

const now = new Date('2026-11-21T23:00:00.123Z');

describe('resolveRun', () => {
  it('fills the defaults', () => {
    const { settings, session } = resolveRun({}, '/w', now);
    expect(settings).toEqual({
      scenarioRefs: ['pingperf'],
      variants: ['cold', 'beforeAppStart', 'afterAppStart'],
      runs: 10,
      warmup: 1,
      seed: 1,
      pin: 'taskset',
      profile: 'local',
      restoreMode: 'least-privilege',
      strict: false,
      maxRuns: 30,
      checkpointFlow: 'run',
    });
    expect(session.out).toBe('/w/results/run-2026-11-21T23-00-00Z.json');
  });

  it('does not mutate its input; scenario directories become absolute', () => {
    const input = Object.freeze({ scenario: Object.freeze(['pingperf', 'pingperf', './mine']), runs: '2' });
    expect(resolveRun(input, '/w', now).settings.scenarioRefs).toEqual(['pingperf', '/w/mine']);
  });

  it('keeps every option that shapes the measurement in the settings, and settingsOf gives them back from a stored config', () => {
    const { settings } = resolveRun(
      {
        privileged: true,
        strict: true,
        targetCi: '5',
        maxRuns: '40',
        checkpointFlow: 'build',
        baseCriu: 'trixie',
        readyTimeout: '20000',
        variants: 'afterAppStart',
        runs: '3',
        warmup: '0',
        seed: '9',
        pin: 'cpuset',
      },
      '/w',
      now,
    );
    expect(settings).toMatchObject({
      restoreMode: 'privileged',
      strict: true,
      targetCiPct: 5,
      maxRuns: 40,
      checkpointFlow: 'build',
      baseCriu: 'trixie',
      readyTimeoutMs: 20000,
      variants: ['afterAppStart'],
      runs: 3,
      warmup: 0,
      seed: 9,
      pin: 'cpuset',
    });
    const stored = JSON.parse(
      JSON.stringify({ ...settings, scenarios: ['pingperf'], serverCpus: '1', harnessCpus: '0', order: [] }),
    ) as Parameters<typeof settingsOf>[0];
    expect(settingsOf(stored)).toEqual(settings);
  });

  it.each([
    [{ runs: '0' }, '--runs 0: must be between 1 and 10000'],
    [{ runs: 'three' }, '--runs three: expected a whole number'],
    [{ warmup: '-1' }, '--warmup -1: must be between 0 and 10000'],
    [{ variants: 'lukewarm' }, 'unknown variant "lukewarm"'],
    [{ variants: ',' }, '--variants is empty'],
    [{ pin: 'numactl' }, '--pin numactl: unknown method'],
    [{ seed: '1.5' }, '--seed 1.5: expected a whole number'],
    [{ profile: 'other' }, 'unknown profile "other"'],
    [{ readyTimeout: '999' }, '--ready-timeout 999: must be between 1000 and 3600000'],
  ])('rejects %j', (input, message) => {
    expect(() => resolveRun(input, '/w', now)).toThrow(message);
  });
});

describe('--sequential and its "not worse" margin', () => {
  const arms = { arm: ['a', 'b'], sequential: true } as const;
  it('records the futility boundary in the design: twice the threshold by default, --not-worse-margin otherwise', () => {
    expect(resolveRun(arms, '/w', now).settings.sequential?.futility).toEqual({
      alpha: 0.05,
      spending: 'pocock',
      marginPct: 10,
    });
    expect(resolveRun({ ...arms, threshold: '8' }, '/w', now).settings.sequential?.futility?.marginPct).toBe(16);
    expect(resolveRun({ ...arms, notWorseMargin: '7' }, '/w', now).settings.sequential?.futility?.marginPct).toBe(7);
  });

  it('refuses a margin below the threshold, and a margin without --sequential (exit 2 errors)', () => {
    expect(() => resolveRun({ ...arms, notWorseMargin: '3' }, '/w', now)).toThrow(/below the threshold 5%/);
    expect(() => resolveRun({ arm: ['a', 'b'], notWorseMargin: '10' }, '/w', now)).toThrow(
      /--not-worse-margin without --sequential/,
    );
  });
});
