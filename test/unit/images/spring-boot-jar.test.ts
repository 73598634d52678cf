import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE } from '../../../src/core/errors.js';
import {
  checkSpringBootJar,
  checkSpringBootManifest,
  checkSpringBootPom,
  jarCarriesCrac,
  springBootParentVersion,
} from '../../../src/images/app/spring-boot-jar.js';
import { warnCracWithoutFeature } from '../../../src/images/kinds/spring-boot.js';
import { springLifecycleRestart } from '../../../src/verify/restore.js';
import type { ServerScenario } from '../../../src/scenario/types.js';
import { thrown } from '../../support/thrown.js';
import { makeJar } from '../../support/jar.js';

describe('checkSpringBootManifest: a Spring Boot 3 executable jar, or exit 2 naming why', () => {
  const where = '/w/scenario.json: app.jar';
  it('takes Spring Boot 3.x and hands back its version', () => {
    expect(checkSpringBootManifest(where, 'a.jar', new Map([['Spring-Boot-Version', '3.5.7']]))).toBe('3.5.7');
  });

  it('refuses a jar that is not Spring Boot, one without a manifest, and Spring Boot 4', () => {
    const plain = thrown(() => checkSpringBootManifest(where, 'a.jar', new Map([['Main-Class', 'x.Main']])));
    expect(plain.exitCode).toBe(EXIT_USAGE);
    expect(plain.message).toBe(
      `${where}: a.jar is not a Spring Boot executable jar (its manifest names no Spring-Boot-Version)`,
    );
    expect(thrown(() => checkSpringBootManifest(where, 'a.jar', undefined)).message).toMatch(/no META-INF\/MANIFEST/);
    const four = thrown(() => checkSpringBootManifest(where, 'b.jar', new Map([['Spring-Boot-Version', '4.0.7']])));
    expect(four.exitCode).toBe(EXIT_USAGE);
    expect(four.message).toMatch(/Spring Boot 4\.0\.7; Liberty's springBoot-3\.0 feature runs Spring Boot 3\.x/);
  });
});

describe('checkSpringBootJar reads real jars', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ib-sbjar-'));
    for (const [name, manifest] of [
      ['boot3.jar', 'Spring-Boot-Version: 3.5.7\n'],
      ['boot4.jar', 'Spring-Boot-Version: 4.0.7\n'],
      ['plain.jar', 'Main-Class: x.Main\n'],
    ] as const)
      await makeJar(path.join(dir, name), manifest);
    await writeFile(path.join(dir, 'not-a.jar'), 'not a zip');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('a Spring Boot 3 jar passes; Spring Boot 4, a plain jar and a file that is no zip are refused with exit 2', async () => {
    await expect(checkSpringBootJar('s', path.join(dir, 'boot3.jar'))).resolves.toBe('3.5.7');
    for (const [name, why] of [
      ['boot4.jar', /Spring Boot 4\.0\.7/],
      ['plain.jar', /names no Spring-Boot-Version/],
      ['not-a.jar', /no META-INF\/MANIFEST\.MF/],
    ] as const) {
      const error = await checkSpringBootJar('s', path.join(dir, name)).catch(
        (e: unknown) => e as { message: string; exitCode: number },
      );
      expect(error).toMatchObject({ exitCode: EXIT_USAGE });
      expect((error as { message: string }).message).toMatch(why);
    }
  });
});

