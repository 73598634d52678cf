import type { Engine } from '../engine/engine.js';
import { EXIT_INTERRUPTED, EXIT_TERMINATED } from '../core/errors.js';
import type { CliIo } from '../core/io.js';

/**
 * Ctrl-C (or SIGTERM) while images are being built: remove the containers the build started
 * (a checkpoint container, a PostgreSQL for a checkpoint), say what is kept, and exit 130.
 * Finished build steps are cached under content-addressed tags, so rerunning picks up from
 * the step that was cut short; podman subprocesses are ended by execa's cleanup on exit.
 * Returns the function that removes the handler once the build is over.
 */
export function guardBuildInterrupt(engine: Engine, io: CliIo, command: string): () => void {
  let handling = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (handling) return;
    handling = true;
    io.err(
      `\n${command}: interrupted (${signal}) while building; removing ${engine.liveContainers().length} ` +
        `container(s). Finished build steps are cached: rerun to continue.`,
    );
    void engine.removeLiveContainers().then(() => {
      const left = engine.liveContainers();
      if (left.length > 0)
        io.err(`${command}: could not remove ${left.join(', ')}; \`instanton-bench doctor --clean\` removes it.`);
      process.exit(signal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
