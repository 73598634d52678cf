import { ProbeCache } from '../../src/engine/probe-cache.js';
import { REFERENCE_HOST, REFERENCE_PARTS } from '../../src/hostspeed/index.js';
import { type HostSpeed } from '../../src/hostspeed/types.js';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type {
  AttachedContainer,
  Engine,
  ExitResult,
  ImageBuild,
  OwnedContainer,
  ProcessStatus,
  RunSpec,
} from '../../src/engine/engine.js';
import { LABEL_OWNER, LABEL_TOOL } from '../../src/engine/labels.js';
import { TrackedContainers } from '../../src/engine/tracked-containers.js';
import type { BuildAllOptions } from '../../src/images/build-all.js';
import type { ScenarioImages } from '../../src/images/stack.js';
import type { RunHost, RunWorld } from '../../src/run/world.js';
import type { Scenario } from '../../src/scenario/types.js';

/**
 * A container engine for unit tests: it replays recorded container output (the lines a real
 * Liberty printed, at their recorded offsets from launch, scaled by `speed`) with the
 * timestamps of the log lines moved to the replay's clock, serves the first HTTP response on
 * the published port once the server is "ready", and answers the probes and inspections the
 * pipeline makes. No container, no podman: the run stage, reports, compare and plan run
 * against it exactly as against podman.
 */

export interface RecordedLine {
  readonly atMs: number;
  readonly text: string;
}

/** What one start replays (see test/fixtures/recordings/README.md). */
export interface StartScript {
  readonly lines: readonly RecordedLine[];
  /** podman's State.StartedAt, ms after launch. */
  readonly startedAtMs: number;
  /** Files the harness reads from the container (messages.log, restore.log). */
  readonly files?: Readonly<Record<string, string>>;
  /** Binary files (CRIU's stats-restore, the JVM's perf data), base64. */
  readonly binaryFiles?: Readonly<Record<string, string>>;
  /** Exit by itself this many (recorded) ms after launch, with this code. */
  readonly exit?: { readonly atMs: number; readonly code: number };
  /** First HTTP response once the ready line was printed. */
  readonly http?: { readonly status: number; readonly body: string };
}

interface Recording {
  readonly startedAtMs: number;
  readonly lines: RecordedLine[];
  readonly files: Record<string, string>;
}

const RECORDINGS = path.resolve('test/fixtures/recordings');
const LOGS = path.resolve('test/fixtures/logs');

export function recording(name: string): StartScript {
  const r = JSON.parse(readFileSync(path.join(RECORDINGS, `${name}.json`), 'utf8')) as Recording;
  return { lines: r.lines, startedAtMs: r.startedAtMs, files: r.files, http: { status: 200, body: 'Hello, World!' } };
}

