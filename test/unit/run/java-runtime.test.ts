import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { kindOf } from '../../../src/images/kinds/index.js';
import type { KindOptions } from '../../../src/images/kinds/kind.js';
import { parseArm } from '../../../src/run/arms.js';
import { notApplicableOf } from '../../../src/run/resolve.js';
import { planStarts } from '../../../src/run/schedule.js';
import type { ArmSpec } from '../../../src/results/config-types.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { LIBERTY_READY, lineReady, readySignalOf, SPRING_BOOT_READY_LINE } from '../../../src/verify/ready-signal.js';
import { capture } from '../../support/capture-io.js';
import { thrown } from '../../support/thrown.js';
import { FAKE_HOST_CPU, fakeWorld, recordedStarts } from '../../support/fake-engine.js';

/** runtime=java: the same Spring Boot jar on a plain JVM beside Liberty, as one paired run plans and refuses it. */
const spring = () => loadScenario('spring-boot', '/');
const pingperf = () => loadScenario('pingperf', '/');
const opts = (over: Partial<KindOptions> = {}): KindOptions => ({
  variants: ['cold', 'aotCache'],
  profile: 'local',
  checkpointFlow: 'run',
  hostCpu: FAKE_HOST_CPU,
  ...over,
});
const arm = (over: Partial<ArmSpec>): ArmSpec => ({ name: 'plain', env: {}, ...over });

describe('the ready line of each runtime', () => {
  it("Spring Boot's started line is ready, with its own ISO timestamp and its seconds; other lines are not", () => {
    const ready = lineReady(SPRING_BOOT_READY_LINE);
    const line =
      '2026-12-07T18:40:01.123Z  INFO 1 --- [library] [           main] o.i.s.library.LibraryApplication         : ' +
      'Started LibraryApplication in 3.456 seconds (process running for 3.912)';
    expect(ready.match(line)).toEqual({ loggedAt: Date.parse('2026-12-07T18:40:01.123Z'), selfReportedSeconds: 3.456 });
    // An offset other than Z is honoured; a line without an offset has no trusted timestamp (the harness's clock then).
    expect(ready.match(line.replace('18:40:01.123Z', '19:40:01.123+01:00'))?.loggedAt).toBe(
      Date.parse('2026-12-07T18:40:01.123Z'),
    );
    expect(ready.match(line.replace('2026-12-07T18:40:01.123Z', '18:40:01'))?.loggedAt).toBeUndefined();
    expect(ready.match('2026-12-07T18:39:58.001Z  INFO 1 --- [main] Starting LibraryApplication using Java 25')).toBe(
      undefined,
    );
    // Liberty's CWWKF0011I is not a plain JVM's ready, and Spring's line is not Liberty's.
    expect(ready.match('[AUDIT   ] CWWKF0011I: The defaultServer server is ready to run a smarter planet.')).toBe(
      undefined,
    );
    expect(LIBERTY_READY.match(line)).toBeUndefined();
  });

  it("a scenario on Liberty is ready at CWWKF0011I; as runtime=java made it, at its java.readyLine or Spring Boot's", async () => {
    const s = await spring();
    expect(readySignalOf(s)).toBe(LIBERTY_READY);
    const plain = kindOf(s).applyArm(arm({ runtime: 'java' }));
    expect(plain.runtime).toBe('java');
    expect(readySignalOf(plain).name).toBe(`the ready line /${SPRING_BOOT_READY_LINE}/`);
    expect(
      readySignalOf({ ...plain, javaReadyLine: 'Tomcat started on port' }).match('x Tomcat started on port 9080'),
    ).toBeDefined();
  });
});

describe('runtime=java: the arm key, the kind, the variants it takes', () => {
  it('parses runtime=java and runtime=liberty; anything else is one line naming the key and the fix', () => {
    expect(parseArm('plain:runtime=java', '/').runtime).toBe('java');
    expect(parseArm('lib:runtime=liberty', '/').runtime).toBe('liberty');
    const bad = thrown(() => parseArm('plain:runtime=jvm', '/'));
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toMatch(/--arm plain: runtime: "jvm" is not a runtime/);
  });

  it('a Spring Boot scenario under runtime=java is the java kind: cold and aotCache, no checkpoint phase', async () => {
    const k = kindOf(await spring()).withArm(arm({ runtime: 'java' }));
    expect(k.name).toBe('java');
    expect(['cold', 'aotCache', 'beforeAppStart', 'afterAppStart'].filter((v) => k.measures(v as never))).toEqual([
      'cold',
      'aotCache',
    ]);
    expect(kindOf(await spring()).name).toBe('spring-boot');
    expect(kindOf(await spring()).measures('afterAppStart')).toBe(true);
  });

  it('refuses what a plain JVM has not: Liberty keys, --profile semeru; and runtime=java on a web application', async () => {
    const s = await spring();
    for (const [over, key] of [
      [{ liberty: '26.0.0.2' }, 'liberty'],
      [{ serverXml: '/x/server.xml' }, 'server-xml'],
      [{ cpuBaseline: 'x86-64-v3-clwb' }, 'cpu-baseline'],
      [{ checkpointFrom: 'aot-cache' }, 'checkpoint-from'],
    ] as const) {
      const a = arm({ runtime: 'java', ...over });
      const e = thrown(() => kindOf(s).withArm(a).refuse(a, opts()));
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(`--arm plain: ${key}: runtime=java runs the jar on a plain JVM`);
    }
    const j = arm({ runtime: 'java' });
    expect(
      thrown(() =>
        kindOf(s)
          .withArm(j)
          .refuse(j, opts({ profile: 'semeru' })),
      ).message,
    ).toMatch(/semeru/);
    const p = await pingperf();
    const e = thrown(() => kindOf(p).withArm(j).refuse(j, opts()));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/runtime=java: pingperf deploys a web application \(pingperf.war\)/);
  });
});

