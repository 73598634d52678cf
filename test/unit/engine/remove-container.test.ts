import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Podman } from '../../../src/engine/podman.js';
const FLAGS = { runtime: 'runc', nofile: 1024, nproc: 1024 };

/** A stand-in `podman` whose `rm` fails the first `failures` times (as podman does while a container changes state). */
async function flakyPodman(failures: number): Promise<{ bin: string; calls: () => Promise<number> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-flaky-podman-'));
  const count = path.join(dir, 'count');
  await writeFile(count, '0');
  const bin = path.join(dir, 'podman');
  await writeFile(
    bin,
    `#!/bin/sh\nn=$(cat ${count}); n=$((n+1)); echo $n > ${count}\n` +
      `if [ "$n" -le ${failures} ]; then echo "Error: container state improper" >&2; exit 125; fi\nexit 0\n`,
  );
  await chmod(bin, 0o755);
  return { bin, calls: async () => Number((await readFile(count, 'utf8')).trim()) };
}

describe('removing a container', () => {
  it('tries again while podman rm fails, and the container is no longer tracked once removed', async () => {
    const { bin, calls } = await flakyPodman(2);
    const podman = new Podman(FLAGS, bin);
    podman.track('ib-checkpoint-x');
    await podman.removeContainer('ib-checkpoint-x');
    expect(await calls()).toBe(3);
    expect(podman.liveContainers()).toEqual([]);
  });

  it('a container podman keeps refusing to remove stays tracked, so Ctrl-C can name it', async () => {
    const { bin, calls } = await flakyPodman(100);
    const podman = new Podman(FLAGS, bin);
    podman.track('ib-checkpoint-y');
    await podman.removeContainer('ib-checkpoint-y');
    expect(await calls()).toBeGreaterThan(1);
    expect(podman.liveContainers()).toEqual(['ib-checkpoint-y']);
  });
});
