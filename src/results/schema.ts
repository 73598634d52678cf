import { PIN_METHODS } from './config-types.js';
import { z } from 'zod';
import { VARIANTS } from '../scenario/variants.js';

/**
 * The whole results file, checked with the same schema library as scenario files: every field
 * the tool reads later (resume, report, compare, plan) is present and of its type, so a
 * damaged or foreign file is refused with the field, never a TypeError deep inside a command.
 * Objects keep fields they do not name (notes a user added, fields of newer minor versions).
 */
const e = (expected: string) => ({ error: expected });
const text = z.string(e('a string'));
const count = (min: number) =>
  z
    .number(e('a whole number'))
    .int(e('a whole number'))
    .min(min, e(`a whole number >= ${min}`));
const flag = z.boolean(e('true or false'));
const texts = z.array(text, e('an array of strings'));
const hygieneStatus = z.enum(['clean', 'finding', 'not-checked'], e('"clean", "finding" or "not-checked"'));
/** Times and sizes are never negative; how late the harness saw a line may be (clock granularity). */
const nonNegative = z.number(e('a finite number')).finite(e('a finite number')).nonnegative(e('a number >= 0'));
const finite = z.number(e('a finite number')).finite(e('a finite number'));
const pin = z.enum(PIN_METHODS, e(PIN_METHODS.map((m) => `"${m}"`).join(' or ')));
const restoreMode = z.enum(['least-privilege', 'privileged'], e('"least-privilege" or "privileged"'));

const variant = z.enum(VARIANTS, e(`one of ${VARIANTS.join(', ')}`));
const plannedStart = z.looseObject(
  { scenario: text, variant, arm: text.optional(), warmup: flag, iteration: count(0) },
  e('an object'),
);

const sequentialDesign = z.looseObject(
  {
    method: z.literal('group-sequential', e('"group-sequential"')),
    statistic: z.literal('trimmed-t', e('"trimmed-t"')),
    trim: z.number(e('a number')).min(0, e('a number from 0 to 0.4')).max(0.4, e('a number from 0 to 0.4')),
    spending: z.enum(['pocock', 'obrien-fleming'], e('"pocock" or "obrien-fleming"')),
    alpha: z.number(e('a number')).gt(0, e('a number in (0, 0.5]')).max(0.5, e('a number in (0, 0.5]')),
    equivalenceAlpha: z.number(e('a number')).gt(0, e('a number in (0, 0.5]')).max(0.5, e('a number in (0, 0.5]')),
    stopRule: z.literal('first-regression-or-all-decided', e('"first-regression-or-all-decided"')),
    minRounds: count(4),
    maxRounds: count(4).max(200, e('a whole number <= 200')),
    thresholdPct: z
      .number(e('a number'))
      .min(0, e('a percentage from 0 to 99'))
      .max(99, e('a percentage from 0 to 99')),
    metrics: z
      .array(
        z.enum(
          ['readyMs', 'firstResponseMs', 'readyAfterContainerStartMs', 'rssAfterReadyKb', 'rssAfterFirstResponseKb'],
          e('a comparable metric'),
        ),
        e('an array of metrics'),
      )
      .min(1, e('at least one metric')),
    primary: text.optional(),
    futility: z
      .looseObject(
        {
          alpha: z.number(e('a number')).gt(0, e('a number in (0, 0.5]')).max(0.5, e('a number in (0, 0.5]')),
          spending: z.enum(['pocock', 'obrien-fleming'], e('"pocock" or "obrien-fleming"')),
          marginPct: z
            .number(e('a number'))
            .min(0, e('a percentage from 0 to 99'))
            .max(99, e('a percentage from 0 to 99')),
        },
        e('an object'),
      )
      .optional(),
  },
  e('an object'),
);

const metrics = z.record(z.string(), nonNegative, e('an object'));

const run = z.looseObject(
  {
    scenario: text,
    variant,
    arm: text.optional(),
    host: text.optional(),
    iteration: count(0),
    warmup: flag,
    status: z.enum(['ok', 'failed', 'timed-out', 'fallback'], e('one of ok, failed, timed-out, fallback')),
    launchedAt: text,
    image: text,
    cpus: z.looseObject({ pin, requested: text, observed: text.optional(), matches: flag.optional() }, e('an object')),
    metrics,
    selfReported: z.looseObject({ startedSeconds: nonNegative.optional() }, e('an object')).default({}),
    restore: z
      .looseObject(
        { verified: flag, evidence: texts, mode: restoreMode, capabilities: texts, strict: flag },
        e('an object'),
      )
      .optional(),
    rampUp: z
      .looseObject(
        {
          concurrency: count(1),
          loadStartMs: nonNegative,
          loadEndMs: nonNegative,
          requests: count(0),
          errors: count(0),
          buckets: z.array(
            z.looseObject({ second: count(0), requests: count(0), errors: count(0) }, e('an object')),
            e('an array of buckets'),
          ),
        },
        e('an object'),
      )
      .optional(),
    aotCache: z.looseObject({ verified: flag, evidence: texts }, e('an object')).optional(),
    startState: z.looseObject({ workArea: text, classData: text }, e('an object')).optional(),
    timeline: z
      .looseObject(
        {
          marks: z.array(
            z.looseObject({ mark: text, atMs: nonNegative, source: text }, e('an object')),
            e('an array of marks'),
          ),
          criuRestore: z.looseObject({ restoreMs: nonNegative, forkingMs: nonNegative }, e('an object')).optional(),
        },
        e('an object'),
      )
      .optional(),
    harness: z
      .looseObject(
        { endedMs: nonNegative, teardownMs: nonNegative, sincePreviousMs: nonNegative.optional() },
        e('an object'),
      )
      .optional(),
    error: text.optional(),
    outputTail: texts.optional(),
  },
  e('an object'),
);

