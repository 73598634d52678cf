import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../support/thrown.js';
import { EXIT_USAGE } from '../../../src/core/errors.js';
import type { ScenarioImages } from '../../../src/images/stack.js';
import { parseArm } from '../../../src/run/arms.js';
import { armKeysText } from '../../../src/store/record.js';
import { kindOf } from '../../../src/images/kinds/index.js';
import type { ArmSpec } from '../../../src/results/config-types.js';
import { measurableVariants } from '../../../src/run/run-report.js';
import { loadScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { capture } from '../../support/capture-io.js';

/** The scenario as the arm builds it, by the kind that takes it. */
const applyArm = (s: Scenario, arm: ArmSpec): Scenario => kindOf(s).applyArm(arm);

const captureIo = (): { io: ReturnType<typeof capture>; err: () => string } => {
  const io = capture('/tmp/ib-arms-test');
  return { io, err: () => io.text() };
};

describe('arms across images', () => {
  it('parses image=REF and containerfile=PATH, and refuses both at once', () => {
    expect(parseArm('old:image=localhost/myapp:1.1', '/w')).toMatchObject({
      name: 'old',
      image: 'localhost/myapp:1.1',
    });
    expect(parseArm('new:containerfile=next/Containerfile', '/w')).toMatchObject({
      containerfile: path.resolve('/w', 'next/Containerfile'),
    });
    const both = thrown(() => parseArm('x:image=a:1,containerfile=C', '/w'));
    expect(both.exitCode).toBe(EXIT_USAGE);
    expect(both.message).toContain('image and containerfile');
    expect(thrown(() => parseArm('x:image=Not An Image', '/w')).message).toContain('not an image reference');
  });

  it("an image arm replaces the scenario's image (and its server); server keys on an image are refused", async () => {
    const pingperf = await loadScenario('pingperf', '/');
    const arm = applyArm(pingperf, { name: 'mine', env: { A: '1' }, image: 'localhost/myapp:2' });
    expect(arm.image).toEqual({ kind: 'ref', ref: 'localhost/myapp:2' });
    expect(arm.server).toBeUndefined();
    expect(arm.app).toBeUndefined();
    expect(arm.env.A).toBe('1');
    const onImage: Scenario = { ...arm };
    const cf = applyArm(onImage, { name: 'cf', env: {}, containerfile: '/w/x/Containerfile' });
    expect(cf.image).toEqual({
      kind: 'containerfile',
      containerfile: '/w/x/Containerfile',
      context: '/w/x',
      buildArgs: {},
      base: 'official',
    });
    const refused = thrown(() => applyArm(onImage, { name: 'b', env: {}, serverXml: '/w/server.xml' }));
    expect(refused.exitCode).toBe(EXIT_USAGE);
    expect(refused.message).toContain('server-xml');
  });
});

describe('measurableVariants: an image holding a checkpoint', () => {
  const images = (
    held: Array<'afterAppStart' | 'beforeAppStart' | undefined>,
  ): Map<undefined, Map<string, ScenarioImages>> =>
    new Map([
      [
        undefined,
        new Map(
          held.map((phase, i) => [
            `s${i}`,
            {
              scenario: `s${i}`,
              checkpoints: {},
              ...(phase
                ? { userImage: { source: 'containerfile', base: 'local', builtOn: 'b', heldCheckpoint: phase } }
                : {}),
            } as unknown as ScenarioImages,
          ]),
        ),
      ],
    ]);

  it('leaves the variants alone when no image holds a checkpoint', () => {
    const { io } = captureIo();
    expect(measurableVariants(images([undefined]), ['cold', 'afterAppStart'], io)).toEqual(['cold', 'afterAppStart']);
  });

  it('measures only the held phase, and says why', () => {
    const { io, err } = captureIo();
    expect(measurableVariants(images(['afterAppStart']), ['cold', 'beforeAppStart', 'afterAppStart'], io)).toEqual([
      'afterAppStart',
    ]);
    expect(err()).toMatch(
      /holds an afterAppStart checkpoint .*measuring afterAppStart only \(to measure cold and beforeAppStart/,
    );
  });

  it('refuses (exit 2) when the variants cannot include it, or the scenarios disagree', () => {
    const { io } = captureIo();
    const none = thrown(() => measurableVariants(images(['afterAppStart']), ['cold'], io));
    expect(none.exitCode).toBe(EXIT_USAGE);
    expect(none.remedy).toContain('--variants afterAppStart');
    const mixed = thrown(() => measurableVariants(images(['afterAppStart', undefined]), ['afterAppStart'], io));
    expect(mixed.exitCode).toBe(EXIT_USAGE);
  });
});

describe('one table of arm keys for the parser and the store', () => {
  it('the store writes back every key the parser takes: parseArm(name:armKeysText(arm)) gives the same arm', () => {
    for (const text of [
      'a:liberty=26.0.0.2,jdk=21,jvm-options=/w/j.options,server-xml=/w/server.xml,app=/w/app.war,cpus=0.5,' +
        'memory=512m,checkpoint-from=aot-cache,cpu-baseline=x86-64-v2,cold-state=clean,env.A=1',
      'b:liberty-zip=/w/ol.zip,image=localhost/x:1,env.B=2',
      'c:containerfile=/w/Containerfile',
    ]) {
      const arm = parseArm(text, '/w');
      const back = armKeysText(arm);
      expect(parseArm(`${arm.name}:${back}`, '/w')).toEqual(arm);
      // Every key of the text is written back.
      for (const kv of text.slice(2).split(',')) expect(back.split(',')).toContain(kv);
    }
  });
});
