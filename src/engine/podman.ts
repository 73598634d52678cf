import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { EngineError } from '../core/errors.js';
import { shellQuote } from '../core/shell-quote.js';
import type { Engine, ImageBuild, ImageRunConfig } from './engine.js';
import { buildArgv, toEngineError } from './podman-argv.js';
import { LABEL_TOOL } from './labels.js';
import {
  BUILD_TAIL_LINES,
  COMMIT_TIMEOUT_MS,
  ENGINE_QUERY_TIMEOUT_MS,
  ENGINE_REMOVE_TIMEOUT_MS,
  PodmanContainers,
} from './podman-containers.js';

/**
 * The podman implementation of the engine seam: the containers' half (podman-containers.ts: runs, files, removal,
 * tracked for Ctrl-C, labelled with their owner) and the images' half here (inspect, tag, pull, push, save, build,
 * commit, mount). Drives the podman CLI with argv arrays, never shell strings.
 */
export class Podman extends PodmanContainers implements Engine {
  async imageExists(ref: string): Promise<boolean> {
    const result = await execa(this.bin, ['image', 'exists', ref], { reject: false, timeout: ENGINE_QUERY_TIMEOUT_MS });
    if (result.exitCode === 0) return true;
    if (result.exitCode === 1) return false;
    throw toEngineError(result, this.bin, ['image', 'exists', ref]);
  }

