import { clocksCheck, entropyCheck } from './hygiene.js';
import { hostSpeedWarning } from '../hostspeed/index.js';
import type { HostSpeed } from '../hostspeed/types.js';
import { ResultsFileError } from '../core/errors.js';
import { startKey } from './keys.js';
import type { CheckpointRecord, PlannedStart, ResultsFile, RunConfig, RunRecord } from './types.js';

/**
 * Shards of one plan (`run --shard K/N` on many hosts) merged into one ordinary results file:
 * every start keeps its round and gets its host; the plan's identity and its images must agree.
 */

export interface ShardInput {
  readonly file: string;
  readonly results: ResultsFile;
}

export interface MergeOutcome {
  readonly merged: ResultsFile;
  /** Rounds of the plan that no shard holds whole. */
  readonly missingRounds: number[];
  /** Rounds more than one file holds (the first file's starts are kept). */
  readonly duplicatedRounds: Array<{ readonly round: number; readonly files: string[] }>;
  readonly hosts: string[];
}

/** The first field of two plans' configurations that differs, as "field: a vs b". */
function planDifference(a: RunConfig, b: RunConfig): string | undefined {
  const skip = new Set(['shard', 'serverCpus', 'harnessCpus', 'scenarioRefs', 'order', 'runs', 'planDigest']);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !skip.has(k)).sort();
  for (const k of keys) {
    const [x, y] = [
      JSON.stringify((a as unknown as Record<string, unknown>)[k]),
      JSON.stringify((b as unknown as Record<string, unknown>)[k]),
    ];
    if (x !== y) return `config.${k}: ${x ?? 'absent'} vs ${y ?? 'absent'}`;
  }
  if (a.shard?.count !== b.shard?.count) return `config.shard.count: ${a.shard?.count} vs ${b.shard?.count}`;
  if (a.shard?.rounds !== b.shard?.rounds) return `config.shard.rounds: ${a.shard?.rounds} vs ${b.shard?.rounds}`;
  return undefined;
}

const hostOf = (r: ResultsFile): string => r.environment.hostname;

export function mergeShards(shards: readonly ShardInput[]): MergeOutcome {
  const [first] = shards;
  if (!first) throw new ResultsFileError('merge needs at least one shard file', 'pass the files of run --shard K/N');
  checkOnePlan(shards, first);
  const base = first.results.config;
  const count = base.shard?.count ?? 1;
  const rounds = base.shard?.rounds ?? 0;
  const { runs, order, duplicated } = wholeRounds(shards);
  const per = (base.arms?.length ?? 1) * base.scenarios.length * base.variants.length;
  const counts = new Map<number, number>();
  for (const r of runs) if (!r.warmup) counts.set(r.iteration, (counts.get(r.iteration) ?? 0) + 1);
  const missingRounds: number[] = [];
  for (let r = 1; r <= rounds; r += 1) if ((counts.get(r) ?? 0) < per) missingRounds.push(r);
  const hosts = [...new Set(shards.map((s) => hostOf(s.results)))];
  const checkpoints = rejudgedCheckpoints(shards, runs);
  const warnings = mergeWarnings(shards, { count, rounds }, missingRounds, duplicated);
  // A shard's plan digest names its own order; the merged file (never resumed) carries none.
  const { shard: _shard, planDigest: _digest, ...config } = base;
  const merged: ResultsFile = {
    ...first.results,
    state:
      missingRounds.length === 0 && shards.every((s) => s.results.state === 'complete') ? 'complete' : 'interrupted',
    updatedAt: new Date().toISOString(),
    environment: {
      ...first.results.environment,
      hosts: shards.map((s) => ({ ...hostFingerprint(s.results), shard: s.results.config.shard?.index ?? 0 })),
    },
    config: {
      ...config,
      order: [...order].sort((a, b) => Number(b.warmup) - Number(a.warmup) || a.iteration - b.iteration),
      merged: {
        planId: base.shard?.planId as string,
        shards: shards.map((s) => ({
          index: s.results.config.shard?.index ?? 0,
          file: s.file,
          host: hostOf(s.results),
        })),
      },
    },
    checkpoints,
    warnings,
    services: shards.flatMap((s) => s.results.services),
    runs: runs.sort((a, b) => Number(b.warmup) - Number(a.warmup) || a.iteration - b.iteration),
  };
  return {
    merged,
    missingRounds,
    duplicatedRounds: [...duplicated].map(([round, files]) => ({ round, files: [...files] })),
    hosts,
  };
}

/** Every file a shard of one plan, measured on the same images. */
function checkOnePlan(shards: readonly ShardInput[], first: ShardInput): void {
  for (const s of shards) {
    if (!s.results.config.shard?.planId)
      throw new ResultsFileError(
        `${s.file}: config.shard: not a shard (made without run --shard K/N)`,
        'merge only the files of run --shard K/N of one plan',
      );
  }
  const base = first.results.config;
  for (const s of shards.slice(1)) {
    const c = s.results.config;
    if (c.shard?.planId !== base.shard?.planId) {
      const diff = planDifference(base, c) ?? `config.shard.planId: ${base.shard?.planId} vs ${c.shard?.planId}`;
      throw new ResultsFileError(
        `${s.file}: another plan than ${first.file}: ${diff}`,
        'merge shards of one plan: the same options (seed, scenarios, variants, arms, runs) on every host',
      );
    }
    for (const [name, img] of Object.entries(first.results.environment.images)) {
      const other = s.results.environment.images[name];
      if (other && other.id !== img.id)
        throw new ResultsFileError(
          `${s.file}: environment.images["${name}"]: image ${other.id.slice(0, 12)}, not the ${img.id.slice(0, 12)} of ` +
            `${first.file}: the shards did not measure the same bits`,
          'build the images once and copy them to every host (instanton-bench images export on one, images import on the ' +
            'others), then rerun the shard',
        );
    }
  }
}

