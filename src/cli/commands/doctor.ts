import { mkdir } from 'node:fs/promises';
import { cacheDir } from '../../build/cache.js';
import { checkPrerequisites, type CheckResult } from '../../engine/prerequisites.js';
import { LABEL_TOOL } from '../../engine/labels.js';
import { makePodman } from './build.js';
import { EXIT_ENVIRONMENT, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** Containers an earlier harness run left behind (found by label). */
async function leftovers(io: CliIo, clean: boolean): Promise<CheckResult | undefined> {
  const podman = await makePodman().catch(() => undefined);
  if (!podman) return undefined;
  const names = await podman.containersWithLabel(LABEL_TOOL).catch(() => []);
  if (names.length === 0) return { name: 'leftovers', level: 'ok', detail: 'no container left by an earlier run' };
  if (clean) {
    for (const n of names) await podman.removeContainer(n);
    io.out(`doctor: removed ${names.length} leftover container(s): ${names.join(', ')}`);
    return { name: 'leftovers', level: 'ok', detail: `removed ${names.length} leftover container(s)` };
  }
  return {
    name: 'leftovers',
    level: 'warn',
    detail: `${names.length} container(s) left by an earlier run: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`,
    remedy: 'remove them with instanton-bench doctor --clean',
  };
}

export async function doctorCommand(io: CliIo, opts: { clean?: boolean } = {}): Promise<number> {
  const cache = cacheDir(io.env);
  await mkdir(cache, { recursive: true });
  const results = await checkPrerequisites(cache);
  const left = await leftovers(io, opts.clean ?? false);
  if (left) results.push(left);
  for (const r of results) {
    io.out(`[${MARK[r.level]}] ${r.name.padEnd(12)} ${r.detail}`);
    if (r.remedy && r.level !== 'ok') io.out(`       fix: ${r.remedy}`);
  }
  const failed = results.filter((r) => r.level === 'fail');
  io.out(failed.length === 0 ? 'doctor: a run can proceed.' : `doctor: ${failed.length} problem(s) stop a run; fix them first.`);
  return failed.length === 0 ? EXIT_OK : EXIT_ENVIRONMENT;
}