describe('one run, both runtimes: the plan leaves out what an arm cannot take', () => {
  const kindsOf = async (variants: string[]) => {
    const s = await spring();
    const liberty = arm({ name: 'liberty' });
    const plain = arm({ runtime: 'java' });
    return {
      kinds: new Map([
        ['liberty', [kindOf(s).withArm(liberty)]],
        ['plain', [kindOf(s).withArm(plain)]],
      ]) as never,
      settings: { variants: variants as never },
    };
  };

  it('the plain arm skips the checkpoint phases; the liberty arm measures all; the plan has no plain restore', async () => {
    const { kinds, settings } = await kindsOf(['cold', 'aotCache', 'beforeAppStart', 'afterAppStart']);
    const na = notApplicableOf(kinds, settings);
    expect(na).toEqual({ plain: ['beforeAppStart', 'afterAppStart'] });
    const plan = planStarts(['spring-boot'], settings.variants, 3, 1, 7, ['liberty', 'plain'], na);
    expect(
      plan
        .filter((p) => p.arm === 'plain')
        .map((p) => p.variant)
        .sort(),
    ).toEqual(['aotCache', 'aotCache', 'aotCache', 'aotCache', 'cold', 'cold', 'cold', 'cold'].sort());
    expect(plan.filter((p) => p.arm === 'liberty')).toHaveLength(16);
    expect(notApplicableOf(new Map([['liberty', []]]) as never, settings)).toBeUndefined();
  });

  it('an arm left with nothing to measure, or a variant no arm can take, is exit 2 before anything is taken', async () => {
    const a = await kindsOf(['afterAppStart']);
    expect(thrown(() => notApplicableOf(a.kinds, a.settings)).message).toMatch(
      /--arm plain: runtime=java: a plain JVM takes no checkpoint, so it measures none of --variants afterAppStart/,
    );
    const s = await spring();
    const j1 = arm({ name: 'j1', runtime: 'java' });
    const j2 = arm({ name: 'j2', runtime: 'java' });
    const both = new Map([
      ['j1', [kindOf(s).withArm(j1)]],
      ['j2', [kindOf(s).withArm(j2)]],
    ]);
    const e = thrown(() => notApplicableOf(both as never, { variants: ['cold', 'afterAppStart'] }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/--variants afterAppStart: no arm of this run can measure it/);
  });

  it('run: runtime=java on Pingperf (a WAR) is exit 2 in one line, before an engine is made', async () => {
    const world = fakeWorld(recordedStarts);
    let engines = 0;
    const io = capture('/tmp');
    const code = await runCli(
      ['run', '--scenario', 'pingperf', '--arm', 'liberty', '--arm', 'plain:runtime=java', '--variants', 'cold'],
      io,
      {
        ...world,
        makeEngine: async (owner?: string) => {
          engines += 1;
          return world.makeEngine(owner);
        },
      },
    );
    expect(code).toBe(2);
    expect(engines).toBe(0);
    expect(io.text()).toMatch(/runtime=java: pingperf deploys a web application/);
  });

  it('build --runtime java: a WAR scenario, a checkpoint phase or an unknown runtime is exit 2 in one line, before anything is built', async () => {
    for (const [args, why] of [
      [['--scenario', 'pingperf'], /--runtime java: pingperf deploys a web application/],
      [
        ['--scenario', 'spring-boot', '--variants', 'cold,afterAppStart'],
        /--variants afterAppStart: spring-boot on a plain JVM/,
      ],
    ] as const) {
      const io = capture('/tmp');
      expect(await runCli(['build', '--runtime', 'java', ...args], io, fakeWorld(recordedStarts))).toBe(2);
      expect(io.text()).toMatch(why);
    }
    const io = capture('/tmp');
    expect(await runCli(['build', '--runtime', 'jvm'], io, fakeWorld(recordedStarts))).toBe(2);
    expect(io.text()).toMatch(/--runtime jvm: not a runtime/);
  });
});
