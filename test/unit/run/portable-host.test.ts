import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { loadScenarios } from '../../../src/scenario/load.js';
import { parseArm } from '../../../src/run/arms.js';
import { resolveRun } from '../../../src/run/config.js';
import { checkScenariosForRun } from '../../../src/run/resolve.js';
import { capture } from '../../support/capture-io.js';
import { FAKE_HOST_CPU, fakeWorld, recordedStarts } from '../../support/fake-engine.js';

/**
 * A portable checkpoint (cpu-baseline=) needs CPUID faulting on the host that takes it. An AMD EPYC VM of this kind
 * (its committed probe profile: no cpuid_fault) is refused before anything is taken; an Intel host with the flag is not.
 */
const AMD_PROFILE = path.resolve('test/fixtures/hosts/amd-epyc-family26-firecracker.json');

async function amdCpu(): Promise<{ model: string; flags: string[] }> {
  const p = JSON.parse(await readFile(AMD_PROFILE, 'utf8')) as { cpu: { model: string; flags: string[] } };
  return { model: p.cpu.model, flags: p.cpu.flags };
}

describe('cpu-baseline= on hosts with and without CPUID faulting', () => {
  it('the committed AMD profile lacks cpuid_fault (what this test is about)', async () => {
    expect((await amdCpu()).flags).not.toContain('cpuid_fault');
    expect(FAKE_HOST_CPU.flags).toContain('cpuid_fault');
  });

  it('on the AMD host: exit 2 with one line naming cpuid_fault, before an engine, a lock or a build (under a second)', async () => {
    const world = fakeWorld(recordedStarts);
    const amd = { ...world, host: { ...world.host, cpu: amdCpu } };
    let engines = 0;
    const counted = {
      ...amd,
      makeEngine: async (owner?: string) => {
        engines += 1;
        return world.makeEngine(owner);
      },
    };
    const io = capture('/tmp');
    const started = Date.now();
    const code = await runCli(
      ['run', '--scenario', 'pingperf', '--arm', 'default', '--arm', 'portable:cpu-baseline=x86-64-v2'],
      io,
      counted,
    );
    const ms = Date.now() - started;
    expect(code).toBe(2);
    const errors = io
      .text()
      .split('\n')
      .filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error\[E_USAGE\]: --arm portable: cpu-baseline: this host's CPU \(AMD EPYC\) offers no CPUID faulting \(no cpuid_fault/,
    );
    expect(io.text()).toMatch(
      /fix: cpu-baseline=x86-64-v3-clwb works here \(JVM options and glibc masks; it restores on x86-64-v3 CPUs with clwb,/,
    );
    expect(io.text()).toMatch(/or take the portable checkpoint on a host whose \/proc\/cpuinfo lists cpuid_fault/);
    expect(engines).toBe(0);
    expect(world.builds).toHaveLength(0);
    expect(ms).toBeLessThan(5_000); // a hang detector; the e2e times the real refusal
  });

  it('on a host with CPUID faulting the same arms pass the check', async () => {
    const settings = resolveRun(
      { scenario: ['pingperf'], arm: ['default', 'portable:cpu-baseline=x86-64-v2'] },
      process.cwd(),
      new Date(),
    ).settings;
    expect(settings.arms?.map((a) => a.name)).toEqual(['default', 'portable']);
    const scenarios = await loadScenarios(settings.scenarioRefs, process.cwd());
    expect(() => checkScenariosForRun(scenarios, settings, FAKE_HOST_CPU)).not.toThrow();
    expect(() => checkScenariosForRun(scenarios, settings, { model: 'AMD EPYC', flags: ['avx2'] })).toThrow(
      /no CPUID faulting/,
    );
    expect(parseArm('portable:cpu-baseline=x86-64-v3', '/w').cpuBaseline).toBe('x86-64-v3');
    // The level JVM options reach needs no CPUID faulting.
    const options = resolveRun(
      { scenario: ['pingperf'], arm: ['default', 'portable:cpu-baseline=x86-64-v3-clwb'] },
      process.cwd(),
      new Date(),
    ).settings;
    expect(() =>
      checkScenariosForRun(scenarios, options, { model: 'AMD EPYC', flags: ['avx2', 'clwb'] }),
    ).not.toThrow();
  });
});
