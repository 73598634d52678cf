import { createHash } from 'node:crypto';
import { isMeasuredOk } from '../results/keys.js';
import { segmentName, segmentsOf } from '../results/timeline.js';
import type { ResultsFile, RunMetrics, RunRecord } from '../results/types.js';
import { ARM_KEY_FIELDS, ARM_KEYS, type ArmSpec } from '../results/config-types.js';
import { provesRestore, type Variant } from '../scenario/variants.js';
import { byRound } from '../stats/compare-arms.js';
import { mediansByKey } from '../stats/describe.js';

/**
 * What the store keeps of one results file (pure): the run with what identifies its build (labels), its host, the
 * attributes a change point may coincide with, every start, and per series (scenario x variant x arm x host class x
 * metric) the values of its starts that count: ok, restored when InstantOn, measured on a comparable host.
 */
export const TREND_METRICS = [
  'readyMs',
  'firstResponseMs',
  'readyAfterContainerStartMs',
  'rssAfterReadyKb',
  'rssAfterFirstResponseKb',
] as const satisfies ReadonlyArray<keyof RunMetrics>;
export type TrendMetric = (typeof TREND_METRICS)[number];

export interface StoredStart {
  readonly scenario: string;
  readonly variant: string;
  readonly arm: string;
  readonly hostClass: string;
  readonly iteration: number;
  readonly warmup: boolean;
  readonly status: string;
  readonly restoreVerified: boolean | null;
  readonly comparable: boolean;
  readonly launchedAt: string | null;
  readonly metrics: RunMetrics;
  readonly segments: Readonly<Record<string, number>> | null;
}

export interface StoredPoint {
  readonly scenario: string;
  readonly variant: string;
  readonly arm: string;
  readonly hostClass: string;
  readonly metric: TrendMetric;
  readonly values: readonly number[];
  /** Median of each timeline segment over the same starts (ms). */
  readonly segments: Readonly<Record<string, number>> | null;
}

export interface StoredRun {
  readonly digest: string;
  readonly buildKey: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly toolVersion: string;
  readonly state: string;
  readonly host: Readonly<Record<string, string | number>>;
  /** What a change point may coincide with: "cold state", "JDK", "Liberty", "image X", "option Y", "label Z". */
  readonly attributes: Readonly<Record<string, string>>;
  readonly starts: readonly StoredStart[];
  readonly points: readonly StoredPoint[];
}

/** A run's identity: its creation, host, plan and every start as recorded (the same file added twice: one digest). */
export function runDigest(results: ResultsFile): string {
  return createHash('sha256')
    .update(JSON.stringify([results.createdAt, results.environment.hostname, results.config, results.runs]))
    .digest('hex');
}

/** Labels in one canonical order: the build they name (runs with the same labels are one build, e.g. shards). */
export function buildKeyOf(labels: Readonly<Record<string, string>>, digest: string): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? `run:${digest.slice(0, 16)}` : keys.map((k) => `${k}=${labels[k]}`).join(',');
}

const hostClassOf = (results: ResultsFile, run: RunRecord): string =>
  (run.host ? results.environment.hosts?.find((h) => h.name === run.host)?.cpuModel : undefined) ??
  results.environment.cpuModel;

function segmentsOfRun(run: RunRecord): Record<string, number> | null {
  const marks = run.timeline?.marks;
  if (!marks || marks.length < 2) return null;
  const out: Record<string, number> = {};
  for (const s of segmentsOf(marks)) out[segmentName(s.from, s.to)] = s.ms;
  return out;
}

/** A start the trend may use: ok, really restored when it is InstantOn, not timed in a software-CPU guest. */
export function startCounts(run: RunRecord): boolean {
  return isMeasuredOk(run) && (!provesRestore(run.variant) || run.restore?.verified === true);
}

function attributesOf(results: ResultsFile, labels: Readonly<Record<string, string>>): Record<string, string> {
  const c = results.config;
  const e = results.environment;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[`label ${k}`] = v;
  out['cold state'] = c.coldState ?? 'primed';
  const jdks = [...new Set(Object.values(e.images).flatMap((i) => (i.jdk ? [i.jdk] : [])))].sort();
  if (jdks.length > 0) out.JDK = jdks.join('; ');
  const liberty = e.libertyVersion ?? Object.values(e.images).find((i) => i.liberty)?.liberty;
  if (liberty) out.Liberty = liberty;
  for (const [key, image] of Object.entries(e.images)) out[`image ${key}`] = image.id.slice(0, 12);
  const options: Record<string, unknown> = {
    runs: c.runs,
    warmup: c.warmup,
    pin: c.pin,
    profile: c.profile,
    'checkpoint flow': c.checkpointFlow,
    base: c.imageBase,
    'base CRIU': c.baseCriu,
    strict: c.strict,
    'restore mode': c.restoreMode,
    'ramp-up seconds': c.rampUpS,
    'restore host': c.restoreHost,
    'server CPUs': c.serverCpus,
  };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[`option ${k}`] = String(v);
  out['tool version'] = results.tool.version;
  // The host: a series of paired ratios may span runners; a change may coincide with a change of host.
  out.host = e.cpuModel;
  for (const arm of c.arms ?? []) out[`arm ${arm.name}`] = armKeysText(arm) || '(the scenario as it is)';
  if (c.reference !== undefined) out.reference = c.reference;
  // A fleet's plan: its shards' files and the merged file hold the same starts (the store takes one or the other).
  const plan = c.merged?.planId ?? c.shard?.planId;
  if (plan) {
    out.plan = plan;
    out['plan part'] = c.merged ? 'merged' : `shard ${c.shard?.index}/${c.shard?.count}`;
  }
  return out;
}

