import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ResultsFile } from '../../src/results/types.js';
import { captureReal } from '../support/capture-io.js';
import { runArgs } from '../support/run-args.js';
import { makeJar } from '../support/jar.js';

/**
 * The built-in Spring Boot application on Liberty (springBoot-3.0, thinned jar, a real PostgreSQL) and on a plain JVM
 * (runtime=java: java -jar): one start of each variant in one paired run proves what is Spring's own here: the thinned
 * jar deployed, the pool opened on first use with the password given at restore (no checkpoint holds it), the restore
 * verified, each AOT cache trained and verified on both runtimes, the plain JVM ready at Spring Boot's own line.
 * beforeAppStart takes the path Pingperf's e2e proves; all of them were measured for the README.
 */
describe('spring-boot: a Spring Boot 3 application on Liberty InstantOn (real Maven build, PostgreSQL, CRIU)', () => {
  it('one paired run, both runtimes: Liberty cold, aotCache and afterAppStart beside the same jar on a plain JVM (java -jar) cold and with its AOT cache; every restore and cache use verified, the password given at restore only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-spring-'));
    const out = path.join(dir, 'spring.json');
    const io = captureReal();
    const code = await runCli(
      runArgs({
        scenario: 'spring-boot',
        variants: 'cold,aotCache,afterAppStart',
        out,
        extra: ['--arm', 'liberty', '--arm', 'plain:runtime=java'],
      }),
      io,
    );
    expect(code).toBe(0);
    expect(io.text()).toMatch(/run: arm plain: afterAppStart not applicable \(a plain JVM takes no checkpoint\)/);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    const starts = results.runs.map((r) => `${r.arm} ${r.variant}`).sort();
    expect(starts).toEqual([
      'liberty afterAppStart',
      'liberty aotCache',
      'liberty cold',
      'plain aotCache',
      'plain cold',
    ]);
    const run = (arm: string, variant: string) => results.runs.find((r) => r.arm === arm && r.variant === variant);
    for (const r of results.runs) expect(r.status).toBe('ok');
    expect(run('liberty', 'afterAppStart')?.restore?.verified).toBe(true);
    expect(run('liberty', 'afterAppStart')?.restore?.evidence[0]).toMatch(/CWWKC0452I/);
    for (const arm of ['liberty', 'plain']) {
      expect(run(arm, 'cold')?.restore).toBeUndefined();
      expect(run(arm, 'aotCache')?.aotCache?.verified).toBe(true);
    }
    // The plain JVM is ready at Spring Boot's own line, by its own timestamp, and runs no Liberty.
    const plainCold = run('plain', 'cold');
    expect(plainCold?.timeline?.marks.find((m) => m.mark === 'ready')?.source).toMatch(/the ready line \/Started/);
    expect(plainCold?.image).toMatch(/^localhost\/instanton-bench\/spring-boot-java:/);
    expect(plainCold?.metrics.readyMs).toBeGreaterThan(0);
    // The password reached the server at restore only: searched for in the checkpoint, not found.
    const checkpoint = results.checkpoints.find((c) => c.phase === 'afterAppStart');
    expect(checkpoint?.hygiene?.secrets.status).toBe('clean');
    expect(checkpoint?.hygiene?.secrets.searched).toEqual(['env DB_PASSWORD (given at restore)']);
    // A restore from after the application started skips Spring's whole start: a wide margin, not a timing.
    const ready = (arm: string, v: string): number => run(arm, v)?.metrics.readyMs ?? Number.NaN;
    expect(ready('liberty', 'afterAppStart')).toBeLessThan(ready('liberty', 'cold') / 1.5);
    // compare pairs like with like, and puts afterAppStart against the plain JVM's best; the report holds both.
    const cmp = captureReal();
    expect(await runCli(['compare', out, '--json', path.join(dir, 'cmp.json')], cmp)).toBe(0);
    const doc = JSON.parse(await readFile(path.join(dir, 'cmp.json'), 'utf8')) as {
      comparisons: Array<{ variant: string; arm: string }>;
      crossRuntime: Array<{ arm: string; variant: string; against: { arm: string; variant: string } }>;
    };
    expect([...new Set(doc.comparisons.map((c) => `${c.arm} ${c.variant}`))].sort()).toEqual([
      'plain aotCache',
      'plain cold',
    ]);
    expect(doc.crossRuntime.map((c) => `${c.arm} ${c.variant} vs ${c.against.arm}`)).toEqual([
      'liberty afterAppStart vs plain',
      'liberty afterAppStart vs plain',
    ]);
    expect(await runCli(['report', out, '--out', path.join(dir, 'report')], captureReal())).toBe(0);
    const html = await readFile(path.join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toContain('InstantOn against the plain JVM');
  });

  it("the app taking part in Spring's checkpoint lifecycle (org.crac) on Liberty's crac-1.4: Spring restarts its lifecycle beans after the verified restore, and the results say so", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-spring-crac-'));
    const scenario = path.join(dir, 'crac');
    await cp(path.resolve('scenarios/spring-boot'), scenario, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}target`),
    });
    const edit = async (file: string, change: (text: string) => string) =>
      writeFile(path.join(scenario, file), change(await readFile(path.join(scenario, file), 'utf8')));
    await edit('app/pom.xml', (pom) =>
      pom.replace(
        '<dependencies>',
        '<dependencies>\n    <dependency><groupId>org.crac</groupId><artifactId>crac</artifactId><version>1.4.0</version></dependency>',
      ),
    );
    await edit('server.xml', (xml) =>
      xml.replace('<feature>servlet-6.0</feature>', '<feature>servlet-6.0</feature><feature>crac-1.4</feature>'),
    );
    await edit('scenario.json', (json) => JSON.stringify({ ...(JSON.parse(json) as object), name: 'e2e-spring-crac' }));
    const out = path.join(dir, 'crac.json');
    const io = captureReal();
    const code = await runCli(runArgs({ scenario, variants: 'afterAppStart', out }), io);
    expect(code, io.text()).toBe(0);
    expect(io.text()).not.toMatch(/does not enable crac-1\.4/);
    const start = (JSON.parse(await readFile(out, 'utf8')) as ResultsFile).runs.find((r) => !r.warmup);
    expect(start?.restore?.verified).toBe(true);
    expect(start?.restore?.appLifecycle).toMatch(
      /^Spring-managed lifecycle restart completed \(restored JVM running for \d+ ms\)$/,
    );
    expect(io.text()).toMatch(/afterAppStart run 1: ok, restore verified, Spring's lifecycle restarted/);
  });

  it('a jar that is not Spring Boot, and a Spring Boot 4 jar, are refused (exit 2, one line) before any image is built', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-spring-bad-'));
    const scenario = path.join(dir, 'bad-jar');
    await cp(path.resolve('scenarios/spring-boot'), scenario, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}app`),
    });
    const file = path.join(scenario, 'scenario.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    for (const [name, manifest, why] of [
      ['plain.jar', 'Main-Class: x.Main\n', /is not a Spring Boot executable jar/],
      ['boot4.jar', 'Spring-Boot-Version: 4.0.7\n', /Spring Boot 4\.0\.7; Liberty's springBoot-3\.0 feature runs/],
    ] as const) {
      await makeJar(path.join(scenario, name), manifest);
      await writeFile(file, JSON.stringify({ ...json, app: { jar: name, deployAs: 'library.jar' } }));
      const io = captureReal();
      const images = (await execa('podman', ['images', '-q'])).stdout;
      const code = await runCli(
        runArgs({ scenario, variants: 'cold,afterAppStart', out: path.join(dir, `${name}.json`) }),
        io,
      );
      expect(code).toBe(2);
      const errors = io
        .text()
        .split('\n')
        .filter((l) => l.startsWith('error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(why);
      expect((await execa('podman', ['images', '-q'])).stdout).toBe(images);
    }
  });
});
