import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { makePodman } from '../../engine/make-podman.js';
import { exportImages, importImages } from '../../images/transfer.js';
import { readResults } from '../../results/read.js';

/** `images export DIR --from RESULTS`: the images a run measured, as archives with a manifest. */
export async function imagesExportCommand(dir: string, opts: { from?: string }, io: CliIo): Promise<number> {
  if (!opts.from)
    throw new UsageError(
      'images export: --from is required',
      'name the results file whose images to export, e.g. --from shard-1.json',
    );
  const results = await readResults(path.resolve(io.cwd, opts.from));
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
