import type { Command } from 'commander';
import { type CommandContext, helpFooter } from '../command-context.js';

import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { makePodman } from '../../engine/make-podman.js';
import { writeFile } from 'node:fs/promises';
import { checkOutputDir, checkOutputFile } from '../../core/output-paths.js';
import { exportImages, importImages, pullImages, pushImages } from '../../images/transfer/transfer.js';
import { readResults } from '../../results/read.js';

/** `images export DIR --from RESULTS`: the images a run measured, as archives with a manifest. */
export async function imagesExportCommand(dir: string, opts: { from?: string }, io: CliIo): Promise<number> {
  if (!opts.from)
    throw new UsageError(
      'images export: --from is required',
      'name the results file whose images to export, e.g. --from shard-1.json',
    );
  const results = await readResults(path.resolve(io.cwd, opts.from));
  await checkOutputDir('DIR', path.resolve(io.cwd, dir));
  const m = await exportImages(await makePodman(), results, opts.from, path.resolve(io.cwd, dir), io.err);
  io.out(`exported ${m.images.length} image(s) to ${dir}; on another host: instanton-bench images import ${dir}`);
  return 0;
}

/** `images import DIR`: load and check every image of an export. */
export async function imagesImportCommand(dir: string, io: CliIo): Promise<number> {
  const m = await importImages(await makePodman(), path.resolve(io.cwd, dir), io.err);
  io.out(`imported ${m.images.length} image(s), each with the ID it was exported with`);
  return 0;
}

/** `images push REGISTRY --from RESULTS --manifest FILE`: the images a run measured, recorded by digest. */
export async function imagesPushCommand(
  registry: string,
  opts: { from?: string; manifest?: string; tlsVerify?: boolean },
  io: CliIo,
): Promise<number> {
  if (!opts.from)
    throw new UsageError(
      'images push: --from is required',
      'name the results file whose images to push, e.g. --from shard-1.json',
    );
  if (!opts.manifest)
    throw new UsageError(
      'images push: --manifest is required',
      'name the file to record the pushed digests in, e.g. --manifest images.json',
    );
  const manifestFile = path.resolve(io.cwd, opts.manifest);
  await checkOutputFile('--manifest', manifestFile);
  const results = await readResults(path.resolve(io.cwd, opts.from));
  const m = await pushImages(
    await makePodman(),
    results,
    opts.from,
    registry,
    { tlsVerify: opts.tlsVerify !== false },
    io.err,
  );
  await writeFile(manifestFile, `${JSON.stringify(m, null, 2)}\n`);
  io.out(
    `pushed ${m.images.length} image(s) to ${registry}; on every host: instanton-bench images pull ${opts.manifest}`,
  );
  return 0;
}

/** `images pull MANIFEST`: every image by its digest, each checked to have the ID it was pushed with. */
export async function imagesPullCommand(manifest: string, opts: { tlsVerify?: boolean }, io: CliIo): Promise<number> {
  const m = await pullImages(
    await makePodman(),
    path.resolve(io.cwd, manifest),
    { tlsVerify: opts.tlsVerify !== false },
    io.err,
  );
  io.out(`pulled ${m.images.length} image(s) by digest, each with the ID it was pushed with`);
  return 0;
}

/** `images`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'images export /shared/images --from shard-1.json',
    'images import /shared/images',
    'images push registry.example:5000/perf --from shard-1.json --manifest images.json',
    'images pull images.json',
  ],
  undefined,
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  const images = command.addHelpText('after', HELP);
  images
    .command('export')
    .description(
      'write every image a results file measured (scenario, checkpoint and AOT cache images) to DIR as archives, ' +
        'with images.json: each tag, image ID and archive SHA-256',
    )
    .argument('<dir>', 'the directory to write')
    .option('--from <results>', 'the results file whose images to export (required)')
    .action(async (dir: string, opts: { from?: string }) => setCode(await imagesExportCommand(dir, opts, io)));
  images
    .command('push')
    .description(
      'push every image a results file measured to a registry and write a manifest of their digests (and IDs)',
    )
    .argument('<registry>', 'registry and namespace, e.g. registry.example:5000/perf')
    .option('--from <results>', 'the results file whose images to push (required)')
    .option('--manifest <file>', 'where to write the digests (required)')
    .option('--no-tls-verify', 'talk plain HTTP or accept any certificate (a local registry)')
    .action(async (registry: string, opts: { from?: string; manifest?: string; tlsVerify?: boolean }) =>
      setCode(await imagesPushCommand(registry, opts, io)),
    );
  images
    .command('pull')
    .description('pull every image of a push manifest by digest, checking each image ID (exit 2 otherwise)')
    .argument('<manifest>', 'the file images push wrote')
    .option('--no-tls-verify', 'talk plain HTTP or accept any certificate (a local registry)')
    .action(async (manifest: string, opts: { tlsVerify?: boolean }) =>
      setCode(await imagesPullCommand(manifest, opts, io)),
    );
  images
    .command('import')
    .description(
      'load every archive of an export, refusing an archive whose SHA-256 or loaded image ID differs from ' +
        'images.json (exit 2)',
    )
    .argument('<dir>', 'a directory written by images export')
    .action(async (dir: string) => setCode(await imagesImportCommand(dir, io)));
}
