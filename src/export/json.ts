import { writeAtomically } from '../core/atomic-write.js';
import type { ResultsFile } from '../results/types.js';
import { csvPathFor, toCsv } from './csv.js';

/** Rewrite the JSON and its CSV atomically (write a temp file, rename over). */
export async function writeResults(file: string, results: ResultsFile): Promise<void> {
  results.updatedAt = new Date().toISOString();
  await writeAtomically(file, `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomically(csvPathFor(file), toCsv(results.runs));
}
