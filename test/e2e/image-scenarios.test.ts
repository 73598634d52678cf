import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makePodman } from '../../src/engine/make-podman.js';
import type { ResultsFile } from '../../src/results/types.js';

const BIN = path.resolve('bin/instanton-bench.js');
const EXAMPLE = path.resolve('scenarios/examples/containerfile');
const OFFICIAL_IMAGE = 'icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi-minimal';
/** The bound for a registry this host cannot reach. */
const UNREACHABLE_REGISTRY_MS = 120_000;

/**
 * The example's Containerfile as a team writes it for the official image (the FROM line of Open Liberty's docs),
 * changed as `edit` says, under a scenario name of its own.
 */
async function officialCopy(name: string, edit: (containerfile: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `ib-e2e-${name}-`));
  await cp(EXAMPLE, dir, { recursive: true });
  await rm(path.join(dir, 'target'), { recursive: true, force: true });
  const file = path.join(dir, 'Containerfile');
  const text = (await readFile(file, 'utf8')).replace(/^FROM .*$/m, `FROM ${OFFICIAL_IMAGE}`);
  await writeFile(file, edit(text));
  const scenario = JSON.parse(await readFile(path.join(dir, 'scenario.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(path.join(dir, 'scenario.json'), JSON.stringify({ ...scenario, name }));
  return dir;
}

async function run(dir: string, ...args: string[]): Promise<{ exitCode?: number; all: string; results?: ResultsFile }> {
  const out = path.join(dir, 'results.json');
  const r = await execa(
    'node',
    [BIN, 'run', '--scenario', dir, '--runs', '1', '--warmup', '0', '--no-host-speed', '--out', out, ...args],
    {
      reject: false,
      all: true,
    },
  );
  const text = await readFile(out, 'utf8').catch(() => undefined);
  return { exitCode: r.exitCode, all: r.all, ...(text ? { results: JSON.parse(text) as ResultsFile } : {}) };
}

function expectVerified(results: ResultsFile | undefined, variants: readonly string[]): void {
  expect(results?.runs.map((r) => r.variant).sort()).toEqual([...variants].sort());
  for (const r of results?.runs ?? []) {
    expect(r.status, `${r.variant}: ${r.error ?? ''}`).toBe('ok');
    expect(r.metrics.readyMs).toBeGreaterThan(0);
    if (r.variant !== 'cold') expect(r.restore?.verified, r.variant).toBe(true);
  }
}

describe('image scenarios: a Containerfile written for the official InstantOn image (real podman, Maven, CRIU)', () => {
  it('with JSON console logging, built on the local base (--base local): cold and afterAppStart measured, verified', async () => {
    const dir = await officialCopy('e2e-json-console', (t) =>
      t.replace(/^RUN features\.sh$/m, 'ENV WLP_LOGGING_CONSOLE_FORMAT=JSON\n\nRUN features.sh'),
    );
    const r = await run(dir, '--base', 'local', '--variants', 'cold,afterAppStart');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain('on the local InstantOn base');
    expectVerified(r.results, ['cold', 'afterAppStart']);
    // The JSON events carry the ready time themselves.
    const ready = r.results?.runs[0]?.timeline?.marks.find((m) => m.mark === 'ready');
    expect(ready?.source).toContain('server output');
  });

  it('ending in RUN checkpoint.sh afterAppStart: recognised from the image and measured as afterAppStart, verified', async () => {
    const dir = await officialCopy('e2e-held-checkpoint', (t) => `${t}\nRUN checkpoint.sh afterAppStart\n`);
    const r = await run(dir, '--base', 'local');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/holds an afterAppStart checkpoint .*measuring afterAppStart only/);
    expectVerified(r.results, ['afterAppStart']);
    expect(r.results?.config.variants).toEqual(['afterAppStart']);
  });

  // Where icr.io resolves, the pull would be real: this case is for hosts without the registry, as these are.
  const registryResolves = execa('getent', ['hosts', 'icr.io'], { reject: false }).then((r) => r.exitCode === 0);
  it('without --base local on a host that cannot reach the registry: exit 3 in time, naming the image and the error, nothing left', async (ctx) => {
    if (await registryResolves) ctx.skip();
    const dir = await officialCopy('e2e-no-registry', (t) => t);
    const podman = await makePodman();
    const before = (await podman.containersWithOwners()).length;
    const started = Date.now();
    const r = await run(dir, '--variants', 'cold');
    expect(Date.now() - started).toBeLessThan(UNREACHABLE_REGISTRY_MS);
    expect(r.exitCode, r.all).toBe(3);
    expect(r.all).toContain(`cannot pull ${OFFICIAL_IMAGE}`);
    expect(r.all).toContain('--base local');
    expect(r.all).not.toMatch(/\n\s+at /);
    expect((await podman.containersWithOwners()).length).toBe(before);
  });
});
