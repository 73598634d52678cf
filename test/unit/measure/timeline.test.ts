import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTimeline, logMarks } from '../../../src/measure/timeline.js';
import { jvmLaunchTimes } from '../../../src/measure/hsperfdata.js';
import { segmentsOf } from '../../../src/results/timeline.js';
import { resolveInRoot } from '../../../src/engine/proc.js';

const T0 = Date.parse('2026-11-23T04:00:00.000Z');

describe('start timeline', () => {
  it('sorts marks by time, drops marks from before the launch, and its segments add up to the last mark', () => {
    const marks = buildTimeline(T0, [
      { mark: 'launch', atEpochMs: T0, source: 'host' },
      { mark: 'ready', atEpochMs: T0 + 620.04, source: 'log' },
      { mark: 'containerStarted', atEpochMs: T0 + 168.12, source: 'podman' },
      { mark: 'jvmLaunched', atEpochMs: T0 - 3_600_000, source: 'perf data of the checkpoint' },
      { mark: 'firstResponse', atEpochMs: T0 + 828.44, source: 'host' },
      { mark: 'resumed', atEpochMs: T0 + 591.3, source: 'log' },
      { mark: 'resumed', atEpochMs: T0 + 700, source: 'a later duplicate' },
    ]);
    expect(marks.map((m) => m.mark)).toEqual(['launch', 'containerStarted', 'resumed', 'ready', 'firstResponse']);
    expect(marks.find((m) => m.mark === 'jvmLaunched')).toBeUndefined();
    const total = segmentsOf(marks).reduce((a, s) => a + s.ms, 0);
    expect(Math.abs(total - (marks.at(-1)?.atMs ?? 0))).toBeLessThan(1);
    expect(marks.find((m) => m.mark === 'resumed')?.source).toBe('log');
  });

  it('takes Liberty marks from log lines at or after the launch only', () => {
    const lines = [
      '[2026-11-23T03:00:00.000+0000] 00000001 com.ibm.ws.kernel.launch.internal.FrameworkManager A CWWKE0001I: The server defaultServer has been launched.',
      '[2026-11-23T04:00:00.650+0000] 0000002b io.openliberty.checkpoint.internal.CheckpointImpl A CWWKC0452I: The Liberty server process resumed operation from a checkpoint in 0.266 seconds.',
      '[2026-11-23T04:00:00.655+0000] 0000002b com.ibm.ws.app.manager.AppMessageHelper A CWWKZ0001I: Application pingperf started in 0.267 seconds.',
    ];
    const marks = logMarks(lines, T0, 'output');
    expect(marks.map((m) => [m.mark, m.atEpochMs - T0])).toEqual([
      ['resumed', 650],
      ['appStarted', 655],
    ]);
  });

  it("reads the JVM's own launch times from its perf data (a real HotSpot 21 file)", () => {
    const t = jvmLaunchTimes(readFileSync('test/fixtures/jvm/hsperfdata-cold.bin'));
    expect(t).toEqual({ createVmBeginMs: 1795406076338, createVmEndMs: 1795406076439 });
    expect(jvmLaunchTimes(Buffer.from('not perf data at all, not at all'))).toBeUndefined();
  });

  it("resolves a container's symlinks inside its root, never on the host", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'ib-root-'));
    await mkdir(path.join(root, 'opt/ol/logs'), { recursive: true });
    await writeFile(path.join(root, 'opt/ol/logs/messages.log'), 'x');
    await symlink('/opt/ol/logs', path.join(root, 'logs')); // absolute: inside the container
    expect(await resolveInRoot(root, '/logs/messages.log')).toBe(`${root}/opt/ol/logs/messages.log`);
    expect(await resolveInRoot(root, '/logs/../etc/passwd')).toBeUndefined();
    await symlink('loop', path.join(root, 'loop'));
    expect(await resolveInRoot(root, '/loop/x')).toBeUndefined();
  });
});

describe('AOT cache verdict', () => {
  it('is verified only with the cache opened, a region mapped and classes loaded from it', async () => {
    const { verifyAotCache } = await import('../../../src/measure/aot-start.js');
    const log =
      '[0.007s][info][aot] Opened AOT cache /opt/ib/aot/app.aot.\n[0.007s][info][aot] Mapped static  region #0 at base 0x1 top 0x2 (ReadWrite)\n';
    expect(verifyAotCache({ log, output: [], classesFromCache: 8101 })).toMatchObject({
      verified: true,
      classesFromCache: 8101,
    });
    expect(verifyAotCache({ log, output: [], classesFromCache: 0 }).verified).toBe(false);
    const refused = verifyAotCache({
      log: undefined,
      output: ['Error occurred during initialization of VM', 'Unable to use AOT cache.', 'CWWKE0001I: unrelated'],
      classesFromCache: undefined,
    });
    expect(refused.verified).toBe(false);
    expect(refused.evidence).toEqual([
      expect.stringMatching(/no "Opened AOT cache/),
      'Error occurred during initialization of VM',
      'Unable to use AOT cache.',
    ]);
  });
});
