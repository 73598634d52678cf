import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseRuns } from '../../../src/diagnose/cases.js';
import { matchSignatures, tellingLines } from '../../../src/diagnose/match.js';
import { SIGNATURES } from '../../../src/diagnose/signatures.js';
import type { ResultsFile } from '../../../src/results/types.js';

/** One evidence line per signature, in the shape CRIU or Liberty prints it. */
const EVIDENCE: Record<string, string> = {
  // Both seen here restoring this machine's Pingperf checkpoint in QEMU guests (hosts vm create).
  'cpu-feature-missing': '#  SIGILL (0x4) at pc=0x00007fd887594383, pid=1294, tid=1328',
  // Seen here: a Containerfile with USER 1001 on the local base before it ran the server as uid 1001.
  'non-root-bounding-set': 'setpriv: apply bounding set: Operation not permitted',
  'guard-regions-kernel':
    'pie: 1294: Error (criu/pie/restorer.c:1700): madvise(0x7fd83f2ff000, 4096, MADV_GUARD_INSTALL) failed with -22',
  'vdso-mismatch': 'Error (criu/vdso.c:255): vdso: Unexpected rt vDSO area bounds',
  'so-passcred-inet': "Error (criu/sockets.c:631): Can't get 1:16 opt: Operation not supported",
  'rseq-ptrace-unsupported':
    'Error (criu/cr-dump.c:1073): ptrace(PTRACE_GET_RSEQ_CONFIGURATION, 1234) = -1: get_rseq_conf failed',
  'rseq-registered': 'Error (criu/cr-dump.c:1112): Checkpointing rseq is not supported',
  'capabilities-restore': 'pie: 1294: Error (criu/pie/restorer.c:347): Unable to restore capabilities: -1',
  'seccomp-or-caps-syscalls': 'Error (criu/clone-noasan.c:63): clone3 with set_tid failed: Operation not permitted',
  'ns-last-pid': "Error (criu/cr-restore.c:1402): Can't open ns_last_pid: Read-only file system",
  // Seen here under run --restore-host documented-caps (CRIU 4.2.1, only CHECKPOINT_RESTORE and SETPCAP).
  'netns-denied': 'Error (criu/kerndat.c:1601): Unable create a network namespace: Operation not permitted',
  'pid-in-use': 'Error (criu/cr-restore.c:1432): Pid 1293 do not match expected 1294',
  'file-changed':
    'Error (criu/files-reg.c:2170): File opt/ol/wlp/usr/servers/defaultServer/workarea/x has bad size 10 (expect 20)',
  'damaged-image': 'Error (criu/protobuf.c:72): Unexpected EOF on (empty-image)',
  'tcp-established': "Error (criu/sk-tcp.c:410): Can't restore TCP connection: Connection refused",
  'so-buf-lock': 'Warn  (criu/sockets.c:525): Unable to set SO_BUF_LOCK on restore: Protocol not available',
  'cpu-mismatch': 'Error (criu/cpu.c:300): cpu: CPU feature avx512f missing: cpuinfo mismatch',
  'liberty-checkpoint-failed':
    '[2026-11-21T23:46:35.133+0000] 0000002b io.openliberty.checkpoint.internal.CheckpointImpl E CWWKC0453E: The server checkpoint request failed.',
  'liberty-restore-failed-in-jvm':
    '[2026-11-21T23:46:35.133+0000] 0000002b io.openliberty.checkpoint.internal.CheckpointImpl E CWWKC0454E: The restore of the server failed.',
  'liberty-feature-no-checkpoint':
    'E CWWKC0456E: A checkpoint cannot be taken because the following features configured in the server.xml file do not support checkpoint: [jca-1.7].',
  'liberty-features-incompatible':
    'W CWWKF0046W: The configuration includes an incompatible combination of features. As a result, the feature manager did not install any features.',
  'liberty-no-jvm-support': 'E CWWKC0459E: The checkpoint request failed because the JVM does not support checkpoint.',
  'liberty-fallback':
    'CWWKE0961I: Restoring the checkpoint server process failed. Check the /logs/checkpoint/restore.log log to determine why the checkpoint process was not restored. Launching the server without using the checkpoint image.',
  'liberty-restore-failed-no-recovery':
    'CWWKE0964E: Restoring the checkpoint server process failed. The server did not launch because checkpoint recovery is disabled.',
};

describe('failure signatures', () => {
  it('has an evidence line for every signature in the catalogue', () => {
    expect(Object.keys(EVIDENCE).sort()).toEqual(SIGNATURES.map((s) => s.id).sort());
  });

  it.each(Object.entries(EVIDENCE))('recognises %s', (id, line) => {
    const ids = matchSignatures([line]).map((f) => f.signature.id);
    expect(ids).toContain(id);
    const found = matchSignatures([line]).find((f) => f.signature.id === id);
    expect(found?.evidence).toEqual([line]);
    expect(found?.signature.remedy.length).toBeGreaterThan(10);
  });

  it('matches nothing on the log of a real, verified restore', () => {
    const ok = readFileSync(path.resolve(__dirname, '../../fixtures/logs/restore-ok/messages.log'), 'utf8');
    expect(matchSignatures([ok])).toEqual([]);
  });

  it('shows the most telling lines of an unknown failure', () => {
    expect(tellingLines(['starting', 'Error (criu/x.c:1): something new', 'done'])).toEqual([
      'Error (criu/x.c:1): something new',
    ]);
  });

  it('explains the fallback runs of a results file and nothing else', () => {
    const results = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../fixtures/results/pingperf-with-fallback.json'), 'utf8'),
    ) as ResultsFile;
    const cases = diagnoseRuns(results.runs);
    expect(cases).toHaveLength(1);
    expect(cases[0]?.what).toBe('pingperf afterAppStart run 2: fallback');
    expect(cases[0]?.findings.map((f) => f.signature.id)).toContain('liberty-fallback');
  });
});

describe('restore hosts emulated here: what CRIU 4.2.1 printed, and what diagnose names', () => {
  it('no-ptrace-rseq: the rseq signature; no-clone3: PIDs; documented-caps: the network namespace', () => {
    const ids = (line: string) => matchSignatures([line]).map((f) => f.signature.id);
    expect(
      ids(
        "Warn  (criu/cr-check.c:815): ptrace(PTRACE_GET_RSEQ_CONFIGURATION) isn't supported. C/R of processes which are using rseq() won't work.",
      ),
    ).toContain('rseq-ptrace-unsupported');
    expect(
      ids("Error (criu/cr-restore.c:1075): Can't open -1/sys/kernel/ns_last_pid on procfs: Read-only file system"),
    ).toContain('ns-last-pid');
    expect(ids('Error (criu/net.c:4121): net: Unable create a network namespace: Operation not permitted')).toContain(
      'netns-denied',
    );
  });
});
