import { REFERENCE_PARTS } from '../../../src/hostspeed/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultsFileError } from '../../../src/core/errors.js';
import { mergeShards } from '../../../src/results/merge.js';
import type { ResultsFile } from '../../../src/results/types.js';
import { planId, planStarts, shardConfig, shardRounds } from '../../../src/run/schedule.js';
import { compareArms } from '../../../src/stats/compare-arms.js';
import { hostDifferences } from '../../../src/stats/hosts.js';
import { pairedRatio } from '../../../src/stats/paired.js';
import { MACHINE_NOISE, simulatedArms } from '../../support/simulated-noise.js';

const template = JSON.parse(
  readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
) as ResultsFile;

/** Shard k of n of a 4-round A/B plan, measured (simulated) on `host`, slowed by `factor` there. */
function shard(k: number, n: number, host: string, opts: { seed?: number; factor?: number; imageId?: string } = {}) {
  const full = simulatedArms(4, {}, MACHINE_NOISE, 3, template);
  const config = shardConfig({
    ...full.config,
    seed: opts.seed ?? 1,
    runs: 4,
    warmup: 0,
    order: planStarts(full.config.scenarios, ['cold', 'beforeAppStart', 'afterAppStart'], 4, 0, opts.seed ?? 1, [
      'base',
      'cand',
    ]),
    shard: { index: k, count: n },
  });
  const mine = new Set(shardRounds(config));
  const results: ResultsFile = {
    ...full,
    state: 'complete',
    environment: {
      ...full.environment,
      hostname: host,
      images: { pingperf: { tag: 't', id: opts.imageId ?? 'sha256:aaaa' } },
    },
    config,
    runs: full.runs
      .filter((r) => mine.has(r.iteration))
      .map((r) => ({ ...r, metrics: { ...r.metrics, readyMs: (r.metrics.readyMs ?? 0) * (opts.factor ?? 1) } })),
  };
  return { file: `${host}-${k}.json`, results };
}

