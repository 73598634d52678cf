import type { Command } from 'commander';
import { makePodman } from '../../engine/make-podman.js';
import { type CommandContext, collect, helpFooter, jsonOption } from '../command-context.js';

import path from 'node:path';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkJsonTarget, emitJson, textOut, type JsonOption } from '../../core/output-paths.js';
import type { Engine } from '../../engine/engine.js';
import { checkpointRecord } from '../../images/checkpoint/checkpoint-record.js';
import { forecast, worst, type Forecast } from '../../hosts/forecast.js';
import { readProfiles } from '../../hosts/read.js';
import { CRIU_CPU_CAPS, type CriuCpuCap } from '../../hosts/criu-cpu-cap.js';
import { guestProfilePath } from '../../hosts/guest-store.js';
import { statIfExists } from '../../core/read-if-exists.js';

export interface ForecastOptions {
  readonly image?: readonly string[];
  readonly hosts?: readonly string[];
  /** The --cpu-cap the restore gives CRIU (default none, as Liberty's server script). */
  readonly cpuCap?: string;
  readonly json?: JsonOption;
}

const WORDS = { restores: 'restores', 'at-risk': 'at risk', fails: 'FAILS' } as const;

/** A --hosts value: a profile file, a directory of them, or the name of a guest (hosts vm create). */
async function resolveHostTargets(targets: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const t of targets) {
    if (await statIfExists(path.resolve(cwd, t))) out.push(t);
    else {
      const guest = guestProfilePath(t);
      if (guest && (await statIfExists(guest))) out.push(guest);
      else
        throw new UsageError(
          `--hosts ${t}: no such file, directory or guest`,
          'pass a profile from instanton-bench hosts probe --out FILE, a directory of them, or a guest from hosts vm list',
        );
    }
  }
  return out;
}

export function formatForecasts(all: readonly Forecast[]): string[] {
  const lines: string[] = [];
  for (const f of all) {
    lines.push(`${f.image} on ${f.host}: ${WORDS[f.outcome]}`);
    for (const finding of f.findings) {
      lines.push(`  ${WORDS[finding.outcome]}: ${finding.reason}`);
      if (finding.remedy && finding.outcome !== 'restores') lines.push(`    remedy: ${finding.remedy}`);
    }
  }
  return lines;
}

export async function forecastCommand(
  opts: ForecastOptions,
  io: CliIo,
  engine: () => Promise<Engine>,
): Promise<number> {
  if (!opts.image?.length)
    throw new UsageError(
      '--image is required',
      'name a checkpoint image, e.g. --image localhost/instanton-bench/pingperf-instanton-afterappstart:TAG',
    );
  if (!opts.hosts?.length)
    throw new UsageError(
      '--hosts is required',
      'pass host profiles (hosts probe --out FILE), a directory of them, or a guest name',
    );
  const cpuCap = opts.cpuCap ?? 'none';
  if (!(CRIU_CPU_CAPS as readonly string[]).includes(cpuCap))
    throw new UsageError(`--cpu-cap ${cpuCap}: not a CRIU --cpu-cap mode`, `use one of ${CRIU_CPU_CAPS.join(', ')}`);
  await checkJsonTarget(opts.json, io.cwd);
  const profiles = await readProfiles(await resolveHostTargets(opts.hosts, io.cwd), io.cwd);
  const podman = await engine();
  const records = [];
  for (const image of opts.image)
    records.push({ ...(await checkpointRecord(podman, image)), criuCpuCap: cpuCap as CriuCpuCap });
  const all = records.flatMap((r) => profiles.map((p) => forecast(r, p)));
  const out = textOut(opts.json, io);
  for (const line of formatForecasts(all)) out(line);
  const overall = worst(all.map((f) => f.outcome));
  out(
    `forecast: ${all.filter((f) => f.outcome === 'restores').length} restore, ` +
      `${all.filter((f) => f.outcome === 'at-risk').length} at risk, ${all.filter((f) => f.outcome === 'fails').length} ` +
      `fail (${records.length} checkpoint(s) x ${profiles.length} host(s))`,
  );
  await emitJson(
    opts.json,
    {
      kind: 'instanton-bench-forecast',
      outcome: overall,
      forecasts: all,
      checkpoints: records.map((r) => ({ ...r, cpuFlags: undefined })),
    },
    io,
  );
  return overall === 'fails' ? EXIT_FAILURE : EXIT_OK;
}

/** `forecast`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'forecast --image localhost/instanton-bench/pingperf-instanton-afterappstart:TAG --hosts profiles/',
    'forecast --image IMAGE --hosts oldcpu --json -',
  ],
  'a checkpoint fails on some host',
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .option('--image <image>', 'a checkpoint image (repeatable)', collect)
    .option('--hosts <target>', 'a host profile, a directory of them, or a guest name (repeatable)', collect)
    .option(
      '--cpu-cap <mode>',
      "the --cpu-cap the restore gives CRIU: none (Open Liberty's server script), fpu, ins or cpu (CRIU then refuses " +
        'CPUs its checks do not pass)',
      'none',
    )
    .addOption(jsonOption('every forecast with its findings'))
    .action(async (opts: { image?: string[]; hosts?: string[]; cpuCap: string; json?: string | boolean }) => {
      setCode(await forecastCommand(opts, io, () => makePodman()));
    });
}
