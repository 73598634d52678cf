import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { restorePrivilege } from '../../src/engine/capabilities.js';
import { makePodman } from '../../src/engine/make-podman.js';
import { captureReal as capture } from '../support/capture-io.js';
import type { ResultsFile } from '../../src/results/types.js';
import { runArgs } from '../support/run-args.js';

/**
 * What a checkpoint carries, for real (podman, Liberty, CRIU): a password given to the checkpoint run and a
 * secret file mounted into it are found in the checkpoint (named, their values printed nowhere; --hygiene fail
 * exits 1); the same given at restore instead leaves the checkpoint clean (exit 0). An app that seeds DRBG and
 * SHA1PRNG SecureRandoms and a java.util.Random before its afterAppStart checkpoint answers its entropy probe
 * differently in two restores on the local base.
 */
const PASSWORD = 'e2e-Hunter2-c7a1f0';
const TOKEN = 'e2e-token-5b9d3e28';
const VARIABLE = '/opt/ol/wlp/usr/servers/defaultServer/variables/api.token';

async function pingperfWith(dir: string, name: string, fields: Record<string, unknown>): Promise<string> {
  const scenario = path.join(dir, name);
  await cp(path.resolve('scenarios/pingperf'), scenario, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}target`),
  });
  await writeFile(path.join(scenario, 'api-token.txt'), `${TOKEN}\n`);
  const file = path.join(scenario, 'scenario.json');
  const base = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...base, name, ...fields }, null, 2));
  return scenario;
}

async function run(scenario: string, out: string, extra: string[] = []): Promise<{ code: number; text: string }> {
  const io = capture();
  const code = await runCli(
    [
      'run',
      '--scenario',
      scenario,
      '--variants',
      'afterAppStart',
      '--warmup',
      '0',
      '--no-host-speed',
      '--out',
      out,
      ...extra,
    ],
    io,
  );
  return { code, text: io.text() };
}

describe('what a checkpoint carries (real podman, Liberty, CRIU)', () => {
  it('a password and a mounted secret file given to the checkpoint run are found, named, never printed; --hygiene fail exits 1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-hygiene-'));
    try {
      const scenario = await pingperfWith(dir, 'pingperf-secrets', {
        env: { DB_PASSWORD: PASSWORD },
        mounts: { [VARIABLE]: 'api-token.txt' },
      });
      const out = path.join(dir, 'found.json');
      const { code, text } = await run(scenario, out, ['--runs', '1', '--hygiene', 'fail']);
      expect(code, text.slice(-3000)).toBe(1);
      const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
      expect(results.runs.every((r) => r.status === 'ok' && r.restore?.verified === true)).toBe(true);
      const secrets = results.checkpoints[0]?.hygiene?.secrets;
      expect(secrets?.status).toBe('finding');
      const found = secrets?.findings ?? [];
      const password = found.find((f) => f.secret.startsWith('env DB_PASSWORD'));
      expect(password?.where.some((w) => w.startsWith('memory pages'))).toBe(true);
      expect(password?.where).toContain('image config (ENV DB_PASSWORD)');
      expect(password?.remedy).toContain('restoreEnv');
      const token = found.find((f) => f.secret.startsWith(`mounted file ${VARIABLE}`));
      expect(token?.where.some((w) => w.startsWith('memory pages'))).toBe(true);
      expect(token?.remedy).toContain('restoreMounts');
      // Named, never printed: not in the output, the results file, its CSV or the report.
      expect(text).toContain('--hygiene fail');
      expect(await runCli(['report', out, '--out', path.join(dir, 'report')], capture())).toBe(0);
      const written = [
        text,
        await readFile(out, 'utf8'),
        await readFile(out.replace(/\.json$/, '.csv'), 'utf8'),
        await readFile(path.join(dir, 'report', 'summary.md'), 'utf8'),
        await readFile(path.join(dir, 'report', 'index.html'), 'utf8'),
      ].join('\n');
      expect(written).toContain('DB_PASSWORD');
      expect(written).not.toContain(PASSWORD);
      expect(written).not.toContain(TOKEN);
      const diagnosis = capture();
      expect(await runCli(['diagnose', out], diagnosis)).toBe(1);
      expect(diagnosis.text()).toContain('[hygiene-secret]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the same given at restore ("restoreEnv", "restoreMounts"): searched, not found, exit 0 with --hygiene fail', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-hygiene-'));
    try {
      const scenario = await pingperfWith(dir, 'pingperf-restore-secrets', {
        restoreEnv: { DB_PASSWORD: PASSWORD },
        restoreMounts: { [VARIABLE]: 'api-token.txt' },
      });
      const out = path.join(dir, 'clean.json');
      const { code, text } = await run(scenario, out, ['--runs', '1', '--hygiene', 'fail']);
      expect(code, text.slice(-3000)).toBe(0);
      const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
      const secrets = results.checkpoints[0]?.hygiene?.secrets;
      expect(secrets?.status).toBe('clean');
      expect(secrets?.searched).toEqual(
        expect.arrayContaining([expect.stringMatching(/^env DB_PASSWORD/), expect.stringMatching(/^mounted file/)]),
      );
      expect(secrets?.bytesSearched).toBeGreaterThan(50 * 1024 ** 2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('DRBG, SHA1PRNG and a Random seeded before an afterAppStart checkpoint each answer differently in two restores; kept as checkpointed (the negative control) they answer alike; their clocks', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-hygiene-'));
    try {
      const out = path.join(dir, 'entropy.json');
      // Two arms of one run: the shim's reseeding as every checkpoint gets it, and the same app with its random state
      // kept as checkpointed (IB_CRIU_SHIM_RANDOMS=keep: the probe must find that out, or it is a check that cannot fail).
      const { code, text } = await run(path.resolve('test/fixtures/scenarios/entropy'), out, [
        '--runs',
        '2',
        '--arm',
        'reseeded',
        '--arm',
        'kept:env.IB_CRIU_SHIM_RANDOMS=keep',
      ]);
      expect(code, text.slice(-3000)).toBe(0);
      const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
      const restores = results.runs.filter((r) => r.restore?.verified === true);
      expect(restores).toHaveLength(4);
      expect(restores.every((r) => /^[0-9a-f]{16}$/.test(r.probes?.entropy?.digest ?? ''))).toBe(true);
      const entropyOf = (arm: string) => results.checkpoints.find((c) => c.arm === arm)?.hygiene?.entropy;
      expect(entropyOf('reseeded')).toMatchObject({
        status: 'clean',
        restores: 2,
        distinct: 2,
        path: '/entropy/all',
        parts: { drbg: 2, sha1prng: 2, random: 2 },
      });
      expect(entropyOf('kept')).toMatchObject({
        status: 'finding',
        restores: 2,
        distinct: 1,
        parts: { drbg: 1, sha1prng: 1, random: 1 },
      });
      expect(text).toMatch(/different answers from each of 3 generators \(drbg, sha1prng, random\)/);
      expect(text).toMatch(/alike from drbg, sha1prng, random/);
      // Clocks: the restored JVM's monotonic clock continues from the checkpoint (CRIU's time namespace), behind the
      // host's; its wall clock and Liberty's "started in" agree with the host's.
      const clocks = results.checkpoints.find((c) => c.arm === 'reseeded')?.hygiene?.clocks;
      expect(clocks?.status).toBe('clean');
      expect(clocks?.monotonicOffsetMs).toBeLessThan(0);
      expect(restores.every((r) => (r.probes?.clocks?.monotonicOffsetMs ?? 0) < 0)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the local base runs the server as the official images do (real podman, Liberty, CRIU)', () => {
  it('a Containerfile with a USER root ... USER 1001 block on the guide layout: cold and afterAppStart measured, restores verified, the server as uid 1001', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-uid-'));
    try {
      const scenario = path.join(dir, 'uid-1001');
      await cp(path.resolve('scenarios/examples/containerfile'), scenario, {
        recursive: true,
        filter: (src) => !src.includes(`${path.sep}target`),
      });
      await writeFile(
        path.join(scenario, 'Containerfile'),
        [
          'FROM icr.io/appcafe/open-liberty:full-java21-openj9-ubi',
          'USER root',
          'RUN mkdir -p /opt/app-extra && chown 1001:0 /opt/app-extra',
          'USER 1001',
          'COPY --chown=1001:0 src/main/liberty/config/ /config/',
          'RUN features.sh',
          'COPY --chown=1001:0 target/*.war /config/apps/',
          'RUN configure.sh',
          '',
        ].join('\n'),
      );
      const file = path.join(scenario, 'scenario.json');
      const base = JSON.parse(await readFile(file, 'utf8')) as { image: Record<string, unknown> };
      await writeFile(file, JSON.stringify({ ...base, name: 'uid-1001', image: { ...base.image, base: 'local' } }));
      const out = path.join(dir, 'uid.json');
      const io = capture();
      const code = await runCli(runArgs({ scenario, variants: 'cold,afterAppStart', out }), io);
      expect(code, io.text().slice(-3000)).toBe(0);
      const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
      expect(results.runs.map((r) => [r.variant, r.status])).toEqual(
        expect.arrayContaining([
          ['cold', 'ok'],
          ['afterAppStart', 'ok'],
        ]),
      );
      expect(results.runs.find((r) => r.variant === 'afterAppStart')?.restore?.verified).toBe(true);
      // The restored server's uid, read from /proc in a restore container like the run's (the engine's own argv).
      const podman = await makePodman();
      const uid = await execa(
        podman.bin,
        podman.runArgs({
          name: `ib-e2e-uid-${process.pid}`,
          image: results.checkpoints[0]?.image as string,
          labels: { 'io.instanton-bench': 'e2e' },
          privilege: restorePrivilege('least-privilege'),
          entrypoint: 'sh',
          command: [
            '-c',
            '/opt/ib/entrypoint.sh >/tmp/out 2>&1 & for i in $(seq 60); do grep -q CWWKC0452I /tmp/out && break; ' +
              'sleep 0.5; done; for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = java ] && grep ^Uid: $p/status; done; true',
          ],
        }),
      );
      await podman.removeContainer(`ib-e2e-uid-${process.pid}`);
      expect(uid.stdout).toMatch(/^Uid:\s+1001\s+1001/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