describe('shards of one plan', () => {
  it('split whole rounds round-robin, keep every warm-up, and share one plan identity', () => {
    const a = shard(1, 2, 'h1').results.config;
    const b = shard(2, 2, 'h2').results.config;
    expect(shardRounds(a)).toEqual([1, 3]);
    expect(shardRounds(b)).toEqual([2, 4]);
    expect(a.shard?.planId).toBe(b.shard?.planId);
    expect(a.shard?.planId).toMatch(/^[0-9a-f]{16}$/);
    expect(shard(1, 2, 'h1', { seed: 2 }).results.config.shard?.planId).not.toBe(a.shard?.planId);
    expect(planId({ ...a, serverCpus: '7', harnessCpus: '6' })).toBe(planId(a));
  });

  it('merge: one ordinary file, every start with its host, rounds whole, compare reads it', () => {
    const { merged, missingRounds, duplicatedRounds, hosts } = mergeShards([shard(1, 2, 'h1'), shard(2, 2, 'h2')]);
    expect(missingRounds).toEqual([]);
    expect(duplicatedRounds).toEqual([]);
    expect(hosts).toEqual(['h1', 'h2']);
    expect(merged.state).toBe('complete');
    expect(merged.config.shard).toBeUndefined();
    expect(merged.config.merged?.shards.map((s) => [s.index, s.host])).toEqual([
      [1, 'h1'],
      [2, 'h2'],
    ]);
    expect(merged.runs).toHaveLength(24);
    expect(new Set(merged.runs.filter((r) => r.host === 'h2').map((r) => r.iteration))).toEqual(new Set([2, 4]));
    expect(merged.environment.hosts?.map((h) => h.name)).toEqual(['h1', 'h2']);
    expect(compareArms(merged, { thresholdPct: 5, metrics: ['readyMs'], seed: 1, resamples: 100 })).toHaveLength(3);
  });

  it("judges a checkpoint's entropy probe over every shard's restores: alike answers on two hosts are a finding", () => {
    const withProbe = (s: ReturnType<typeof shard>, digest: (round: number) => string): ReturnType<typeof shard> => ({
      ...s,
      results: {
        ...s.results,
        checkpoints: [
          {
            scenario: 'pingperf',
            arm: 'base',
            phase: 'afterAppStart',
            image: 'i',
            imageId: 'sha256:aaaa',
            addedBytes: 1,
            serverCapabilities: [],
            fingerprint: {},
            fingerprintWarnings: [],
            hygiene: {
              secrets: { status: 'clean', detail: '', searched: [], findings: [] },
              entropy: { status: 'not-checked', detail: 'one restore', path: '/e', restores: 1 },
            },
          },
        ],
        runs: s.results.runs.map((r) =>
          r.variant === 'afterAppStart' && r.arm === 'base'
            ? {
                ...r,
                status: 'ok' as const,
                restore: { ...r.restore, verified: true } as never,
                probes: { entropy: { digest: digest(r.iteration) } },
              }
            : r,
        ),
      },
    });
    // Every restore answers alike (the same state on both hosts): a finding.
    const same = (): string => 'aa';
    const alike = mergeShards([withProbe(shard(1, 2, 'h1'), same), withProbe(shard(2, 2, 'h2'), same)]).merged;
    expect(alike.checkpoints.map((c) => c.hygiene?.entropy)).toEqual([
      expect.objectContaining({ status: 'finding', distinct: 1 }),
      expect.objectContaining({ status: 'finding', distinct: 1 }),
    ]);
    // Every restore answers its own: clean over all of them.
    let n = 0;
    const own = (): string => `answer-${(n += 1)}`;
    const differ = mergeShards([withProbe(shard(1, 2, 'h1'), own), withProbe(shard(2, 2, 'h2'), own)]).merged;
    expect(differ.checkpoints.map((c) => c.hygiene?.entropy?.status)).toEqual(['clean', 'clean']);
  });

  it('refuses a shard of another plan naming the field, and other images naming the image (exit 2)', () => {
    expect(() => mergeShards([shard(1, 2, 'h1'), shard(2, 2, 'h2', { seed: 2 })])).toThrow(ResultsFileError);
    expect(() => mergeShards([shard(1, 2, 'h1'), shard(2, 2, 'h2', { seed: 2 })])).toThrow(
      /another plan than h1-1\.json: config\.seed: 1 vs 2/,
    );
    expect(() => mergeShards([shard(1, 2, 'h1'), shard(2, 2, 'h2', { imageId: 'sha256:bbbb' })])).toThrow(
      /environment\.images\["pingperf"\]: image sha256:bbbb, not the sha256:aaaa of h1-1\.json/,
    );
    const plain = shard(1, 2, 'h1');
    expect(() =>
      mergeShards([{ ...plain, results: { ...plain.results, config: { ...plain.results.config, shard: undefined } } }]),
    ).toThrow(/config\.shard: not a shard/);
  });

  it('reports missing and duplicated rounds, keeping the first file', () => {
    const one = shard(1, 2, 'h1');
    const m = mergeShards([one, one]);
    expect(m.missingRounds).toEqual([2, 4]);
    expect(m.duplicatedRounds.map((d) => d.round)).toEqual([1, 3]);
    expect(m.merged.runs).toHaveLength(12);
    expect(m.merged.state).toBe('interrupted');
  });

  it('names a host whose medians differ from the others', () => {
    const { merged } = mergeShards([shard(1, 2, 'fast'), shard(2, 2, 'slow', { factor: 1.6 })]);
    const w = hostDifferences(merged);
    expect(
      w.some((x) => /^host slow differs: \[base\] pingperf\/cold median ready \d+ ms, 1\.\d\dx host fast's/.test(x)),
    ).toBe(true);
    expect(hostDifferences(shard(1, 2, 'h1').results)).toEqual([]);
  });

  it("keeps each host's speed index and warns when the slowest and fastest differ beyond the bound", () => {
    const withSpeed = (s: ReturnType<typeof shard>, index: number): ReturnType<typeof shard> => ({
      ...s,
      results: {
        ...s.results,
        environment: {
          ...s.results.environment,
          hostSpeed: { index, reference: 'r', cpus: '1', dir: '/tmp', durationMs: 1, parts: REFERENCE_PARTS },
        },
      },
    });
    const { merged } = mergeShards([withSpeed(shard(1, 2, 'fast'), 140), withSpeed(shard(2, 2, 'slow'), 90)]);
    expect(merged.environment.hosts?.map((h) => h.hostSpeed?.index)).toEqual([140, 90]);
    expect(merged.warnings).toContainEqual(
      expect.stringMatching(/^host speed differs: shard 2\/2 \(slow\) index 90, shard 1\/2 \(fast\) index 140/),
    );
    const close = mergeShards([withSpeed(shard(1, 2, 'a'), 100), withSpeed(shard(2, 2, 'b'), 105)]);
    expect(close.merged.warnings.some((w) => w.startsWith('host speed differs'))).toBe(false);
  });
});

describe('paired intervals resample within each host', () => {
  it('keeps every host in every resample: two hosts with constant but different changes give a zero-width interval', () => {
    const base = Array.from({ length: 10 }, () => 100);
    const cand = base.map((b, i) => b * Math.exp(i < 5 ? 0.1 : 0.3));
    const strata = base.map((_, i) => (i < 5 ? 'h1' : 'h2'));
    const stratified = pairedRatio(base, cand, 1, 500, strata);
    const pooled = pairedRatio(base, cand, 1, 500);
    expect(stratified.ci.high - stratified.ci.low).toBeLessThan(1e-9);
    expect(pooled.ci.high - pooled.ci.low).toBeGreaterThan(0.05);
  });
});
