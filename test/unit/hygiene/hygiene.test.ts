import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchFiles } from '../../../src/hygiene/search.js';
import { clocksCheck, entropyCheck, hygieneFindings } from '../../../src/results/hygiene.js';
import { SECRET_NAME } from '../../../src/hygiene/secrets.js';
import { answerParts } from '../../../src/measure/restore-probes.js';
import type { CheckpointRecord, ResultsFile, RunRecord } from '../../../src/results/types.js';

const checkpoint = { scenario: 'entropy', phase: 'afterAppStart' } as CheckpointRecord;
const restore = (digest: string | undefined, verified = true): RunRecord =>
  ({
    scenario: 'entropy',
    variant: 'afterAppStart',
    status: 'ok',
    restore: { verified },
    ...(digest ? { probes: { entropy: { status: 200, digest } } } : {}),
  }) as unknown as RunRecord;

describe('what a checkpoint carries', () => {
  it('finds a value across a 16 MiB chunk boundary, in UTF-8 and UTF-16LE, and only where it is', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-search-'));
    const secret = 'correct-horse-battery';
    const big = Buffer.alloc(16 * 1024 * 1024 + 64, 0x2e);
    Buffer.from(secret).copy(big, 16 * 1024 * 1024 - 7);
    await writeFile(path.join(dir, 'pages-1.img'), big);
    await writeFile(path.join(dir, 'utf16'), Buffer.concat([Buffer.alloc(100), Buffer.from(secret, 'utf16le')]));
    await writeFile(path.join(dir, 'clean'), Buffer.from('correct-horse-battery'.slice(0, 10)));
    const { hits, bytes } = await searchFiles(
      ['pages-1.img', 'utf16', 'clean', 'missing'].map((f) => path.join(dir, f)),
      [{ name: 'the secret', value: secret }],
    );
    expect(hits.map((h) => [path.basename(h.file), h.encoding])).toEqual([
      ['pages-1.img', 'utf-8'],
      ['utf16', 'utf-16le'],
    ]);
    expect(hits.every((h) => h.name === 'the secret')).toBe(true);
    expect(bytes).toBeGreaterThan(16 * 1024 * 1024);
  });

  it('takes secret-looking variable names for secrets and leaves ordinary ones', () => {
    for (const name of [
      'DB_PASSWORD',
      'API_TOKEN',
      'CLIENT_SECRET',
      'AWS_SECRET_ACCESS_KEY',
      'GIT_CREDENTIALS',
      'PASSWD',
    ])
      expect(SECRET_NAME.test(name), name).toBe(true);
    for (const name of ['JVM_ARGS', 'LOGGING_FORMAT', 'TRACE_SPEC', 'WLP_CHECKPOINT'])
      expect(SECRET_NAME.test(name), name).toBe(false);
  });

  it('entropy: restores that answer alike are a finding; different answers are clean; fewer than two is not checked', () => {
    const runs = (...d: Array<string | undefined>): Pick<ResultsFile, 'runs'> => ({ runs: d.map((x) => restore(x)) });
    expect(entropyCheck(runs('aa', 'aa', 'bb'), checkpoint, '/e')).toMatchObject({
      status: 'finding',
      restores: 3,
      distinct: 2,
    });
    expect(entropyCheck(runs('aa', 'bb'), checkpoint, '/e')).toMatchObject({ status: 'clean', distinct: 2 });
    expect(entropyCheck(runs('aa'), checkpoint, '/e').status).toBe('not-checked');
    // A fallback (not a verified restore) is not an instance of the checkpoint.
    const withFallback = { runs: [restore('aa'), restore('aa', false)] };
    expect(entropyCheck(withFallback, checkpoint, '/e').status).toBe('not-checked');
    expect(entropyCheck(runs('aa', 'aa'), checkpoint, undefined).detail).toMatch(/names no entropy probe/);
  });

  it('entropy with NAME=VALUE answers: each generator compared on its own, so one shared generator is a finding', () => {
    const parts = answerParts('drbg=0a1b\nsha1prng=99ff\nrandom=7c\n')!;
    expect(Object.keys(parts)).toEqual(['drbg', 'sha1prng', 'random']);
    expect(answerParts('just one answer')).toBeUndefined();
    expect(answerParts('drbg=1')).toBeUndefined(); // one line: compared whole
    const answer = (drbg: string, sha: string, random: string): RunRecord =>
      ({
        ...restore('whole'),
        probes: {
          entropy: {
            status: 200,
            digest: `${drbg}${sha}${random}`,
            parts: answerParts(`drbg=${drbg}\nsha1prng=${sha}\nrandom=${random}`),
          },
        },
      }) as unknown as RunRecord;
    const clean = entropyCheck({ runs: [answer('a', 'b', 'c'), answer('d', 'e', 'f')] }, checkpoint, '/all');
    expect(clean).toMatchObject({ status: 'clean', parts: { drbg: 2, sha1prng: 2, random: 2 } });
    expect(clean.detail).toMatch(/different answers from each of 3 generators \(drbg, sha1prng, random\)/);
    // The whole answers differ, yet java.util.Random answered alike: a finding naming it.
    const oneShared = entropyCheck({ runs: [answer('a', 'b', 'c'), answer('d', 'e', 'c')] }, checkpoint, '/all');
    expect(oneShared).toMatchObject({ status: 'finding', distinct: 2, parts: { random: 1 } });
    expect(oneShared.detail).toMatch(/alike from random \(different answers: drbg 2, sha1prng 2, random 1\)/);
  });

  it("clocks: the server's wall clock and Liberty's own \"started in\" against the host's, beyond a bound a finding", () => {
    const at = (lag: number, started: number, ready = 700): RunRecord =>
      ({
        ...restore(undefined),
        metrics: { readyMs: ready, readyDetectionLagMs: lag },
        selfReported: { startedSeconds: started },
        probes: { clocks: { monotonicOffsetMs: -160_473.9 } },
      }) as unknown as RunRecord;
    const clean = clocksCheck({ runs: [at(12, 0.35), at(40, 0.4)] }, checkpoint);
    expect(clean).toMatchObject({
      status: 'clean',
      wallSkewMs: 40,

      monotonicOffsetMs: -160_473.9,
    });
    expect(clean.detail).toMatch(/160\.5 s behind the host's/);
    // A server clock 3 s off the host's, and a "started in" that counts the checkpoint run: findings.
    expect(clocksCheck({ runs: [at(-3_000, 0.35)] }, checkpoint).status).toBe('finding');
    expect(clocksCheck({ runs: [at(10, 8.5)] }, checkpoint).status).toBe('finding');
    expect(clocksCheck({ runs: [at(10, -0.001)] }, checkpoint).status).toBe('finding');
    expect(clocksCheck({ runs: [] }, checkpoint).status).toBe('not-checked');
  });

  it('every finding of every checkpoint, secrets and entropy, with its remedy', () => {
    const findings = hygieneFindings({
      checkpoints: [
        {
          ...checkpoint,
          hygiene: {
            secrets: {
              status: 'finding',
              detail: '',
              searched: ['env DB_PASSWORD'],
              findings: [{ secret: 'env DB_PASSWORD', where: ['memory pages (pages-1.img)'], remedy: 'restoreEnv' }],
            },
            entropy: { status: 'finding', detail: 'alike' },
          },
        },
      ],
    });
    expect(findings.map((f) => [f.kind, f.message])).toEqual([
      ['secret', 'env DB_PASSWORD is in memory pages (pages-1.img)'],
      ['entropy', 'alike'],
    ]);
    expect(findings.every((f) => f.remedy.length > 0)).toBe(true);
  });
});