describe("a Maven project's Spring Boot, known before Maven runs", () => {
  const pom = (parent: string) =>
    `<project><!-- <parent><artifactId>spring-boot-starter-parent</artifactId><version>2.7.0</version></parent> -->` +
    `${parent}<artifactId>app</artifactId><version>1.0</version></project>`;
  const boot = (v: string) =>
    `<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>` +
    `<version>${v}</version><relativePath/></parent>`;

  it('reads the parent spring-boot-starter-parent version (comments ignored); none for another parent or none', () => {
    expect(springBootParentVersion(pom(boot('3.5.7')))).toBe('3.5.7');
    expect(springBootParentVersion(pom(''))).toBeUndefined();
    expect(
      springBootParentVersion(pom('<parent><artifactId>my-parent</artifactId><version>4.0.0</version></parent>')),
    ).toBeUndefined();
  });

  it('refuses a Spring Boot 4 parent (exit 2), takes 3.x, and leaves a version it cannot read to the jar check', () => {
    expect(() => checkSpringBootPom('s', 'pom.xml', pom(boot('3.5.7')))).not.toThrow();
    const four = thrown(() => checkSpringBootPom('s: app.maven', 'pom.xml', pom(boot('4.0.7'))));
    expect(four.exitCode).toBe(EXIT_USAGE);
    expect(four.message).toMatch(/s: app.maven: pom.xml is Spring Boot 4\.0\.7; Liberty's springBoot-3\.0/);
    expect(() => checkSpringBootPom('s', 'pom.xml', pom(boot('${boot.version}')))).not.toThrow();
  });
});

describe("Spring's checkpoint lifecycle (org.crac) on Liberty's crac-1.4", () => {
  let dir = '';
  const reporter = () => {
    const lines: string[] = [];
    return { lines, reporter: { step: (l: string) => lines.push(l), done: () => undefined, detail: () => undefined } };
  };
  /** A scenario whose server.xml names these features (what the warning reads). */
  const scenarioWith = async (name: string, features: string[]): Promise<ServerScenario> => {
    const serverXml = path.join(dir, `${name}.xml`);
    await writeFile(
      serverXml,
      `<server><featureManager>${features.map((f) => `<feature>${f}</feature>`).join('')}</featureManager></server>`,
    );
    return {
      name,
      file: path.join(dir, `${name}.json`),
      server: { serverXml, files: {} },
    } as unknown as ServerScenario;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ib-crac-'));
    await makeJar(path.join(dir, 'plain-boot.jar'), 'Spring-Boot-Version: 3.5.7\n');
    const tree = path.join(dir, 'tree');
    await mkdir(path.join(tree, 'BOOT-INF', 'lib'), { recursive: true });
    await writeFile(path.join(tree, 'BOOT-INF', 'lib', 'crac-1.4.0.jar'), 'x');
    await execa('jar', ['--create', '--file', path.join(dir, 'crac-boot.jar'), '-C', tree, '.']);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('a jar carrying BOOT-INF/lib/crac-*.jar takes part in it; one without does not', async () => {
    expect(await jarCarriesCrac(path.join(dir, 'crac-boot.jar'))).toBe(true);
    expect(await jarCarriesCrac(path.join(dir, 'plain-boot.jar'))).toBe(false);
  });

  it('the build warns (once, naming server.xml and the fix) when such a jar runs without crac-1.4, and not with it', async () => {
    const without = reporter();
    const bare = await scenarioWith('bare', ['springBoot-3.0', 'servlet-6.0']);
    await warnCracWithoutFeature(bare, path.join(dir, 'crac-boot.jar'), without.reporter);
    expect(without.lines).toHaveLength(1);
    expect(without.lines[0]).toMatch(
      /^warning: .*bare\.xml: crac-boot\.jar carries org\.crac .*add <feature>crac-1\.4/,
    );
    const withIt = reporter();
    const crac = await scenarioWith('crac', ['springBoot-3.0', 'servlet-6.0', 'crac-1.4']);
    await warnCracWithoutFeature(crac, path.join(dir, 'crac-boot.jar'), withIt.reporter);
    await warnCracWithoutFeature(bare, path.join(dir, 'plain-boot.jar'), withIt.reporter);
    expect(withIt.lines).toEqual([]);
  });

  it("a restore's messages.log: Spring's own line that its lifecycle restarted, or nothing", () => {
    // As Liberty wrote it in a restore of the built-in app with org.crac and crac-1.4 (this host, 2026-12-07).
    const log = [
      '[2026-12-07T22:27:57.681+0000] 0000002b SystemOut                                                    O 2026-12-07T22:27:57.679Z  INFO 1287 --- [library] [ecutor-thread-1] o.s.c.support.DefaultLifecycleProcessor  : Restarting Spring-managed lifecycle beans after JVM restore',
      '[2026-12-07T22:27:57.792+0000] 0000002b SystemOut                                                    O 2026-12-07T22:27:57.792Z  INFO 1287 --- [library] [ecutor-thread-1] o.s.c.support.DefaultLifecycleProcessor  : Spring-managed lifecycle restart completed (restored JVM running for 1628 ms)',
      '[2026-12-07T22:27:57.793+0000] 0000002b io.openliberty.checkpoint.internal.CheckpointImpl            A CWWKC0452I: The Liberty server process resumed operation from a checkpoint in 1.629 seconds.',
    ].join('\n');
    expect(springLifecycleRestart(log)).toBe(
      'Spring-managed lifecycle restart completed (restored JVM running for 1628 ms)',
    );
    expect(springLifecycleRestart(log.split('\n').slice(2).join('\n'))).toBeUndefined();
    expect(springLifecycleRestart(undefined)).toBeUndefined();
  });
});
