import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBaseImage, type RootfsRecipe } from '../../src/images/base/base-image.js';
import { cacheDir } from '../../src/core/cache-dir.js';
import { lineReporter } from '../../src/images/progress.js';
import type { CliIo } from '../../src/core/io.js';
import { runCli } from '../../src/cli/main.js';
import { probeCriu } from '../../src/diagnose/criu-probe.js';
import { readHostLimits, resolveEngineFlags } from '../../src/engine/host-flags.js';
import { Podman } from '../../src/engine/podman.js';

/**
 * The CRIU failures of shared/notes/environment.md reproduced for real on this kernel:
 * Debian 12's CRIU 3.17 (vDSO), Debian 13's CRIU 4.1 (SO_PASSCRED on inet sockets), and
 * Debian sid's CRIU 4.2 working; `diagnose` names the cause of each failure.
 */
const RECIPES: Record<string, RootfsRecipe> = {
  bookworm: { suite: 'bookworm', packages: ['criu', 'busybox', 'procps'], name: 'criu-probe-bookworm' },
  trixie: { suite: 'trixie', packages: ['criu', 'busybox', 'procps'], name: 'criu-probe-trixie' },
  sid: { suite: 'sid', packages: ['criu', 'busybox', 'procps'], name: 'criu-probe-sid' },
};

async function probe(name: keyof typeof RECIPES) {
  const podman = new Podman(resolveEngineFlags(await readHostLimits()));
  const image = await ensureBaseImage(podman, {
    scratchDir: path.join(cacheDir(process.env), 'scratch'),
    env: process.env,
    reporter: lineReporter((t) => process.stderr.write(`${t}\n`), false),
    recipe: RECIPES[name] as RootfsRecipe,
  });
  return probeCriu(podman, image.tag);
}

async function diagnose(dir: string): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const io: CliIo = {
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    cwd: os.tmpdir(),
    env: {},
    interactive: false,
  };
  const code = await runCli(['diagnose', dir], io);
  return { code, text: lines.join('\n') };
}

describe('CRIU releases on this kernel (real dumps)', () => {
  it("Debian 12's CRIU fails at vDSO detection, and diagnose says so", async () => {
    const outcome = await probe('bookworm');
    expect(outcome.output).toMatch(/Version: 3\./);
    expect(outcome.dumpOk).toBe(false);
    const d = await diagnose(outcome.logDir);
    expect(d.code).toBe(1);
    expect(d.text).toContain('[vdso-mismatch]');
    expect(d.text).toMatch(/CRIU 4\.2 or newer/);
  });

  it("Debian 13's CRIU cannot dump an inet socket (SO_PASSCRED), and diagnose says so", async () => {
    const outcome = await probe('trixie');
    expect(outcome.output).toMatch(/Version: 4\.1/);
    expect(outcome.dumpOk).toBe(false);
    const d = await diagnose(outcome.logDir);
    expect(d.code).toBe(1);
    expect(d.text).toContain('[so-passcred-inet]');
    expect(readFileSync(path.join(outcome.logDir, 'dump.log'), 'utf8')).toMatch(
      /Can't get \d+:16 opt: Operation not supported/,
    );
  });

  it("Debian sid's CRIU 4.2 dumps and restores it", async () => {
    const outcome = await probe('sid');
    expect(outcome.output).toMatch(/Version: 4\.(2|[3-9])/);
    expect(outcome.dumpOk).toBe(true);
    expect(outcome.restoreOk).toBe(true);
  });

  it.each([
    ['trixie', 'so-passcred-inet'],
    ['bookworm', 'vdso-mismatch'],
  ])(
    "Liberty's own checkpoint with Debian %s's CRIU in the base image fails clearly, diagnosed as %s",
    async (suite, signature) => {
      const lines: string[] = [];
      const io: CliIo = {
        out: (t) => lines.push(t),
        err: (t) => lines.push(t),
        cwd: process.cwd(),
        env: process.env,
        interactive: false,
      };
      const code = await runCli(['build', '--scenario', 'pingperf', '--base-criu', suite], io);
      const text = lines.join('\n');
      expect(code).toBe(3);
      expect(text).toMatch(/checkpoint of pingperf at \w+ failed \(exit 74, CWWKC0453E\)/);
      expect(text).toContain(`[${signature}]`);
      const kept = /logs kept in (\S+)/.exec(text)?.[1];
      expect(kept).toBeDefined();
      const d = await diagnose(kept as string);
      expect(d.code).toBe(1);
      expect(d.text).toContain(`[${signature}]`);
    },
  );
});
