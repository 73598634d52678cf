import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreLogErrors, verifyRestore } from '../../../src/verify/restore.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/logs');
const read = (dir: string, file: string): string | undefined => {
  try {
    return readFileSync(path.join(FIXTURES, dir, file), 'utf8');
  } catch {
    return undefined;
  }
};
const fixture = (dir: string) => {
  const messagesLog = read(dir, 'messages.log');
  const restoreLog = read(dir, 'restore.log');
  return {
    output: (read(dir, 'output.txt') ?? '').split('\n'),
    ...(messagesLog !== undefined ? { messagesLog } : {}),
    ...(restoreLog !== undefined ? { restoreLog } : {}),
  };
};

describe('verifyRestore on logs of real starts', () => {
  it('verifies a real restore by its CWWKC0452I line', () => {
    const v = verifyRestore(fixture('restore-ok'));
    expect(v.verified).toBe(true);
    expect(v.failure).toBeUndefined();
    expect(v.evidence).toHaveLength(1);
    expect(v.evidence[0]).toMatch(
      /CWWKC0452I: The Liberty server process resumed operation from a checkpoint in [\d.]+ seconds\./,
    );
  });

  it('rejects the silent fallback (CWWKE0961I on stdout) although the server became ready', () => {
    const f = fixture('restore-fallback');
    expect(f.output.join('\n')).toContain('CWWKF0011I');
    const v = verifyRestore(f);
    expect(v.verified).toBe(false);
    expect(v.failure).toBe('fallback');
    expect(v.evidence[0]).toMatch(/^CWWKE0961I: Restoring the checkpoint server process failed/);
  });

  it('reports a failed restore with recovery disabled (CWWKE0964E)', () => {
    const v = verifyRestore(fixture('restore-failed-strict'));
    expect(v).toMatchObject({ verified: false, failure: 'restore-failed' });
    expect(v.evidence[0]).toMatch(/^CWWKE0964E/);
  });

  it('rejects a JVM-side restore failure (CWWKC0454E) even with CWWKF0011I present', () => {
    const f = fixture('restore-failed-in-jvm');
    expect(f.messagesLog).toContain('CWWKF0011I');
    expect(verifyRestore(f)).toMatchObject({ verified: false, failure: 'restore-failed-in-jvm' });
  });

  it('rejects CWWKC0458E and the beta fallback CWWKE0957I', () => {
    const ok = fixture('restore-ok');
    expect(
      verifyRestore({
        ...ok,
        messagesLog: `${ok.messagesLog}\n[2026-01-01T00:00:00.000+0000] 1 x E CWWKC0458E: restore failed`,
      }).verified,
    ).toBe(false);
    expect(
      verifyRestore({ ...ok, output: [...ok.output, 'CWWKE0957I: Restoring the checkpoint server process failed.'] }),
    ).toMatchObject({ verified: false, failure: 'fallback' });
  });

  it('does not verify a start whose messages.log could not be read', () => {
    const v = verifyRestore({ output: fixture('restore-ok').output });
    expect(v).toMatchObject({ verified: false, failure: 'no-restore-message' });
    expect(v.evidence[0]).toContain('messages.log not found');
  });

  it('does not take a mention of CWWKC0452I in free text as proof', () => {
    const v = verifyRestore({ output: [], messagesLog: 'expected CWWKC0452I here but the server started cold\n' });
    expect(v.verified).toBe(false);
  });

  it("keeps the error lines of CRIU's restore.log", () => {
    expect(restoreLogErrors(read('restore-fallback', 'restore.log'))).toContain(
      'Error (criu/cr-restore.c:2331): Restoring FAILED.',
    );
  });
});
