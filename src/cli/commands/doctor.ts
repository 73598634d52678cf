import type { Command } from 'commander';
import { type CommandContext, helpFooter } from '../command-context.js';

import type { Podman } from '../../engine/podman.js';
import { cacheDir } from '../../core/cache-dir.js';
import { checkPrerequisites, type CheckResult } from '../../doctor/prerequisites.js';
import { findLeftovers } from '../../engine/leftovers.js';
import { describeEntry, registryDir } from '../../engine/run-registry.js';
import { makePodman } from '../../engine/make-podman.js';
import { EXIT_ENVIRONMENT, EXIT_OK } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { buildLogDir, checkpointFailureDir, KEEP_LOGS, treeBytes } from '../../core/kept-logs.js';
import { makeDirs } from '../../core/output-paths.js';
import { formatCpuList, onlineCpus, planCpus } from '../../core/cpu-list.js';
import { describeHostSpeed, REFERENCE_HOST } from '../../hostspeed/index.js';
import { probeHostSpeed } from '../../verify/host-speed-probe.js';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** Containers a dead run left behind, and the runs measuring right now (never touched). */
async function leftovers(podman: Podman | undefined, io: CliIo, clean: boolean): Promise<CheckResult[]> {
  if (!podman) return [];
  // podman ps failing is reported by the engine check; leftovers are then unknown, not absent.
  const found = await findLeftovers(podman, registryDir(io.env)).catch(() => undefined);
  if (!found) return [];
  const checks: CheckResult[] = [];
  const owners = [...new Map(found.live.map((c) => [c.owner.owner, c.owner])).values()];
  const runs = found.others.filter((e) => e.command === 'run');
  if (runs.length > 0) {
    checks.push({
      name: 'live runs',
      level: 'warn',
      detail:
        `${runs.length} run(s) measuring now: ` +
        `${runs.map(describeEntry).join('; ')}` +
        `${found.live.length > 0 ? ` (${found.live.length} container(s) of live runs, left alone)` : ''}`,
      remedy: 'wait for them to finish before measuring: a second run skews both',
    });
  } else if (owners.length > 0) {
    checks.push({
      name: 'live runs',
      level: 'ok',
      detail:
        `${found.live.length} container(s) of a live instanton-bench ` +
        `${owners.map((o) => o.command).join(', ')}, left alone`,
    });
  }
  const names = found.dead;
  if (names.length === 0) {
    checks.push({ name: 'leftovers', level: 'ok', detail: 'no container left by a dead run' });
  } else if (clean) {
    for (const n of names) await podman.removeContainer(n);
    io.out(`doctor: removed ${names.length} container(s) left by runs that are no longer alive: ${names.join(', ')}`);
    checks.push({ name: 'leftovers', level: 'ok', detail: `removed ${names.length} leftover container(s)` });
  } else {
    checks.push({
      name: 'leftovers',
      level: 'fail',
      detail:
        `${names.length} container(s) left by a run that is no longer alive (they may hold the server CPU): ` +
        `${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`,
      remedy:
        'remove them with instanton-bench doctor --clean (run and run --resume also remove them before measuring)',
    });
  }
  return checks;
}

/** The space the tool's images, cache and kept logs take (what `--rebuild` and failures add to). */
async function space(podman: Podman | undefined, cache: string): Promise<CheckResult[]> {
  const images = podman ? await podman.toolImageUsage().catch(() => undefined) : undefined;
  const logs = (await treeBytes(buildLogDir())) + (await treeBytes(checkpointFailureDir()));
  const gib = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  const mib = (n: number): string => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  const parts = [
    ...(images
      ? [`${images.count} image(s) of the tool, ${gib(images.bytes)} summed (a layer shared by several counts in each)`]
      : []),
    ...(images && images.dangling > 0
      ? [`${images.dangling} untagged image(s) left by earlier versions or interrupted builds`]
      : []),
    `cache ${gib(await treeBytes(cache))} in ${cache}`,
    `logs ${mib(logs)} (the newest ${KEEP_LOGS} builds and failed checkpoints are kept)`,
  ];
  const level = images && images.dangling > 0 ? 'warn' : 'ok';
  return [
    {
      name: 'space',
      level,
      detail: parts.join('; '),
      ...(level === 'warn' ? { remedy: 'podman image prune removes untagged images' } : {}),
    },
  ];
}

export async function doctorCommand(io: CliIo, opts: { clean?: boolean } = {}): Promise<number> {
  const cache = cacheDir(io.env);
  await makeDirs(cache);
  const results = await checkPrerequisites(cache);
  // Without an engine there is nothing to look for: the engine check above already says why.
  const podman = await makePodman().catch(() => undefined);
  results.push(...(await leftovers(podman, io, opts.clean ?? false)));
  results.push(...(await space(podman, cache)));
  for (const r of results) {
    io.out(`[${MARK[r.level]}] ${r.name.padEnd(12)} ${r.detail}`);
    if (r.remedy && r.level !== 'ok') io.out(`       fix: ${r.remedy}`);
  }
  await printHostSpeed(io);
  const failed = results.filter((r) => r.level === 'fail');
  io.out(
    failed.length === 0
      ? 'doctor: a run can proceed.'
      : `doctor: ${failed.length} problem(s) stop a run; fix them first.`,
  );
  return failed.length === 0 ? EXIT_OK : EXIT_ENVIRONMENT;
}

/**
 * `host speed ...`: this host's index on the CPUs a run gives the server by default, beside the
 * calibration host (index 100, the host of docs/how-it-works.md's "How fast was the host?" figures).
 */
async function printHostSpeed(io: CliIo): Promise<void> {
  const cpus = formatCpuList(planCpus(await onlineCpus()).server);
  const { speed, problem } = await probeHostSpeed(cpus);
  if (!speed) {
    io.out(`host speed   not measured: ${problem ?? 'no figures'}`);
    return;
  }
  io.out(`host speed   ${describeHostSpeed(speed)}`);
  io.out(
    `             the calibration host (docs/how-it-works.md): index 100 (${REFERENCE_HOST}); higher is faster; ` +
      'the tables in docs/ from before the probe existed do not record theirs',
  );
}

/** `doctor`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(['doctor', 'doctor --clean'], undefined);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .option(
      '--clean',
      'remove containers an earlier (crashed) run left behind, found by their io.instanton-bench label',
    )
    .action(async (opts: { clean?: boolean }) => setCode(await doctorCommand(io, opts)));
}
