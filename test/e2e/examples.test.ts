import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/results/types.js';
import { runArgs } from '../support/run-args.js';

const BIN = path.resolve('bin/instanton-bench.js');
const EXAMPLES = path.resolve('scenarios/examples');
const VARIANTS = ['cold', 'aotCache', 'beforeAppStart', 'afterAppStart'];
/** An image scenario (your own Containerfile) has no aotCache variant: that trains the tool's own server image. */
const IMAGE_VARIANTS = ['cold', 'beforeAppStart', 'afterAppStart'];
/** The process must end soon after its last line: a forgotten timer once kept it alive 5 minutes. */
const EXIT_AFTER_LAST_LINE_MS = 5_000;

/**
 * The gallery of user scenarios, written the way the README tells users to, each built from
 * scratch by the real CLI (Maven, images, checkpoints, AOT training) and measured in every variant.
 */
describe('scenarios/examples: user scenarios built and measured in every variant', async () => {
  const examples = (await readdir(EXAMPLES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

  it('has the two kinds the README describes', () => {
    expect(examples).toEqual(expect.arrayContaining(['containerfile', 'derby-inventory', 'mp-health']));
  });

  it.each(examples)('%s', async (example) => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'ib-e2e-example-')), `${example}.json`);
    const file = JSON.parse(await readFile(path.join(EXAMPLES, example, 'scenario.json'), 'utf8')) as {
      image?: object;
    };
    const variants = file.image ? IMAGE_VARIANTS : VARIANTS;
    let lastLineAt = Date.now();
    const child = execa(
      'node',
      [BIN, ...runArgs({ scenario: path.join(EXAMPLES, example), variants: variants.join(','), out })],
      { reject: false, all: true },
    );
    child.all?.on('data', () => {
      lastLineAt = Date.now();
    });
    const done = await child;
    const exitedAfterMs = Date.now() - lastLineAt;
    expect(done.exitCode, done.all).toBe(0);
    expect(exitedAfterMs).toBeLessThan(EXIT_AFTER_LAST_LINE_MS);
    const results = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(results.runs.map((r) => r.variant).sort()).toEqual([...variants].sort());
    for (const run of results.runs) {
      expect(run.status, `${example} ${run.variant}: ${run.error ?? ''}`).toBe('ok');
      if (run.variant === 'beforeAppStart' || run.variant === 'afterAppStart') expect(run.restore?.verified).toBe(true);
      if (run.variant === 'aotCache') expect(run.aotCache?.verified).toBe(true);
    }
    // Every checkpoint says what it holds that can matter at restore.
    expect(results.checkpoints.map((c) => c.phase).sort()).toEqual(['afterAppStart', 'beforeAppStart']);
    for (const c of results.checkpoints) {
      expect(c.contents?.serverFiles?.some((f) => f.path === '/logs/console.log')).toBe(true);
      expect(c.contents?.sockets?.some((s) => s.state === 'listening')).toBe(true);
    }
    // When this run made the checkpoints (a fresh machine), the build output reported it too.
    if (done.all.includes('checkpoint at afterAppStart'))
      expect(done.all).toContain("afterAppStart checkpoint holds files open under the server's directories");
  });
});
