import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';

export const PROBE_TIMEOUT_MS = 120_000;

/** A dump or a restore of the probe's one small process takes seconds; one that runs this long has hung. */
const STEP_TIMEOUT_S = 20;

/**
 * Dump a process that holds a listening inet socket with the CRIU inside an image, the way a
 * Liberty checkpoint would, and restore it: the smallest real check of "does this image's CRIU
 * work on this kernel". Returns the logs for `diagnose`.
 */
export const PROBE_SCRIPT = [
  'set -u',
  'mkdir -p /probe/img',
  'echo "== criu --version"; criu --version',
  'echo "== criu check"; criu check 2>&1',
  // A process with an inet socket, detached from this shell (as a server would be).
  'setsid busybox nc -l -p 9080 </dev/null >/dev/null 2>&1 &',
  'PID=$!',
  'sleep 1',
  'echo "== criu dump of $PID"',
  // A CRIU that fails inside its parasite can hang there (Debian 13's 4.1 on Linux 6.18 did, for good): the log it
  // wrote until then is what diagnose reads, so the dump gets a bound of its own.
  `timeout -s KILL ${STEP_TIMEOUT_S} criu dump -t "$PID" -D /probe/img --shell-job --tcp-established -v4 -o /probe/dump.log`,
  'DUMP=$?',
  `if [ "$DUMP" = 137 ]; then echo "dump hung: killed after ${STEP_TIMEOUT_S} s"; fi`,
  'if [ "$DUMP" = 0 ]; then',
  '  echo "dump exit 0"',
  '  echo "== criu restore"',
  `  timeout -s KILL ${STEP_TIMEOUT_S} criu restore -D /probe/img --shell-job --tcp-established -d -v4 -o /probe/restore.log; echo "restore exit $?"`,
  'else echo "dump failed: no restore attempted"; fi',
].join('\n');

export interface ProbeOutcome {
  readonly image: string;
  readonly dumpOk: boolean;
  readonly restoreOk: boolean;
  readonly output: string;
  /** Directory holding output.txt, dump.log and restore.log. */
  readonly logDir: string;
}

export async function probeCriu(engine: Engine, image: string): Promise<ProbeOutcome> {
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'ib-criu-probe-'));
  const name = `ib-criu-probe-${process.pid}-${Date.now()}`;
  try {
    const r = await engine.runToExit(
      {
        name,
        image,
        labels: { 'io.instanton-bench': 'probe' },
        privilege: { kind: 'privileged' },
        entrypoint: 'sh',
        command: ['-c', PROBE_SCRIPT],
      },
      PROBE_TIMEOUT_MS,
    );
    const output = r.all;
    await writeFile(path.join(logDir, 'output.txt'), output);
    for (const f of ['dump.log', 'restore.log']) {
      const text = await engine.readContainerFile(name, `/probe/${f}`);
      if (text !== undefined) await writeFile(path.join(logDir, f), text);
    }
    return { image, dumpOk: /dump exit 0/.test(output), restoreOk: /restore exit 0/.test(output), output, logDir };
  } finally {
    await engine.removeContainer(name);
  }
}
