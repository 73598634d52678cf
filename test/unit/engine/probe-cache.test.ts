import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbeCache } from '../../../src/engine/probe-cache.js';
import { fingerprintImage } from '../../../src/verify/fingerprint.js';
import { FakeEngine, recordedStarts } from '../../support/fake-engine.js';

describe('probe results kept by image ID', () => {
  it('a second cache on the same directory reads the answer back instead of probing; another engine version probes again', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-probes-'));
    let probes = 0;
    const probe = async () => {
      probes += 1;
      return ['CHECKPOINT_RESTORE', 'SETPCAP'];
    };
    expect(await new ProbeCache(dir).get('podman4.3.1', 'sha256:abc', 'restore-caps', probe)).toEqual([
      'CHECKPOINT_RESTORE',
      'SETPCAP',
    ]);
    expect(await new ProbeCache(dir).get('podman4.3.1', 'sha256:abc', 'restore-caps', probe)).toEqual([
      'CHECKPOINT_RESTORE',
      'SETPCAP',
    ]);
    expect(probes).toBe(1);
    await new ProbeCache(dir).get('podman5.0.0', 'sha256:abc', 'restore-caps', probe);
    await new ProbeCache(dir).get('podman4.3.1', 'sha256:def', 'restore-caps', probe);
    expect(probes).toBe(3);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toHaveLength(3);
  });

  it('keeps no answer from a failed probe (undefined): it runs again', async () => {
    const cache = new ProbeCache();
    let probes = 0;
    const failing = async (): Promise<string | undefined> => {
      probes += 1;
      return undefined;
    };
    await cache.get('x', 'sha256:1', 'java-major', failing);
    await cache.get('x', 'sha256:1', 'java-major', failing);
    expect(probes).toBe(2);
  });

  it("an image's fingerprint is probed once per engine, however often a run asks", async () => {
    const engine = new FakeEngine(recordedStarts);
    const a = await fingerprintImage(engine, 'localhost/instanton-bench/pingperf:1');
    const b = await fingerprintImage(engine, 'localhost/instanton-bench/pingperf:1');
    expect(b).toEqual(a);
    expect(engine.probesRun.filter((p) => p.startsWith('fingerprint '))).toHaveLength(1);
  });
});
