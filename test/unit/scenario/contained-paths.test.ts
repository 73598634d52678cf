import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/core/errors.js';
import { checkContainedSources } from '../../../src/scenario/contained-paths.js';
import { runCli } from '../../../src/cli/main.js';
import { cp, rm } from 'node:fs/promises';

describe('links that leave the scenario directory are refused', () => {
  it('a named file linked to a host file, and a link deep inside a mapped directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-links-'));
    const outside = await mkdtemp(path.join(os.tmpdir(), 'ib-outside-'));
    await writeFile(path.join(outside, 'secret'), 'x');
    await symlink(path.join(outside, 'secret'), path.join(dir, 'jvm.options'));
    const file = path.join(dir, 'scenario.json');
    await expect(
      checkContainedSources(file, dir, [{ field: 'server.jvmOptions', path: path.join(dir, 'jvm.options') }]),
    ).rejects.toThrow(new RegExp(`server.jvmOptions: .*jvm.options is a symbolic link to .*secret, outside`));
    await mkdir(path.join(dir, 'data', 'deep'), { recursive: true });
    await symlink(outside, path.join(dir, 'data', 'deep', 'escape'));
    const err = await checkContainedSources(file, dir, [
      { field: 'server.files."data"', path: path.join(dir, 'data') },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).exitCode).toBe(2);
    expect((err as ScenarioError).message).toContain('data/deep/escape');
  });

  it('links within the scenario directory are fine', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-links-'));
    await writeFile(path.join(dir, 'server.xml'), '<server/>');
    await mkdir(path.join(dir, 'data'));
    await symlink('../server.xml', path.join(dir, 'data', 'copy.xml'));
    await expect(
      checkContainedSources(path.join(dir, 'scenario.json'), dir, [
        { field: 'server.files."data"', path: path.join(dir, 'data') },
      ]),
    ).resolves.toBeUndefined();
  });
});

describe('the CLI refuses a linked scenario file before building anything', () => {
  it('build --scenario with jvm.options linked to /etc/shadow: exit 2, one line naming the field and the link', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-evil-'));
    await cp(path.resolve('scenarios/pingperf'), dir, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}target`),
    });
    await rm(path.join(dir, 'jvm.options'));
    await symlink('/etc/shadow', path.join(dir, 'jvm.options'));
    const lines: string[] = [];
    const io = {
      out: (t: string) => lines.push(t),
      err: (t: string) => lines.push(t),
      cwd: process.cwd(),
      env: { IB_RUN_DIR: path.join(dir, 'reg'), IB_CACHE_DIR: path.join(dir, 'cache') },
      interactive: false,
    };
    expect(await runCli(['build', '--scenario', dir], io)).toBe(2);
    expect(lines.join('\n')).toMatch(
      /^error\[E_SCENARIO\]: .*scenario\.json: server\.jvmOptions: .*jvm\.options is a symbolic link to \/etc\/shadow, outside /,
    );
  });
});
