import { readFile } from 'node:fs/promises';
import { ResultsFileError } from '../cli/errors.js';
import { RESULTS_KIND, RESULTS_SCHEMA_VERSION, type ResultsFile } from './results-types.js';

const RUN_STATUSES = new Set(['ok', 'failed', 'timed-out', 'fallback']);

/** Read and check a results file; every problem names the file, the field and the fix. */
export async function readResults(file: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ResultsFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'pass the path of a results JSON written by instanton-bench run');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(`${file} is not valid JSON: ${(error as Error).message}`, 'pass a results JSON written by instanton-bench run (the .json, not the .csv)');
  }
  return checkResults(file, data);
}

export function checkResults(file: string, data: unknown): ResultsFile {
  const fail = (field: string, expected: string, found: unknown): never => {
    const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 60);
    throw new ResultsFileError(`${file}: ${field}: expected ${expected}, found ${shown}`, 'pass a results JSON written by instanton-bench run; the file may be damaged or from another tool');
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return fail('(top level)', 'an object', Array.isArray(data) ? 'an array' : data);
  const d = data as Record<string, unknown>;
  if (d.kind !== RESULTS_KIND) return fail('kind', `"${RESULTS_KIND}"`, d.kind);
  if (d.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(`${file}: schemaVersion: expected ${RESULTS_SCHEMA_VERSION}, found ${JSON.stringify(d.schemaVersion)}`, 'use the instanton-bench version that wrote this file');
  }
  if (!Array.isArray(d.runs)) return fail('runs', 'an array', d.runs);
  if (d.config === null || typeof d.config !== 'object') return fail('config', 'an object', d.config);
  if (d.environment === null || typeof d.environment !== 'object') return fail('environment', 'an object', d.environment);
  d.runs.forEach((run: unknown, i: number) => {
    const r = run as Record<string, unknown> | null;
    if (r === null || typeof r !== 'object') fail(`runs[${i}]`, 'an object', run);
    const rr = r as Record<string, unknown>;
    if (typeof rr.scenario !== 'string') fail(`runs[${i}].scenario`, 'a string', rr.scenario);
    if (typeof rr.variant !== 'string') fail(`runs[${i}].variant`, 'a string', rr.variant);
    if (typeof rr.warmup !== 'boolean') fail(`runs[${i}].warmup`, 'true or false', rr.warmup);
    if (!RUN_STATUSES.has(rr.status as string)) fail(`runs[${i}].status`, 'one of ok, failed, timed-out, fallback', rr.status);
    if (rr.metrics === null || typeof rr.metrics !== 'object') fail(`runs[${i}].metrics`, 'an object', rr.metrics);
    for (const [k, v] of Object.entries(rr.metrics as Record<string, unknown>)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`runs[${i}].metrics.${k}`, 'a finite number', v);
    }
  });
  const out = data as ResultsFile;
  return { ...out, checkpoints: out.checkpoints ?? [], warnings: out.warnings ?? [], services: out.services ?? [] };
}
