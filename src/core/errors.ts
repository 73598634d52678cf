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
  | 'E_WRITE'
  | 'E_STORE';

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

/** The class of one kind of error: its code and exit code fixed, message, remedy and cause given. */
function errorKind(code: ErrorCode, exitCode: number) {
  return class extends BenchError {
    constructor(message: string, remedy: string, cause?: unknown) {
      super(code, message, remedy, exitCode, cause);
    }
  };
}

/** Bad command-line arguments. */
export class UsageError extends BenchError {
  constructor(message: string, remedy = 'run instanton-bench --help for the usage', cause?: unknown) {
    super('E_USAGE', message, remedy, EXIT_USAGE, cause);
  }
}

/** A results store that cannot be opened or reached (a server down, a store in use by a killed writer...). */
export class StoreError extends errorKind('E_STORE', EXIT_ENVIRONMENT) {}

/** A scenario file or directory that cannot be used: names file, field, expected, found. */
export class ScenarioError extends errorKind('E_SCENARIO', EXIT_USAGE) {}

/** A results file that cannot be read or is not ours. */
export class ResultsFileError extends errorKind('E_RESULTS', EXIT_USAGE) {}

export class ToolMissingError extends BenchError {
  constructor(tool: string, remedy: string) {
    super('E_TOOL_MISSING', `${tool} not found on PATH`, remedy, EXIT_ENVIRONMENT);
  }
}

export class EngineError extends errorKind('E_ENGINE', EXIT_ENVIRONMENT) {}

export class BuildError extends errorKind('E_BUILD', EXIT_ENVIRONMENT) {}

export class DownloadError extends BenchError {
  constructor(message: string, remedy: string, code: 'E_DOWNLOAD' | 'E_CHECKSUM' = 'E_DOWNLOAD', cause?: unknown) {
    super(code, message, remedy, EXIT_ENVIRONMENT, cause);
  }
}

export class PinningError extends errorKind('E_PINNING', EXIT_USAGE) {}

/** Another instanton-bench run is measuring on this machine: figures would be skewed. */
export class ConcurrentRunError extends errorKind('E_CONCURRENT', EXIT_ENVIRONMENT) {}

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

export class InterruptedError extends errorKind('E_INTERRUPTED', EXIT_INTERRUPTED) {}

/** One line for the terminal: what went wrong, then how to fix it. */
export function formatError(error: BenchError): string {
  return `error[${error.code}]: ${error.message}\n  fix: ${error.remedy}`;
}
