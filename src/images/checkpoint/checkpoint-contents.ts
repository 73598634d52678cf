import type { Engine } from '../../engine/engine.js';
import type { CheckpointContents } from '../../results/types.js';
import { SERVER_DIR_IN_IMAGE, SHARED_RESOURCES_IN_IMAGE } from '../../scenario/server-files.js';
import { countProcesses, PAGE_BYTES, parseDumpStats } from '../../verify/criu-images.js';
import { countFiles, openFilesAndSockets } from '../../verify/criu-files.js';

import { CHECKPOINT_IMAGE_DIR, DUMP_STATS_FILE, LOG_DIR, SERVER_OUTPUT_DIR } from '../../core/container-paths.js';
/** The server's directories in the image: config, output (WLP_OUTPUT_DIR), logs (LOG_DIR), shared resources. */
export const SERVER_DIRECTORIES = [SERVER_DIR_IN_IMAGE, SERVER_OUTPUT_DIR, LOG_DIR, SHARED_RESOURCES_IN_IMAGE] as const;

/**
 * What a checkpoint holds, from CRIU's own files in the checkpoint container: the dump's
 * statistics (stats-dump, in the dump's work directory: the log directory), the process tree
 * (pstree.img) and the open file objects (files.img). Undefined when one cannot be read: the
 * image is still good, the report then says the contents are unknown.
 */
export async function checkpointContents(engine: Engine, container: string): Promise<CheckpointContents | undefined> {
  const [stats, pstree, files] = [
    await engine.readContainerBytes(container, DUMP_STATS_FILE),
    await engine.readContainerBytes(container, `${CHECKPOINT_IMAGE_DIR}/pstree.img`),
    await engine.readContainerBytes(container, `${CHECKPOINT_IMAGE_DIR}/files.img`),
  ];
  if (!stats || !pstree || !files) return undefined;
  try {
    const dump = parseDumpStats(stats);
    if (!dump) return undefined;
    const tree = countProcesses(pstree);
    const detail = openFilesAndSockets(files, SERVER_DIRECTORIES);
    return {
      pagesWritten: dump.pagesWritten,
      memoryBytes: dump.pagesWritten * PAGE_BYTES,
      dumpMs: { freezing: dump.freezingMs, frozen: dump.frozenMs, memdump: dump.memdumpMs, memwrite: dump.memwriteMs },
      processes: tree.processes,
      threads: tree.threads,
      files: countFiles(files),
      serverFiles: detail.files,
      sockets: detail.sockets,
    };
  } catch {
    return undefined;
  }
}

export function describeContents(c: CheckpointContents | undefined): string {
  if (!c) return '';
  const files = Object.values(c.files).reduce((a, b) => a + b, 0);
  return (
    `; holds ${(c.memoryBytes / 1024 ** 2).toFixed(0)} MiB of memory, ${c.processes} process(es), ${c.threads} ` +
    `threads, ${files} open files`
  );
}
