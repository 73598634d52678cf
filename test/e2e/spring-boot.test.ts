import { mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ResultsFile } from '../../src/results/types.js';
import { captureReal, passThrough } from '../support/capture-io.js';
import { runArgs } from '../support/run-args.js';
import { makeJar } from '../support/jar.js';

/**
 * The built-in Spring Boot application on Liberty (springBoot-3.0, thinned jar, a real PostgreSQL): one start of each
 * variant proves what is Spring's own here: the thinned jar deployed, the pool opened on first use with the password
 * given at restore (no checkpoint holds it), the restore verified. The AOT cache and beforeAppStart take the paths
 * Pingperf's e2e proves; all four were measured for the README (results/reference/spring-boot.json).
 */
describe('spring-boot: a Spring Boot 3 application on Liberty InstantOn (real Maven build, PostgreSQL, CRIU)', () => {
  it('cold and afterAppStart each start, the restore verified, the first response read from the database with the password given at restore only', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-spring-')), 'spring.json');
    expect(await runCli(runArgs({ scenario: 'spring-boot', variants: 'cold,afterAppStart', out }), passThrough())).toBe(
      0,
    );
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    const byVariant = new Map(results.runs.map((r) => [r.variant, r]));
    expect([...byVariant.keys()].sort()).toEqual(['afterAppStart', 'cold']);
    for (const run of results.runs) {
      expect(run.status).toBe('ok');
      if (run.variant === 'afterAppStart') {
        expect(run.restore?.verified).toBe(true);
        expect(run.restore?.evidence[0]).toMatch(/CWWKC0452I/);
      } else expect(run.restore).toBeUndefined();
    }
    // The password reached the server at restore only: searched for in the checkpoint, not found.
    const checkpoint = results.checkpoints.find((c) => c.phase === 'afterAppStart');
    expect(checkpoint?.hygiene?.secrets.status).toBe('clean');
    expect(checkpoint?.hygiene?.secrets.searched).toEqual(['env DB_PASSWORD (given at restore)']);
    // A restore from after the application started skips Spring's whole start: a wide margin, not a timing.
    const ready = (v: string): number => byVariant.get(v as never)?.metrics.readyMs ?? Number.NaN;
    expect(ready('afterAppStart')).toBeLessThan(ready('cold') / 1.5);
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