type RunSegments = ReadonlyMap<RunRecord, Readonly<Record<string, number>> | null>;

function pointsOf(results: ResultsFile, segmentsByRun: RunSegments): StoredPoint[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of results.runs.filter(startCounts)) {
    const key = JSON.stringify([run.scenario, run.variant, run.arm ?? '', hostClassOf(results, run)]);
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  const out: StoredPoint[] = [];
  for (const [key, runs] of groups) {
    const [scenario, variant, arm, hostClass] = JSON.parse(key) as [string, string, string, string];
    const medians = mediansByKey(runs.map((r) => segmentsByRun.get(r)));
    const segments = medians.size > 0 ? Object.fromEntries(medians) : null;
    for (const metric of TREND_METRICS) {
      const values = runs.flatMap((r) => (typeof r.metrics[metric] === 'number' ? [r.metrics[metric]] : []));
      if (values.length > 0) out.push({ scenario, variant, arm, hostClass, metric, values, segments });
    }
  }
  return out;
}

/** The host class of a series of paired ratios to a reference arm: the host cancels in the ratio, so any host. */
export const REFERENCED_HOST_CLASS = 'paired with the reference';

/** A series of paired ratios to a reference arm (run --reference), not of absolute figures. */
export const isReferenced = (k: { readonly hostClass: string }): boolean => k.hostClass === REFERENCED_HOST_CLASS;

/** The arm of a referenced series: the candidate arm over the reference arm. */
export const referencedArm = (arm: string, reference: string): string => `${arm}/${reference}`;

/** The candidate arm of a referenced series' arm (referencedArm's first part). */
export const candidateArmOf = (referenced: string): string => referenced.slice(0, referenced.lastIndexOf('/'));

/**
 * With a reference arm (run --reference): each other arm's starts divided by the reference's of the same round
 * (scenario, variant, metric; both starts counting), so that what moved both arms in that round (the host) cancels.
 */
function referencedPointsOf(results: ResultsFile): StoredPoint[] {
  const reference = results.config.reference;
  if (reference === undefined) return [];
  // The starts the trend counts (a verified restore for InstantOn), paired by round as compare pairs arms.
  const counted = results.runs.filter(startCounts);
  const groups = new Set(counted.map((r) => JSON.stringify([r.scenario, r.variant])));
  const out: StoredPoint[] = [];
  for (const arm of (results.config.arms ?? []).map((a) => a.name).filter((a) => a !== reference))
    for (const g of [...groups].sort()) {
      const [scenario, variant] = JSON.parse(g) as [string, Variant];
      for (const metric of TREND_METRICS) {
        const ref = byRound(counted, reference, scenario, variant, metric);
        const cand = byRound(counted, arm, scenario, variant, metric);
        const values = [...cand.keys()]
          .filter((k) => ref.has(k))
          .sort((a, b) => a - b)
          .map((k) => (cand.get(k) as number) / (ref.get(k) as number));
        if (values.length > 0)
          out.push({
            scenario,
            variant,
            arm: referencedArm(arm, reference),
            hostClass: REFERENCED_HOST_CLASS,
            metric,
            values,
            segments: null,
          });
      }
    }
  return out;
}

/** An arm's keys as `run --arm` takes them (what history confirm reproduces a build's arm with). */
export function armKeysText(arm: ArmSpec): string {
  const keys = ARM_KEYS.map((k): [string, string | number | undefined] => [k, arm[ARM_KEY_FIELDS[k]]]);
  return [
    ...keys.flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`])),
    ...Object.entries(arm.env).map(([k, v]) => `env.${k}=${v}`),
  ].join(',');
}

export function storedRunOf(results: ResultsFile, labels: Readonly<Record<string, string>>): StoredRun {
  const digest = runDigest(results);
  const e = results.environment;
  const segmentsByRun: RunSegments = new Map(results.runs.map((r) => [r, segmentsOfRun(r)]));
  return {
    digest,
    buildKey: buildKeyOf(labels, digest),
    labels,
    createdAt: results.createdAt,
    toolVersion: results.tool.version,
    state: results.state,
    host: {
      hostname: e.hostname,
      kernel: e.kernel,
      cpuModel: e.cpuModel,
      onlineCpus: e.onlineCpus,
      ...(e.hostSpeed ? { hostSpeedIndex: e.hostSpeed.index } : {}),
    },
    attributes: attributesOf(results, labels),
    starts: results.runs.map((run) => ({
      scenario: run.scenario,
      variant: run.variant,
      arm: run.arm ?? '',
      hostClass: hostClassOf(results, run),
      iteration: run.iteration,
      warmup: run.warmup,
      status: run.status,
      restoreVerified: run.restore ? run.restore.verified : null,
      comparable: run.guest === undefined,
      launchedAt: run.launchedAt ?? null,
      metrics: run.metrics,
      segments: segmentsByRun.get(run) ?? null,
    })),
    points: [...pointsOf(results, segmentsByRun), ...referencedPointsOf(results)],
  };
}
