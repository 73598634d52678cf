/** Build progress: named steps, elapsed time, and the tail of a child's output on failure. */
export interface BuildReporter {
  step(message: string): void;
  done(message: string, elapsedMs: number): void;
  detail(line: string): void;
}

export function silentReporter(): BuildReporter {
  return { step: () => undefined, done: () => undefined, detail: () => undefined };
}

export function lineReporter(write: (text: string) => void, verbose: boolean): BuildReporter {
  return {
    step: (message) => write(`build: ${message}`),
    done: (message, elapsedMs) => write(`build: ${message} (${(elapsedMs / 1000).toFixed(1)} s)`),
    detail: (line) => {
      if (verbose) write(`  | ${line}`);
    },
  };
}
