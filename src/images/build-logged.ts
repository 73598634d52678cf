import { BuildError } from '../core/errors.js';
import type { Engine, ImageBuild } from '../engine/engine.js';
import type { BuildReporter } from './progress.js';

/**
 * An image build through the engine, its output streamed to the reporter; a failure is a BuildError with the last
 * lines.
 */
export async function buildLogged(
  engine: Engine,
  build: Omit<ImageBuild, 'onLine'>,
  log: { reporter: BuildReporter; what: string; remedy: string },
): Promise<void> {
  const r = await engine.buildImage({ ...build, onLine: (line) => log.reporter.detail(line) });
  if (r.exitCode !== 0 || r.timedOut) {
    const why = r.timedOut ? `timed out after ${build.timeoutMs} ms` : `exit code ${r.exitCode}`;
    throw new BuildError(`${log.what} failed (${why}):\n${r.tail.map((l) => `  | ${l}`).join('\n')}`, log.remedy);
  }
}
