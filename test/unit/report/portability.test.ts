import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { portabilityRows } from '../../../src/report/portability.js';
import type { ResultsFile } from '../../../src/results/types.js';

const base = JSON.parse(
  readFileSync(path.resolve('test/fixtures/results/pingperf-3-variants.json'), 'utf8'),
) as ResultsFile;

describe('the portability matrix: one column per kind of difference', () => {
  it('puts an emulated profile in capabilities and seccomp, fingerprint differences in CPU, kernel and glibc/CRIU', () => {
    const results: ResultsFile = {
      ...base,
      runs: base.runs.map((r) => (r.variant === 'afterAppStart' ? { ...r, restoreHost: 'no-ptrace-rseq' } : r)),
      checkpoints: base.checkpoints.map((c) =>
        c.phase === 'beforeAppStart'
          ? {
              ...c,
              fingerprintWarnings: [
                'CPU features present at checkpoint are missing at restore: avx2 sse4a',
                'kernel differs: checkpoint 6.18, restore 5.10 (CRIU features such as rseq or SO_BUF_LOCK may be missing)',
                'CRIU differs: 4.2.1 vs 4.1.1',
              ],
            }
          : { ...c, fingerprintWarnings: [] },
      ),
    };
    const rows = portabilityRows(results);
    const header = (rows[0] as string).split('|').map((c) => c.trim());
    expect(header.slice(-6, -1)).toEqual(['capabilities', 'seccomp', 'CPU', 'kernel', 'glibc, CRIU']);
    const cells = (variant: string): string[] =>
      (rows.find((r) => r.includes(`pingperf/${variant} `)) as string).split(' | ').map((c) => c.replace(/ \|$/, ''));
    const before = cells('beforeAppStart');
    expect(before.slice(-5)).toEqual([
      'same',
      'same',
      'CPU features present at checkpoint are missing at restore: avx2 sse4a',
      'kernel differs: checkpoint 6.18, restore 5.10 (CRIU features such as rseq or SO_BUF_LOCK may be missing)',
      'CRIU differs: 4.2.1 vs 4.1.1',
    ]);
    const after = cells('afterAppStart');
    expect(after.slice(-5)).toEqual(['same', 'ptrace 0x420f refused (errno 5)', 'same', 'same', 'same']);
  });

  it('names the capabilities a documented-caps restore does without', () => {
    const results: ResultsFile = {
      ...base,
      runs: base.runs.map((r) => ({ ...r, restoreHost: 'documented-caps' })),
    };
    const row = portabilityRows(results).find((r) => r.includes('pingperf/afterAppStart ')) as string;
    expect(row).toContain('| without NET_ADMIN, SYS_ADMIN, SYS_TIME | same |');
  });
});