  async imageId(ref: string): Promise<string> {
    return (await this.query(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  }

  async imageSizeBytes(ref: string): Promise<number> {
    return Number((await this.query(['image', 'inspect', '--format', '{{.Size}}', ref])).trim());
  }

  async imageLabels(ref: string): Promise<Record<string, string>> {
    return (
      (JSON.parse(await this.query(['image', 'inspect', '--format', '{{json .Labels}}', ref])) as Record<
        string,
        string
      > | null) ?? {}
    );
  }

  async untagImage(ref: string): Promise<void> {
    await this.query(['untag', ref]);
  }

  async tagImage(ref: string, tag: string): Promise<void> {
    await this.query(['tag', ref, tag]);
  }

  async imageHistory(ref: string): Promise<string[]> {
    const out = await this.query(['image', 'history', '--no-trunc', '--format', '{{.CreatedBy}}', ref]);
    return out.split('\n').filter((l) => l.trim() !== '');
  }

  async pullImage(ref: string, timeoutMs: number): Promise<{ ok: boolean; error: string }> {
    const r = await execa(this.bin, ['pull', '--quiet', ref], {
      reject: false,
      timeout: timeoutMs,
      all: true,
      stdin: 'ignore',
    });
    if (r.exitCode === 0) return { ok: true, error: '' };
    const lines = String(r.all ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const error = r.timedOut
      ? `no answer within ${Math.round(timeoutMs / 1000)} s`
      : (lines.at(-1) ?? `exit ${r.exitCode}`);
    return { ok: false, error };
  }

  async saveImage(ref: string, file: string, timeoutMs: number): Promise<void> {
    await this.query(['save', '--format', 'docker-archive', '--output', file, ref], timeoutMs);
  }

  async loadImage(file: string, timeoutMs: number): Promise<string> {
    return this.query(['load', '--input', file], timeoutMs);
  }

  async pushImage(ref: string, dest: string, opts: { tlsVerify: boolean; timeoutMs: number }): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-push-'));
    try {
      const digestFile = path.join(dir, 'digest');
      await this.query(
        ['push', '--quiet', `--tls-verify=${opts.tlsVerify}`, '--digestfile', digestFile, ref, `docker://${dest}`],
        opts.timeoutMs,
      );
      return (await readFile(digestFile, 'utf8')).trim();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async pullByDigest(ref: string, opts: { tlsVerify: boolean; timeoutMs: number }): Promise<void> {
    await this.query(['pull', '--quiet', `--tls-verify=${opts.tlsVerify}`, ref], opts.timeoutMs);
  }

  async imageTagsOf(repository: string): Promise<string[]> {
    const out = await this.query([
      'images',
      '--filter',
      `reference=${repository}`,
      '--format',
      '{{.Repository}}:{{.Tag}}',
    ]);
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.includes('<none>'));
  }

  /** The tool's tagged images (count, bytes as podman reports each) and untagged images in storage. */
  async toolImageUsage(): Promise<{ count: number; bytes: number; dangling: number }> {
    const ours = (
      await this.query([
        'images',
        '--filter',
        'reference=localhost/instanton-bench/*',
        '--format',
        '{{.Id}}\t{{.Size}}',
      ])
    )
      .split('\n')
      .filter(Boolean);
    const ids = [...new Set(ours.map((l) => l.split('\t')[0]))];
    const sizes =
      ids.length > 0
        ? (await this.query(['image', 'inspect', '--format', '{{.Size}}', ...(ids as string[])]))
            .split('\n')
            .map(Number)
        : [];
    const dangling = (await this.query(['images', '--filter', 'dangling=true', '--format', '{{.Id}}']))
      .split('\n')
      .filter(Boolean).length;
    return { count: ids.length, bytes: sizes.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0), dangling };
  }

  async removeUnusedImage(id: string): Promise<boolean> {
    // Without --force podman refuses an image that is tagged, has dependent images or is used by a container.
    const tags = await execa(this.bin, ['image', 'inspect', '--format', '{{len .RepoTags}}', id], {
      reject: false,
      timeout: ENGINE_QUERY_TIMEOUT_MS,
    });
    if (tags.exitCode !== 0 || String(tags.stdout).trim() !== '0') return false;
    const r = await execa(this.bin, ['rmi', id], { reject: false, timeout: ENGINE_REMOVE_TIMEOUT_MS });
    return r.exitCode === 0;
  }

  async commitContainer(name: string, tag: string, changes: readonly string[]): Promise<void> {
    await this.query(['commit', '--quiet', ...changes.flatMap((c) => ['--change', c]), name, tag], COMMIT_TIMEOUT_MS);
  }

  async buildImage(build: ImageBuild): Promise<{ exitCode: number | undefined; timedOut: boolean; tail: string[] }> {
    const args = buildArgv(this.flags, build);
    const child = execa(this.bin, args, {
      timeout: build.timeoutMs,
      reject: false,
      buffer: false,
      all: true,
      stdin: 'ignore',
    });
    const tail: string[] = [];
    for await (const raw of child.iterable({ from: 'all' })) {
      const line = String(raw);
      tail.push(line);
      if (tail.length > BUILD_TAIL_LINES) tail.shift();
      build.onLine?.(line);
    }
    const r = await child;
    return { exitCode: r.exitCode, timedOut: r.timedOut, tail };
  }

  async exportFilesystem(image: string, destDir: string, timeoutMs: number): Promise<void> {
    const name = `ib-export-${process.pid}-${Date.now()}`;
    await this.query(['create', '--pull=never', '--name', name, '--label', `${LABEL_TOOL}=export`, image]);
    this.track(name);
    try {
      const r = await execa(
        'bash',
        [
          '-o',
          'pipefail',
          '-c',
          `${shellQuote(this.bin)} export ${shellQuote(name)} | tar -x -C ${shellQuote(destDir)}`,
        ],
        {
          timeout: timeoutMs,
          reject: false,
        },
      );
      if (r.exitCode !== 0)
        throw new EngineError(
          `unpacking ${image}'s filesystem failed: ${String(r.stderr).slice(-300)}`,
          'check the free space under the cache directory (df -h)',
        );
    } finally {
      await this.removeContainer(name);
    }
  }

  async withImageMounted<T>(ref: string, use: (root: string) => Promise<T>): Promise<T | undefined> {
    let root: string;
    try {
      root = (await this.query(['image', 'mount', ref])).trim();
    } catch {
      return undefined;
    }
    if (root === '') return undefined;
    try {
      return await use(root);
    } finally {
      await this.query(['image', 'unmount', ref]).catch(() => undefined);
    }
  }

  async imageLayerChanges(ref: string): Promise<string[]> {
    const out = await this.query(['diff', ref]);
    return out
      .split('\n')
      .map((l) => /^([ACD]) (\/.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'D')
      .map((m) => m[2] as string);
  }

  async imageRunConfig(ref: string): Promise<ImageRunConfig> {
    const c = JSON.parse(await this.query(['image', 'inspect', '--format', '{{json .Config}}', ref])) as {
      Env?: string[] | null;
      Entrypoint?: string[] | null;
      Cmd?: string[] | null;
      WorkingDir?: string;
      User?: string;
    };
    return {
      env: c.Env ?? [],
      entrypoint: c.Entrypoint ?? [],
      cmd: c.Cmd ?? [],
      workingDir: c.WorkingDir ?? '',
      user: c.User ?? '',
    };
  }

  async copyTarIntoContainer(name: string, tarFile: string, timeoutMs: number): Promise<void> {
    const r = await execa(this.bin, ['cp', '-', `${name}:/`], {
      inputFile: tarFile,
      reject: false,
      timeout: timeoutMs,
    });
    if (r.exitCode !== 0)
      throw new EngineError(
        `podman cp into ${name} failed: ${String(r.stderr).slice(-300)}`,
        'check podman and the free space',
      );
  }

  async importRootfs(dir: string, tag: string, changes: readonly string[], timeoutMs: number): Promise<void> {
    const r = await execa('tar', ['-C', dir, '-c', '.'], { timeout: timeoutMs, reject: false, buffer: false }).pipe(
      this.bin,
      ['import', ...changes.flatMap((c) => ['--change', c]), '-', tag],
      { timeout: timeoutMs, reject: false },
    );
    if (r.exitCode !== 0)
      throw new EngineError(
        `podman import of ${tag} failed: ${String(r.stderr).slice(-500)}`,
        'run instanton-bench doctor',
      );
  }

  async ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    const exists = await execa(this.bin, ['network', 'exists', name], {
      reject: false,
      timeout: ENGINE_QUERY_TIMEOUT_MS,
    });
    if (exists.exitCode === 0) return;
    await this.query([
      'network',
      'create',
      ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      name,
    ]);
  }
}
