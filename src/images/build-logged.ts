import { BuildError } from '../core/errors.js';
import type { Engine, ImageBuild } from '../engine/engine.js';
import { IMAGE_BUILD_TIMEOUT_MS } from '../engine/podman-containers.js';
import type { BuildReporter } from './progress.js';

/**
 * An image build through the engine (within IMAGE_BUILD_TIMEOUT_MS unless told otherwise), its output streamed to
 * the reporter; a failure is a BuildError with the last
 * lines.
 */
export async function buildLogged(
  engine: Engine,
  build: Omit<ImageBuild, 'onLine' | 'timeoutMs'> & { readonly timeoutMs?: number },
  log: { reporter: BuildReporter; what: string; remedy: string },
): Promise<void> {
  const timeoutMs = build.timeoutMs ?? IMAGE_BUILD_TIMEOUT_MS;
  const r = await engine.buildImage({ ...build, timeoutMs, onLine: (line) => log.reporter.detail(line) });
  if (r.exitCode !== 0 || r.timedOut) {
    const why = r.timedOut ? `timed out after ${timeoutMs} ms` : `exit code ${r.exitCode}`;
    throw new BuildError(`${log.what} failed (${why}):\n${r.tail.map((l) => `  | ${l}`).join('\n')}`, log.remedy);
  }
}
