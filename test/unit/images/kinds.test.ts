import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../support/thrown.js';
import { EXIT_USAGE } from '../../../src/core/errors.js';
import { kindOf } from '../../../src/images/kinds/index.js';
import type { KindOptions } from '../../../src/images/kinds/kind.js';
import { loadScenario } from '../../../src/scenario/load.js';
import type { ArmSpec } from '../../../src/results/config-types.js';
import { FAKE_HOST_CPU } from '../../support/fake-engine.js';

/** The kinds' seam on its own: which kind claims which scenario, what each refuses, how an arm moves a scenario. */
const server = () => loadScenario('pingperf', '/');
const image = () => loadScenario(path.resolve('scenarios/examples/containerfile'), '/');
const opts = (over: Partial<KindOptions> = {}): KindOptions => ({
  variants: ['cold', 'afterAppStart'],
  profile: 'local',
  checkpointFlow: 'run',
  hostCpu: FAKE_HOST_CPU,
  ...over,
});
const arm = (over: Partial<ArmSpec>): ArmSpec => ({ name: 'a', env: {}, ...over });
const noFaulting = { model: 'AMD EPYC', flags: ['avx2', 'clwb'] };

describe('kindOf: the one place that says which kind a scenario is', () => {
  it('a server scenario is the server kind under the local profile and the semeru kind under semeru; an image scenario is the image kind under both', async () => {
    expect(kindOf(await server()).name).toBe('server');
    expect(kindOf(await server(), 'semeru').name).toBe('semeru');
    expect(kindOf(await image()).name).toBe('image');
    expect(kindOf(await image(), 'semeru').name).toBe('image');
  });

  it('hands back the scenario it bound, and an arm that names an image turns a server scenario into an image one', async () => {
    const s = await server();
    const k = kindOf(s);
    expect(k.scenario).toBe(s);
    const applied = k.applyArm(arm({ image: 'localhost/other:1' }));
    expect(kindOf(applied).name).toBe('image');
    expect(applied.image).toEqual({ kind: 'ref', ref: 'localhost/other:1' });
    expect(applied.server).toBeUndefined();
  });
});

describe('each kind refuses what it cannot do (exit 2), and nothing else', () => {
  it('server: cpu-baseline=x86-64-v2 refused without CPUID faulting, taken with it; x86-64-v3-clwb taken without it; with the AOT cache or the build flow refused', async () => {
    const k = kindOf(await server());
    const v2 = arm({ cpuBaseline: 'x86-64-v2' });
    expect(() => k.refuse(v2, opts())).not.toThrow();
    const refused = thrown(() => k.refuse(v2, opts({ hostCpu: noFaulting })));
    expect(refused.exitCode).toBe(EXIT_USAGE);
    expect(refused.message).toMatch(/no CPUID faulting/);
    expect(() => k.refuse(arm({ cpuBaseline: 'x86-64-v3-clwb' }), opts({ hostCpu: noFaulting }))).not.toThrow();
    expect(thrown(() => k.refuse(v2, opts({ variants: ['cold', 'aotCache'] }))).message).toMatch(/AOT cache/);
    expect(thrown(() => k.refuse(v2, opts({ checkpointFlow: 'build' }))).message).toMatch(/build flow/);
    expect(() => k.refuse(undefined, opts({ variants: ['aotCache'] }))).not.toThrow();
  });

  it('image: the aotCache variant and cpu-baseline refused; server keys in an arm refused', async () => {
    const k = kindOf(await image());
    expect(() => k.refuse(undefined, opts())).not.toThrow();
    expect(thrown(() => k.refuse(undefined, opts({ variants: ['aotCache'] }))).exitCode).toBe(2);
    expect(thrown(() => k.refuse(arm({ cpuBaseline: 'x86-64-v3' }), opts())).message).toMatch(/measures an image/);
    expect(thrown(() => k.applyArm(arm({ jvmOptions: '/w/x.options' }))).message).toMatch(
      /jvm-options: .* measures an image, whose server the tool does not build/,
    );
  });

  it('semeru: OpenJ9 makes its own portable checkpoints (cpu-baseline refused), no AOT cache; its dry run prints commands and counts no steps', async () => {
    const k = kindOf(await server(), 'semeru');
    expect(thrown(() => k.refuse(arm({ cpuBaseline: 'x86-64-v2' }), opts({ profile: 'semeru' }))).message).toMatch(
      /OpenJ9/,
    );
    expect(thrown(() => k.refuse(undefined, opts({ profile: 'semeru', variants: ['aotCache'] }))).exitCode).toBe(2);
    const plan = await k.dryRun(undefined as never, {
      cache: '/tmp/ib-kinds-test',
      phases: [],
      aotCache: false,
      rebuild: false,
      builtFlow: false,
      profile: 'semeru',
      engineFlags: { runtime: 'runc', ulimits: [], storageOpts: [] } as never,
    });
    expect(plan.toBuild).toBeUndefined();
    expect(plan.lines.join('\n')).toMatch(/# pingperf: Containerfile/);
    expect(plan.lines.join('\n')).toMatch(/# checkpoint afterAppStart/);
  });
});

describe('spring-boot: a Spring Boot jar on the tool Liberty image', () => {
  const spring = () => loadScenario('spring-boot', '/');

  it('claims the built-in spring-boot scenario (deployAs a .jar) under the local profile, before the server kind, and refuses the semeru profile', async () => {
    const k = kindOf(await spring());
    expect(k.name).toBe('spring-boot');
    expect(kindOf(await server()).name).toBe('server');
    const semeru = kindOf(await spring(), 'semeru');
    expect(semeru.name).toBe('spring-boot');
    const refused = thrown(() => semeru.refuse(undefined, opts({ profile: 'semeru' })));
    expect(refused.exitCode).toBe(EXIT_USAGE);
    expect(refused.message).toMatch(/--profile semeru: a Spring Boot application/);
  });

  it("takes the server kind's refusals, and an arm's app that is a web archive is refused", async () => {
    const k = kindOf(await spring());
    expect(() =>
      k.refuse(undefined, opts({ variants: ['cold', 'aotCache', 'beforeAppStart', 'afterAppStart'] })),
    ).not.toThrow();
    expect(thrown(() => k.refuse(arm({ cpuBaseline: 'x86-64-v2' }), opts({ hostCpu: noFaulting }))).message).toMatch(
      /no CPUID faulting/,
    );
    expect(thrown(() => k.refuse(arm({ app: '/w/other.war' }), opts())).message).toMatch(
      /other\.war is a web archive; spring-boot deploys a Spring Boot jar/,
    );
    expect(() => k.refuse(arm({ app: '/w/other.jar' }), opts())).not.toThrow();
    // Another jar is deployed as the scenario's jar, a prebuilt archive (not a Maven project named other.jar).
    const applied = k.applyArm(arm({ app: '/w/other.jar' }));
    expect(applied.app).toEqual({ kind: 'war', warFile: '/w/other.jar', deployAs: 'library.jar' });
    expect(kindOf(applied).name).toBe('spring-boot');
  });

  it('server: an arm whose app is a jar is refused for a web application', async () => {
    const k = kindOf(await server());
    const refused = thrown(() => k.refuse(arm({ app: '/w/boot.jar' }), opts()));
    expect(refused.exitCode).toBe(EXIT_USAGE);
    expect(refused.message).toMatch(/boot\.jar is a jar; pingperf deploys a web application \(pingperf\.war\)/);
    expect(() => k.refuse(arm({ app: '/w/other.war' }), opts())).not.toThrow();
  });
});
