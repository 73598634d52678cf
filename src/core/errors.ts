/**
 * Every error a user can hit has a class, a code and a remedy (house rule 4).
 * Only the CLI entry catches them; only the bin sets the exit code.
 */

export const EXIT_OK = 0;
/** A run finished but some starts failed, or a gate found a regression. */
export const EXIT_FAILURE = 1;
/** Bad input: arguments, scenario files, results files. */
export const EXIT_USAGE = 2;
/** The machine cannot do the job (missing tool, engine error, build failure). */
export const EXIT_ENVIRONMENT = 3;
export const EXIT_INTERRUPTED = 130;
/** Stopped by SIGTERM (128 + 15). */
export const EXIT_TERMINATED = 143;

export type ErrorCode =
  | 'E_USAGE'
  | 'E_SCENARIO'
  | 'E_RESULTS'
  | 'E_TOOL_MISSING'
  | 'E_ENGINE'
  | 'E_BUILD'
  | 'E_DOWNLOAD'
  | 'E_CHECKSUM'
  | 'E_PINNING'
  | 'E_CONCURRENT'
  | 'E_INTERRUPTED'
  | 'E_WRITE';

export class BenchError extends Error {
  readonly code: ErrorCode;
  readonly remedy: string;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, remedy: string, exitCode: number, cause?: unknown) {
    // The error that caused it (a failed podman call, an fs error) stays reachable for debugging.
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.remedy = remedy;
    this.exitCode = exitCode;
  }
}

/** Bad command-line arguments. */
export class UsageError extends BenchError {
  constructor(message: string, remedy = 'run instanton-bench --help for the usage', cause?: unknown) {
    super('E_USAGE', message, remedy, EXIT_USAGE, cause);
  }
}

/** A scenario file or directory that cannot be used: names file, field, expected, found. */
export class ScenarioError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_SCENARIO', message, remedy, EXIT_USAGE, cause);
  }
}

/** A results file that cannot be read or is not ours. */
export class ResultsFileError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_RESULTS', message, remedy, EXIT_USAGE, cause);
  }
}

export class ToolMissingError extends BenchError {
  constructor(tool: string, remedy: string) {
    super('E_TOOL_MISSING', `${tool} not found on PATH`, remedy, EXIT_ENVIRONMENT);
  }
}

export class EngineError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_ENGINE', message, remedy, EXIT_ENVIRONMENT, cause);
  }
}

export class BuildError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_BUILD', message, remedy, EXIT_ENVIRONMENT, cause);
  }
}

export class DownloadError extends BenchError {
  constructor(message: string, remedy: string, code: 'E_DOWNLOAD' | 'E_CHECKSUM' = 'E_DOWNLOAD', cause?: unknown) {
    super(code, message, remedy, EXIT_ENVIRONMENT, cause);
  }
}

export class PinningError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_PINNING', message, remedy, EXIT_USAGE, cause);
  }
}

/** Another instanton-bench run is measuring on this machine: figures would be skewed. */
export class ConcurrentRunError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_CONCURRENT', message, remedy, EXIT_ENVIRONMENT, cause);
  }
}

/** An output file (results, CSV, report) could not be written: disk full, read-only, no permission. */
export class WriteError extends BenchError {
  constructor(
    message: string,
    remedy: string,
    /** The file that could not be written. */
    readonly file?: string,
    cause?: unknown,
  ) {
    super('E_WRITE', message, remedy, EXIT_ENVIRONMENT, cause);
  }
}

export class InterruptedError extends BenchError {
  constructor(message: string, remedy: string, cause?: unknown) {
    super('E_INTERRUPTED', message, remedy, EXIT_INTERRUPTED, cause);
  }
}

/** One line for the terminal: what went wrong, then how to fix it. */
export function formatError(error: BenchError): string {
  return `error[${error.code}]: ${error.message}\n  fix: ${error.remedy}`;
}
