import { withoutBom } from '../core/neutralise.js';
import { describeFound, valueAt } from '../core/found-value.js';
import { readFile } from 'node:fs/promises';
import { ResultsFileError } from '../core/errors.js';
import type { z } from 'zod';
import { fieldPath, resultsFileSchema } from './schema.js';
import { RESULTS_KIND, RESULTS_SCHEMA_VERSION, type ResultsFile } from './types.js';

/** Read and check a results file; every problem names the file, the field and the fix. */
export async function readResults(file: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ResultsFileError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'pass the path of a results JSON written by instanton-bench run',
      error,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new ResultsFileError(
      `${file} is not valid JSON: ${(error as Error).message}`,
      'pass a results JSON written by instanton-bench run (the .json, not the .csv)',
      error,
    );
  }
  return checkResults(file, data);
}

export function checkResults(file: string, data: unknown): ResultsFile {
  const fail = (field: string, expected: string, found: unknown): never => {
    throw new ResultsFileError(
      `${file}: ${field}: expected ${expected}, found ${describeFound(found)}`,
      'pass a results JSON written by instanton-bench run; the file may be damaged or from another tool',
    );
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return fail('(top level)', 'an object', Array.isArray(data) ? 'an array' : data);
  const d = data as Record<string, unknown>;
  if (d.kind !== RESULTS_KIND) return fail('kind', `"${RESULTS_KIND}"`, d.kind);
  if (d.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(
      `${file}: schemaVersion: expected ${RESULTS_SCHEMA_VERSION}, found ${JSON.stringify(d.schemaVersion)}`,
      'use the instanton-bench version that wrote this file',
    );
  }
  const parsed = resultsFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const found = valueAt(data, issue.path);
    const expected =
      issue.code === 'invalid_type' && found === undefined
        ? issue.message.replace(/^Invalid input: expected /, '')
        : issue.message;
    return fail(fieldPath(issue.path), expected, found);
  }
  return parsed.data as unknown as ResultsFile;
}
