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
describe('stale derived images (real podman)', () => {
  it('a checkpoint made from a replaced app image is found stale by --dry-run, made again by build, then used from the cache', async () => {
    const first = await execa('node', [BIN, 'build', '--variants', 'afterAppStart'], { reject: false, all: true });
    expect(first.exitCode, first.all).toBe(0);
    const appTag = /pingperf: (localhost\/instanton-bench\/pingperf:\S+)/.exec(first.all ?? '')?.[1] as string;
    const ckTag = /afterAppStart: (localhost\/instanton-bench\/pingperf-instanton-afterappstart:\S+)/.exec(first.all ?? '')?.[1] as string;
    expect(appTag).toBeDefined();
    const podman = await makePodman();
    const oldApp = await podman.imageId(appTag);
    expect((await podman.imageLabels(ckTag))[LABEL_MADE_FROM]).toBe(oldApp);

    await alteredImage(podman, appTag, appTag, ['true']);
    const newApp = await podman.imageId(appTag);
    expect(newApp).not.toBe(oldApp);

    const dry = await execa('node', [BIN, 'build', '--variants', 'afterAppStart', '--dry-run'], { reject: false, all: true });
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.all).toMatch(/build pingperf: afterAppStart checkpoint image: .*none made from the current app image \(stale\)/);
    expect(await podman.imageId(ckTag)).toBeDefined();
    expect((await podman.imageLabels(ckTag))[LABEL_MADE_FROM]).toBe(oldApp); // the dry run built nothing

    const again = await execa('node', [BIN, 'build', '--variants', 'afterAppStart'], { reject: false, all: true });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain(`is stale (made from image ${oldApp.slice(0, 12)}, the current one is ${newApp.slice(0, 12)}`);
    expect((await podman.imageLabels(ckTag))[LABEL_MADE_FROM]).toBe(newApp);

    const cached = await execa('node', [BIN, 'build', '--variants', 'afterAppStart'], { reject: false, all: true });
    expect(cached.all).not.toContain('stale');
    expect(cached.all).not.toContain('checkpoint at afterAppStart');
  });
});
