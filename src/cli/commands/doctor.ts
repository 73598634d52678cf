import { mkdir } from 'node:fs/promises';
import { cacheDir } from '../../build/cache.js';
import { checkPrerequisites } from '../../engine/prerequisites.js';
import { EXIT_ENVIRONMENT, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export async function doctorCommand(io: CliIo): Promise<number> {
  const cache = cacheDir(io.env);
  await mkdir(cache, { recursive: true });
  const results = await checkPrerequisites(cache);
  for (const r of results) {
    io.out(`[${MARK[r.level]}] ${r.name.padEnd(12)} ${r.detail}`);
    if (r.remedy && r.level !== 'ok') io.out(`       fix: ${r.remedy}`);
  }
  const failed = results.filter((r) => r.level === 'fail');
  io.out(failed.length === 0 ? 'doctor: a run can proceed.' : `doctor: ${failed.length} problem(s) stop a run; fix them first.`);
  return failed.length === 0 ? EXIT_OK : EXIT_ENVIRONMENT;
}