export const resultsFileSchema = z.looseObject(
  {
    kind: z.literal('instanton-bench/results'),
    schemaVersion: z.literal(1),
    state: z.enum(['running', 'complete', 'interrupted'], e('one of running, complete, interrupted')),
    createdAt: text.optional(),
    updatedAt: text.optional(),
    environment: z.looseObject(
      {
        kernel: text,
        cpuModel: text,
        images: z.record(z.string(), z.looseObject({ tag: text, id: text }, e('an object')), e('an object')),
        hostSpeed: z
          .looseObject(
            {
              index: z.number(e('a number')).positive(e('a positive number')),
              cpus: text,
              parts: z.looseObject(
                {
                  spawnMs: z.number(e('a number')).positive(e('a positive number')),
                  pageFaultMiBps: z.number(e('a number')).positive(e('a positive number')),
                  copyMiBps: z.number(e('a number')).positive(e('a positive number')),
                  computeMs: z.number(e('a number')).positive(e('a positive number')),
                  fileReadUs: z.number(e('a number')).positive(e('a positive number')),
                },
                e('an object'),
              ),
            },
            e('an object'),
          )
          .optional(),
      },
      e('an object'),
    ),
    config: z
      .looseObject(
        {
          scenarios: texts,
          scenarioRefs: texts.optional(),
          variants: z.array(variant, e('an array of variants')),
          runs: count(1),
          warmup: count(0),
          seed: count(0),
          pin,
          serverCpus: text,
          harnessCpus: text,
          profile: z.enum(['local', 'semeru'], e('"local" or "semeru"')).default('local'),
          imageBase: z.enum(['local', 'official'], e('"local" or "official"')).optional(),
          readyTimeoutMs: count(1).optional(),
          restoreMode,
          strict: flag,
          targetCiPct: finite.optional(),
          maxRuns: count(1).optional(),
          // Version 1 files written before these were stored were made with the defaults.
          checkpointFlow: z.enum(['run', 'build'], e('"run" or "build"')).default('run'),
          baseCriu: z.enum(['bookworm', 'trixie'], e('"bookworm" or "trixie"')).optional(),
          coldState: z.enum(['primed', 'clean'], e('"primed" or "clean"')).optional(),
          rampUpS: count(1).optional(),
          rampConcurrency: count(1).optional(),
          arms: z
            .array(
              z.looseObject({ name: text, env: z.record(z.string(), text).default({}) }, e('an object')),
              e('an array of arms'),
            )
            .optional(),
          notApplicable: z.record(z.string(), z.array(variant, e('an array of variants'))).optional(),
          order: z.array(plannedStart, e('an array of planned starts')),
          sequential: sequentialDesign.optional(),
          shard: z
            .looseObject(
              { index: count(1), count: count(1), planId: text.optional(), rounds: count(1).optional() },
              e('an object'),
            )
            .optional(),
          planDigest: z.record(z.string(), text).optional(),
          labels: z.record(z.string(), text).optional(),
          reference: text.optional(),
          merged: z
            .looseObject(
              {
                planId: text,
                shards: z.array(
                  z.looseObject({ index: count(1), file: text, host: text }, e('an object')),
                  e('an array'),
                ),
              },
              e('an object'),
            )
            .optional(),
        },
        e('an object'),
      )
      // Files of earlier versions: the scenarios named by their names, runs capped as --max-runs defaulted.
      .transform((c) => ({
        ...c,
        scenarioRefs: c.scenarioRefs ?? c.scenarios,
        maxRuns: c.maxRuns ?? Math.max(c.runs, 30),
      })),
    checkpoints: z
      .array(
        z.looseObject(
          {
            scenario: text,
            phase: text,
            image: text,
            checkpointMs: nonNegative.optional(),
            addedBytes: finite,
            hygiene: z
              .looseObject(
                {
                  secrets: z.looseObject(
                    {
                      status: hygieneStatus,
                      detail: text,
                      searched: texts,
                      findings: z.array(
                        z.looseObject({ secret: text, where: texts, remedy: text }, e('an object')),
                        e('an array'),
                      ),
                    },
                    e('an object'),
                  ),
                  entropy: z.looseObject({ status: hygieneStatus, detail: text }, e('an object')).optional(),
                  clocks: z.looseObject({ status: hygieneStatus, detail: text }, e('an object')).optional(),
                },
                e('an object'),
              )
              .optional(),
          },
          e('an object'),
        ),
        e('an array'),
      )
      .default([]),
    warnings: texts.default([]),
    services: z
      .array(z.looseObject({ name: text, alias: text, cpus: text }, e('an object')), e('an array'))
      .default([]),
    runs: z.array(run, e('an array')),
    sequentialLooks: z
      .array(
        z.looseObject(
          {
            round: count(1),
            decided: count(0),
            gated: count(0),
            stopped: z.enum(['answer-known', 'max-rounds'], e('"answer-known" or "max-rounds"')).optional(),
          },
          e('an object'),
        ),
        e('an array'),
      )
      .optional(),
  },
  e('an object'),
);

/** `runs.4.metrics.readyMs` as `runs[4].metrics.readyMs`. */
export function fieldPath(keys: readonly PropertyKey[]): string {
  if (keys.length === 0) return '(top level)';
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
}
