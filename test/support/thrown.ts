import type { BenchError } from '../../src/core/errors.js';

/** The error a call throws (the test fails if it throws none), to assert on its message and exit code. */
export function thrown(f: () => unknown): BenchError {
  try {
    f();
  } catch (error) {
    return error as BenchError;
  }
  throw new Error('expected a failure');
}
