import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { readHostLimits, resolveEngineFlags } from '../../src/engine/host-flags.js';
import { Podman } from '../../src/engine/podman.js';
import { measureAotCacheStart } from '../../src/measure/aot-start.js';
import { AOT_CACHE_FILE } from '../../src/core/container-paths.js';
import type { ResultsFile } from '../../src/results/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { alteredImage } from '../support/e2e.js';
import { passThrough } from '../support/capture-io.js';
import { runArgs } from '../support/run-args.js';

const NO_CACHE = 'localhost/instanton-bench/e2e-aot-removed:latest';

describe("the JDK's AOT cache beside InstantOn (real HotSpot 25, real training)", () => {
  let results: ResultsFile | undefined;

  afterAll(async () => {
    await execa('podman', ['rmi', '--force', NO_CACHE], { reject: false });
  });

  it('measures cold, aotCache and afterAppStart; every aotCache start is verified from the JVM itself', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-')), 'aot.json');
    expect(
      await runCli(runArgs({ scenario: 'pingperf', variants: 'cold,aotCache,afterAppStart', out }), passThrough()),
    ).toBe(0);
    results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    for (const run of results.runs) {
      expect(run.status).toBe('ok');
      if (run.variant === 'aotCache') {
        expect(run.aotCache?.verified).toBe(true);
        expect(run.aotCache?.evidence[0]).toContain(`Opened AOT cache ${AOT_CACHE_FILE}`);
        expect(run.startState?.classData).toBe('aot-cache');
        // The cache holds the application's classes too, far more than the JDK's default CDS archive.
        const cold = results.runs.find((r) => r.variant === 'cold');
        expect(run.startState?.classesFromArchive).toBeGreaterThan(
          2 * (cold?.startState?.classesFromArchive ?? Infinity),
        );
      } else {
        expect(run.aotCache).toBeUndefined();
        expect(run.startState?.classData).toBe('jdk-default-cds');
      }
      expect(run.startState?.workArea).toBe(run.variant === 'afterAppStart' ? 'checkpoint' : 'primed');
    }
  });

  it("a start whose cache was removed, or does not match the JVM, is not ok, with the JVM's own message", async () => {
    const podman = new Podman(resolveEngineFlags(await readHostLimits()));
    const aotImage = results?.runs.find((r) => r.variant === 'aotCache')?.image;
    expect(aotImage).toBeDefined();
    await alteredImage(podman, aotImage as string, NO_CACHE, ['rm', '-f', AOT_CACHE_FILE]);
    const scenario = await loadScenario('pingperf', process.cwd());
    const base = {
      scenario,
      variant: 'aotCache' as const,
      iteration: 1,
      warmup: false,
      sessionId: `e2eaot${process.pid}`,
      pin: 'taskset' as const,
      serverCpus: '1',
      readyTimeoutMs: 60_000,
    };
    const removed = await measureAotCacheStart(podman, { ...base, image: NO_CACHE });
    expect(removed.status).not.toBe('ok');
    expect(removed.aotCache?.verified).toBe(false);
    expect(removed.aotCache?.evidence.join('\n')).toMatch(/AOT cache|AOTCache/);
    const mismatched = await measureAotCacheStart(podman, {
      ...base,
      iteration: 2,
      image: aotImage as string,
      extraEnv: { JVM_ARGS: '-XX:-UseCompressedOops' },
    });
    expect(mismatched.status).not.toBe('ok');
    expect(mismatched.aotCache?.verified).toBe(false);
    expect(mismatched.aotCache?.evidence.join('\n')).toMatch(/Unable to use AOT cache/);
  });
});