/** A start whose restore fell back to a cold start (Liberty's own fallback output, test/fixtures/logs/restore-fallback). */
export function fallbackScript(): StartScript {
  const output = readFileSync(path.join(LOGS, 'restore-fallback', 'output.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const lines = output.map((text, i) => ({ atMs: 300 + i * 40, text }));
  return {
    lines,
    startedAtMs: 150,
    files: {
      '/logs/messages.log': readFileSync(path.join(LOGS, 'restore-fallback', 'messages.log'), 'utf8'),
      '/logs/checkpoint/restore.log': readFileSync(path.join(LOGS, 'restore-fallback', 'restore.log'), 'utf8'),
    },
    http: { status: 200, body: 'Hello, World!' },
  };
}

/** A server that prints its launch lines and never becomes ready. */
export function hangScript(): StartScript {
  const cold = recording('pingperf-cold');
  return { ...cold, lines: cold.lines.filter((l) => !l.text.includes('CWWKF0011I') && !l.text.includes('CWWKZ0001I')) };
}

/** A server that exits with an error before it is ready. */
export function crashScript(): StartScript {
  const cold = recording('pingperf-cold');
  return { ...cold, lines: cold.lines.slice(0, 5), exit: { atMs: 400, code: 1 } };
}

const LOG_TIME = /^\[\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}\]/;
const logTime = (ms: number): string => `[${new Date(ms).toISOString().replace('Z', '+0000')}]`;

interface Live {
  readonly spec: RunSpec;
  readonly launchMs: number;
  readonly script: StartScript | undefined;
  readonly timers: NodeJS.Timeout[];
  server?: http.Server;
  finish(code: number): void;
  readonly cpus: string;
}

export type ScriptFor = (spec: RunSpec, startIndex: number) => StartScript;

export class FakeEngine extends TrackedContainers implements Engine {
  private readonly containers = new Map<string, Live>();
  /** Every attached start, in order: the image each ran. */
  readonly starts: RunSpec[] = [];
  readonly removed: string[] = [];

  /** Probes this engine ran (not read back from its in-memory cache): kind and image ID. */
  readonly probesRun: string[] = [];
  private readonly probes = new ProbeCache();

  constructor(
    private readonly scriptFor: ScriptFor,
    private readonly speed = 0.02,
    readonly owner?: string,
  ) {
    super();
  }

  async cachedProbe<T>(imageId: string, kind: string, probe: () => Promise<T>): Promise<T> {
    return this.probes.get('fake', imageId, kind, () => {
      this.probesRun.push(`${kind} ${imageId}`);
      return probe();
    });
  }

  runAttached(spec: RunSpec): AttachedContainer {
    const script = this.scriptFor(spec, this.starts.length);
    this.starts.push(spec);
    this.track(spec.name);
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    let resolveExit: (r: { exitCode: number | undefined }) => void = () => undefined;
    const exited = new Promise<{ exitCode: number | undefined }>((r) => {
      resolveExit = r;
    });
    const launchMs = Date.now();
    const entry: Live = {
      spec,
      launchMs,
      script,
      timers: [],
      cpus: spec.pinning?.cpus ?? '0-1',
      finish: (code) => {
        if (done) return;
        done = true;
        for (const t of entry.timers) clearTimeout(t);
        entry.server?.close();
        wake?.();
        resolveExit({ exitCode: code });
      },
    };
    this.containers.set(spec.name, entry);
    const port = Number(spec.publish?.[0]?.hostPort);
    for (const line of script.lines) {
      entry.timers.push(
        setTimeout(() => {
          // The line's own timestamp is when the script says it is written, not when this timer happened to fire: the
          // replayed figures do not depend on how loaded the machine running the tests is.
          const text = line.text.replace(LOG_TIME, logTime(launchMs + line.atMs * this.speed));
          queue.push(text);
          if (text.includes('CWWKF0011I') && script.http && Number.isFinite(port))
            entry.server = serve(port, script.http);
          wake?.();
        }, line.atMs * this.speed),
      );
    }
    if (script.exit)
      entry.timers.push(setTimeout(() => entry.finish(script.exit?.code ?? 1), script.exit.atMs * this.speed));
    const lines = (async function* () {
      for (;;) {
        while (queue.length > 0) yield queue.shift() as string;
        if (done) return;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    })();
    return { lines, exited, kill: () => entry.finish(137) };
  }

  async runToExit(): Promise<ExitResult> {
    throw new Error('the fake engine does not take checkpoints (the fake world provides the images)');
  }
  async runDetached(spec: RunSpec): Promise<void> {
    this.track(spec.name);
    this.containers.set(spec.name, {
      spec,
      launchMs: Date.now(),
      script: undefined,
      timers: [],
      cpus: spec.pinning?.cpus ?? '0',
      finish: () => undefined,
    });
  }
  async runOnce(opts: { entrypoint: string; args?: readonly string[] }): Promise<ExitResult> {
    const text =
      opts.entrypoint === 'grep'
        ? 'CapBnd:\t00000000a80425fb\n'
        : 'openjdk version "25.0.5" 2025-10-21\ncriu: Version: 4.2.1\nglibc: glibc 2.41\n';
    return { exitCode: 0, timedOut: false, stdout: text, all: text };
  }
  async createContainer(spec: RunSpec): Promise<void> {
    await this.runDetached(spec);
  }
  async execIn(): Promise<ExitResult> {
    return { exitCode: 0, timedOut: false, stdout: '', all: '' };
  }
  async containerState(name: string): Promise<{ pid?: number; startedAtIso?: string } | undefined> {
    const c = this.containers.get(name);
    if (!c) return undefined;
    const startedAt = c.launchMs + (c.script?.startedAtMs ?? 100) * this.speed;
    return { pid: 4242, startedAtIso: new Date(startedAt).toISOString() };
  }
  async containerCpuMs(): Promise<number | undefined> {
    return undefined; // no cgroup to read: the foreign-load figure is then absent, never zero
  }
  async processStatus(name: string): Promise<ProcessStatus | undefined> {
    const c = this.containers.get(name);
    return c ? { vmRssKb: 220_000, vmHwmKb: 230_000, cpusAllowedList: c.cpus } : undefined;
  }
  async logs(name: string): Promise<string> {
    return (this.containers.get(name)?.script?.lines ?? []).map((l) => l.text).join('\n');
  }
  async readContainerFile(name: string, file: string): Promise<string | undefined> {
    const c = this.containers.get(name);
    if (!c?.script) return undefined;
    if (file.endsWith('/restoreTime') && c.script.files?.['/logs/checkpoint/restore.log'] !== undefined)
      return String(Math.round(c.launchMs + 300 * this.speed));
    return c.script.files?.[file];
  }
  async readContainerBytes(name: string, file: string): Promise<Buffer | undefined> {
    const c = this.containers.get(name);
    const b64 = c?.script?.binaryFiles?.[file];
    if (b64 !== undefined) return Buffer.from(b64, 'base64');
    const text = await this.readContainerFile(name, file);
    return text === undefined ? undefined : Buffer.from(text, 'utf8');
  }
  async listContainerDir(name: string, dir: string): Promise<string[]> {
    const c = this.containers.get(name);
    const prefix = `${dir.replace(/\/$/, '')}/`;
    const paths = [...Object.keys(c?.script?.files ?? {}), ...Object.keys(c?.script?.binaryFiles ?? {})].filter((p) =>
      p.startsWith(prefix),
    );
    return [...new Set(paths.map((p) => p.slice(prefix.length).split('/')[0] as string))];
  }
  async copyFromContainer(): Promise<boolean> {
    return false;
  }
  async stopContainer(name: string): Promise<void> {
    this.containers.get(name)?.finish(0);
  }
  async removeContainer(name: string): Promise<void> {
    const c = this.containers.get(name);
    if (c) {
      c.finish(137);
      this.containers.delete(name);
      this.removed.push(name);
    }
    this.untrack(name);
  }
  async containersWithOwners(): Promise<OwnedContainer[]> {
    return [...this.containers.values()].map((c) => ({ name: c.spec.name, owner: this.owner, state: 'running' }));
  }
  async imageExists(): Promise<boolean> {
    return true;
  }
  async imageId(ref: string): Promise<string> {
    return `sha256:fake-${ref.replace(/[^a-z0-9]/g, '')}`;
  }
  async imageSizeBytes(): Promise<number> {
    return 900_000_000;
  }
  async imageLabels(): Promise<Record<string, string>> {
    return { [LABEL_TOOL]: 'instanton', ...(this.owner ? { [LABEL_OWNER]: this.owner } : {}) };
  }
  async untagImage(): Promise<void> {}
  async tagImage(): Promise<void> {}
  async imageHistory(): Promise<string[]> {
    return [];
  }
  async pullImage(): Promise<{ ok: boolean; error: string }> {
    return { ok: false, error: 'the fake engine does not pull images' };
  }
  async pushImage(): Promise<string> {
    throw new Error('the fake engine does not push images');
  }
  async pullByDigest(): Promise<void> {
    throw new Error('the fake engine does not pull images');
  }
  async saveImage(): Promise<void> {
    throw new Error('the fake engine does not save images');
  }
  async loadImage(): Promise<string> {
    throw new Error('the fake engine does not load images');
  }
  async imageTagsOf(): Promise<string[]> {
    return [];
  }
  async removeUnusedImage(): Promise<boolean> {
    return false;
  }
  async commitContainer(): Promise<void> {
    throw new Error('the fake engine does not commit images');
  }
  async buildImage(_build: ImageBuild): Promise<{ exitCode: number | undefined; timedOut: boolean; tail: string[] }> {
    throw new Error('the fake engine does not build images (the fake world provides them)');
  }
  async importRootfs(): Promise<void> {
    throw new Error('the fake engine does not import images');
  }
  async exportFilesystem(): Promise<void> {
    throw new Error('the fake engine does not export filesystems');
  }
  async withImageMounted<T>(): Promise<T | undefined> {
    return undefined;
  }
  async imageLayerChanges(): Promise<string[]> {
    return [];
  }
  async imageRunConfig(): Promise<{
    env: string[];
    entrypoint: string[];
    cmd: string[];
    workingDir: string;
    user: string;
  }> {
    return { env: [], entrypoint: [], cmd: [], workingDir: '', user: '' };
  }
  async copyTarIntoContainer(): Promise<void> {
    throw new Error('the fake engine does not copy files');
  }
  async ensureNetwork(): Promise<void> {}
  async version(): Promise<string> {
    return '4.3.1-fake';
  }
}

function serve(port: number, reply: { status: number; body: string }): http.Server {
  const server = http.createServer((_req, res) => {
    res.writeHead(reply.status, { 'content-type': 'text/plain', connection: 'close' });
    res.end(reply.body);
  });
  server.listen(port, '127.0.0.1');
  return server;
}

/** The images a fake build "made": tags only, with the provenance a real build records. */
export function fakeImages(scenario: Scenario): ScenarioImages {
  const fingerprint = { kernel: 'fake', cpuModel: 'fake', takenAt: '2026-11-23T00:00:00Z' };
  const ck = (phase: 'beforeAppStart' | 'afterAppStart') => ({
    phase,
    tag: `localhost/fake/${scenario.name}-${phase.toLowerCase()}`,
    checkpointMs: 4000,
    addedBytes: 200_000_000,
    serverCapabilities: [],
    fingerprint,
    built: false,
  });
  return {
    scenario: scenario.name,
    profile: 'local',
    baseImage: 'localhost/fake/base',
    libertyImage: 'localhost/fake/liberty',
    appImage: `localhost/fake/${scenario.name}`,
    libertyVersion: '26.0.0.3',
    appSha256: 'fake',
    primed: true,
    checkpoints: { beforeAppStart: ck('beforeAppStart'), afterAppStart: ck('afterAppStart') },
    aotCache: {
      tag: `localhost/fake/${scenario.name}-aotcache`,
      cacheBytes: 69_558_272,
      addedBytes: 80_000_000,
      trainingMs: 20_000,
      built: false,
    },
  };
}

/**
 * A start of the AOT-cache image: the recorded cold start with the JVM's -Xlog:aot file and
 * its perf data (a real HotSpot 25 file of a start with the cache: 7825 classes from it).
 */
export function aotCacheScript(): StartScript {
  const cold = recording('pingperf-cold');
  return {
    ...cold,
    files: {
      ...cold.files,
      '/tmp/instanton-bench-aot.log':
        '[0.007s][info][aot] Opened AOT cache /opt/ib/aot/app.aot.\n[0.007s][info][aot] Mapped static  region #0 at base 0x1 top 0x2 (ReadWrite)\n',
    },
    binaryFiles: {
      '/tmp/hsperfdata_root/6': readFileSync(path.resolve('test/fixtures/jvm/hsperfdata-aot.bin')).toString('base64'),
    },
  };
}

export interface FakeWorld extends RunWorld {
  /** The options of every build request, in order. */
  readonly builds: BuildAllOptions[];
  /** The engine of the last run. */
  engine(): FakeEngine;
}

/** The fake host's speed: the reference host's figures (index 100). */
export const FAKE_HOST_SPEED = (cpus: string): HostSpeed => ({
  index: 100,
  reference: REFERENCE_HOST,
  cpus,
  dir: '/tmp',
  durationMs: 1000,
  parts: REFERENCE_PARTS,
});

/** The fake host's CPU: an Intel Xeon with CPUID faulting (tests of a host without it pass their own). */
export const FAKE_HOST_CPU = {
  model: 'Intel(R) Xeon(R) Processor (fake)',
  flags: ['fpu', 'sse4_2', 'avx2', 'avx512f', 'clwb', 'serialize', 'cpuid_fault'],
};

/** A world with the fake engine: scripts chosen per start, images "built" instantly, a 2-CPU host. */
export function fakeWorld(scriptFor: ScriptFor, speed = 0.02): FakeWorld {
  const builds: BuildAllOptions[] = [];
  let last: FakeEngine | undefined;
  const host: RunHost = {
    onlineCpus: async () => [0, 1],
    pinHarness: async () => true,
    foreignContainers: async () => [],
    hostSpeed: async (cpus) => ({ speed: FAKE_HOST_SPEED(cpus) }),
    cpu: async () => FAKE_HOST_CPU,
  };
  return {
    builds,
    host,
    engine: () => last as FakeEngine,
    async makeEngine(owner?: string) {
      last = new FakeEngine(scriptFor, speed, owner);
      return last;
    },
    async buildImages(_engine, kinds, _io, opts) {
      builds.push(opts);
      return new Map(kinds.map(({ scenario: s }) => [s.name, fakeImages(s)]));
    },
  };
}

/** The usual script: the recorded cold start for the app image, the recorded restore for checkpoint images. */
export const recordedStarts: ScriptFor = (spec) =>
  spec.image.includes('appstart')
    ? recording('pingperf-after-app-start')
    : spec.image.includes('aotcache')
      ? aotCacheScript()
      : recording('pingperf-cold');

/** The same start, every offset multiplied by `factor` (run-to-run variation). */
export function stretch(script: StartScript, factor: number): StartScript {
  return {
    ...script,
    startedAtMs: script.startedAtMs * factor,
    lines: script.lines.map((l) => ({ ...l, atMs: l.atMs * factor })),
    ...(script.exit ? { exit: { ...script.exit, atMs: script.exit.atMs * factor } } : {}),
  };
}