/** Whole rounds: each measured round from the first file that holds any start of it; the plan's order, merged. */
function wholeRounds(shards: readonly ShardInput[]): {
  runs: RunRecord[];
  order: PlannedStart[];
  duplicated: Map<number, Set<string>>;
} {
  const ownerOf = new Map<number, number>();
  const duplicated = new Map<number, Set<string>>();
  const runs: RunRecord[] = [];
  const order: PlannedStart[] = [];
  const seenPlanned = new Set<string>();
  shards.forEach((s, i) => {
    const host = hostOf(s.results);
    const roundsHere = new Set(s.results.runs.filter((r) => !r.warmup).map((r) => r.iteration));
    for (const round of roundsHere) {
      const owner = ownerOf.get(round);
      if (owner === undefined) ownerOf.set(round, i);
      else
        duplicated.set(
          round,
          new Set([
            ...(duplicated.get(round) ?? [`${shards[owner]?.file} (file ${owner + 1})`]),
            `${s.file} (file ${i + 1})`,
          ]),
        );
    }
    for (const r of s.results.runs) {
      if (!r.warmup && ownerOf.get(r.iteration) !== i) continue;
      // Warm-ups of a file given twice are the same starts: kept once.
      if (r.warmup && shards.slice(0, i).some((o) => o.file === s.file)) continue;
      runs.push({ ...r, host });
    }
    for (const p of s.results.config.order) {
      const key = startKey(p);
      if (p.warmup || !seenPlanned.has(key)) order.push(p);
      seenPlanned.add(key);
    }
  });
  return { runs, order, duplicated };
}

/**
 * What the restores showed of a checkpoint (its entropy probe's answers, its clocks) is judged again over every
 * shard's restores: instances on two hosts share random state as much as two on one.
 */
function rejudgedCheckpoints(shards: readonly ShardInput[], runs: RunRecord[]): CheckpointRecord[] {
  return shards.flatMap((s) =>
    s.results.checkpoints.map((c) => ({
      ...c,
      host: hostOf(s.results),
      ...(c.hygiene
        ? {
            hygiene: {
              ...c.hygiene,
              ...(c.hygiene.entropy?.path !== undefined
                ? { entropy: entropyCheck({ runs }, c, c.hygiene.entropy.path) }
                : {}),
              ...(c.hygiene.clocks ? { clocks: clocksCheck({ runs }, c) } : {}),
            },
          }
        : {}),
    })),
  );
}

/** The shards' own warnings, their hosts' speeds, and the rounds no shard measured whole or two did. */
function mergeWarnings(
  shards: readonly ShardInput[],
  { count, rounds }: { count: number; rounds: number },
  missingRounds: readonly number[],
  duplicated: ReadonlyMap<number, ReadonlySet<string>>,
): string[] {
  const warnings = [
    ...new Set(
      shards.flatMap((s) =>
        s.results.warnings.map((w) => `shard ${s.results.config.shard?.index}/${count} (${hostOf(s.results)}): ${w}`),
      ),
    ),
  ];
  const speedWarning = shardSpeedWarning(
    shards.map((s) => s.results),
    count,
  );
  if (speedWarning) warnings.push(speedWarning);
  if (missingRounds.length > 0)
    warnings.push(`rounds not measured whole by any shard: ${missingRounds.join(', ')} (of ${rounds})`);
  for (const [round, files] of duplicated)
    warnings.push(`round ${round} is in ${[...files].join(' and ')}: the first file's starts are kept`);
  return warnings;
}

/** What a host is, for the portability matrix: the fields that decide whether a checkpoint restores there. */
function hostFingerprint(r: ResultsFile): {
  name: string;
  kernel: string;
  cpuModel: string;
  hostGlibc?: string;
  podman?: string;
  runc?: string;
  criu?: string;
  hostSpeed?: HostSpeed;
} {
  const e = r.environment;
  const criu = Object.values(e.images).find((i) => i.criu)?.criu;
  return {
    name: e.hostname,
    kernel: e.kernel,
    cpuModel: e.cpuModel,
    ...(e.hostGlibc ? { hostGlibc: e.hostGlibc } : {}),
    ...(e.podman ? { podman: e.podman } : {}),
    ...(e.runc ? { runc: e.runc } : {}),
    ...(criu ? { criu } : {}),
    ...(e.hostSpeed ? { hostSpeed: e.hostSpeed } : {}),
  };
}

/** The slowest and the fastest shard's hosts, when their speed indices differ beyond the bound. */
function shardSpeedWarning(files: readonly ResultsFile[], count: number): string | undefined {
  const probed = files.filter((f) => f.environment.hostSpeed !== undefined);
  if (probed.length < 2) return undefined;
  const by = [...probed].sort((a, b) => (a.environment.hostSpeed?.index ?? 0) - (b.environment.hostSpeed?.index ?? 0));
  const label = (f: ResultsFile): string => `shard ${f.config.shard?.index}/${count} (${hostOf(f)})`;
  const [slow, fast] = [by[0] as ResultsFile, by[by.length - 1] as ResultsFile];
  return hostSpeedWarning(
    { label: label(slow), speed: slow.environment.hostSpeed },
    { label: label(fast), speed: fast.environment.hostSpeed },
  );
}
