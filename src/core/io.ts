/** The world the CLI talks to, injected so tests can capture it (house rule 11). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal: progress may redraw lines. */
  readonly interactive: boolean;
}

/**
 * A reader that stops early (`instanton-bench ... | head`) closes the pipe: the rest of the output has nowhere to go
 * and is not an error of the command (a shell's tools end quietly too).
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export function nodeIo(): CliIo {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stderr.isTTY),
  };
}
