import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makePodman } from '../../src/engine/make-podman.js';
import { LABEL_MADE_FROM } from '../../src/images/provenance.js';
import { alteredImage } from '../support/e2e.js';

const BIN = path.resolve('bin/instanton-bench.js');

/**
 * The worst defect this tool can have is a stale checkpoint measured as current. A `build
 * --rebuild` killed after it replaced the app image leaves checkpoints on the old one under
 * the same tag; here the app tag is moved to another image the same way (a commit over it),
 * and the next build must call the checkpoint stale and make it again from the new app image.
 */
/** A copy of Pingperf with its own app image (name and jvm.options differ), so Pingperf's own images are left as they are. */
async function ownScenario(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-stale-'));
  const repoScenario = path.resolve('scenarios/pingperf');
  await execa('cp', ['-r', `${repoScenario}/server.xml`, `${repoScenario}/jvm.options`, `${repoScenario}/app`, dir]);
  await execa('rm', ['-rf', path.join(dir, 'app', 'target')]);
  const jvm = await readFile(path.join(dir, 'jvm.options'), 'utf8');
  await writeFile(path.join(dir, 'jvm.options'), `${jvm}\n# stale-image test\n`);
  const scenario = JSON.parse(await readFile(path.join(repoScenario, 'scenario.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  await writeFile(path.join(dir, 'scenario.json'), JSON.stringify({ ...scenario, name: 'stale-check' }));
  return dir;
}

describe('stale derived images (real podman)', () => {
  it('a checkpoint made from a replaced app image is found stale by --dry-run, made again by build, then used from the cache', async () => {
    const dir = await ownScenario();
    const build = (...more: string[]): Promise<{ exitCode?: number; all?: string }> =>
      execa('node', [BIN, 'build', '--scenario', dir, '--variants', 'afterAppStart', ...more], {
        reject: false,
        all: true,
      });
    const first = await build();
    expect(first.exitCode, first.all).toBe(0);
    const appTag = /stale-check: (localhost\/instanton-bench\/stale-check:\S+)/.exec(first.all ?? '')?.[1] as string;
    const ckTag = /afterAppStart: (localhost\/instanton-bench\/stale-check-instanton-afterappstart:\S+)/.exec(
      first.all ?? '',
    )?.[1] as string;
    expect(appTag).toBeDefined();
    const podman = await makePodman();
    const oldApp = await podman.imageId(appTag);
    expect((await podman.imageLabels(ckTag))[LABEL_MADE_FROM]).toBe(oldApp);

    await alteredImage(podman, appTag, appTag, ['true']);
    const newApp = await podman.imageId(appTag);
    expect(newApp).not.toBe(oldApp);

    const dry = await build('--dry-run');
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.all).toMatch(
      /build stale-check: afterAppStart checkpoint image: .*none made from the current app image \(stale\)/,
    );
    expect(await podman.imageId(ckTag)).toBeDefined();
    expect((await podman.imageLabels(ckTag))[LABEL_MADE_FROM]).toBe(oldApp); // the dry run built nothing

    const again = await build();
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain(
      `is stale (made from image ${oldApp.slice(0, 12)}, the current one is ${newApp.slice(0, 12)}`,
    );
    expect((await podman.imageLabels(ckTag))[LABEL_MADE_FROM]).toBe(newApp);

    const cached = await build();
    // 'is stale', not 'stale': the scenario's own name (stale-check) is in every line.
    expect(cached.all).not.toContain('is stale');
    expect(cached.all).not.toContain('checkpoint at afterAppStart');
  });
});
