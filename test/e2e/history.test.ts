import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureReal } from '../support/capture-io.js';
import { launchChromium } from '../support/browser.js';

/**
 * Builds over time, for real, as a nightly job on a drifting runner runs them: ten builds of Pingperf measured one at
 * a time into an embedded store, each beside a reference arm (the same image every night) as two arms of one
 * interleaved run (2 afterAppStart restores each, no warm-up); from build 7 on the build arm runs on half a CPU (a real
 * slow-down of the build alone). The trend follows each build's paired ratio to the reference, so a host that drifts
 * (a fresh VM warming up, a neighbour) moves both arms and cancels: the change point is named at build 7 and nowhere
 * else, builds 1-6 alone have none, the same series in a real PostgreSQL server, the committed reference files added
 * twice, the dashboard in Chromium, and the change confirmed by a paired sequential run.
 */
const PODMAN_LIMITS = ['--runtime', 'runc', '--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=4096:4096'];
const PG_NAME = `ib-history-pg-${process.pid}`;
const PG_PORT = 20_000 + (process.pid % 20_000);
const PG_URL = `postgres://perf:store-pw-e2e@127.0.0.1:${PG_PORT}/bench`;

let dir = '';
const builds: string[] = [];
const store = () => path.join(dir, 'store');

interface TrendJson {
  changePoints: Array<{
    build: string;
    labels: Record<string, string>;
    ratio: number;
    metric: string;
    pValue: number;
    arm: string;
  }>;
}

async function trendJson(args: readonly string[]): Promise<{ code: number; json: TrendJson }> {
  const file = path.join(dir, `trend-${Date.now()}.json`);
  const code = await runCli(['history', 'trend', ...args, '--json', file], captureReal());
  return { code, json: JSON.parse(await readFile(file, 'utf8')) as TrendJson };
}

/** The tool's own PostgreSQL image (built by the Rest CRUD scenario's build), published on the loopback only. */
async function startPostgres(): Promise<void> {
  const { stdout } = await execa('podman', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  let image = stdout.split('\n').find((l) => l.startsWith('localhost/instanton-bench/postgres:'));
  if (!image) {
    expect(await runCli(['build', '--scenario', 'rest-crud', '--variants', 'cold'], captureReal())).toBe(0);
    const again = await execa('podman', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
    image = again.stdout.split('\n').find((l) => l.startsWith('localhost/instanton-bench/postgres:'));
  }
  await execa('podman', ['rm', '-f', PG_NAME], { reject: false });
  await execa('podman', [
    'run',
    '-d',
    '--rm',
    '--name',
    PG_NAME,
    ...PODMAN_LIMITS,
    '--cpuset-cpus',
    '0',
    '-p',
    `127.0.0.1:${PG_PORT}:5432`,
    image as string,
  ]);
  for (let i = 0; i < 120; i += 1) {
    if (
      (await execa('podman', ['exec', PG_NAME, 'pg_isready', '-q', '-U', 'postgres'], { reject: false })).exitCode === 0
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await execa('podman', [
    'exec',
    PG_NAME,
    'psql',
    '-U',
    'postgres',
    '-q',
    '-c',
    "CREATE USER perf PASSWORD 'store-pw-e2e'",
    '-c',
    'CREATE DATABASE bench OWNER perf',
  ]);
}

describe('history: ten real builds, a store, change points, a dashboard, a confirmation', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ib-history-'));
    for (let n = 1; n <= 10; n += 1) {
      const out = path.join(dir, `build-${n}.json`);
      const args = ['run', '--scenario', 'pingperf', '--variants', 'afterAppStart', '--runs', '2', '--warmup', '0'];
      args.push('--no-host-speed');
      args.push('--arm', 'ref', '--arm', n >= 7 ? 'build:cpus=0.5' : 'build', '--reference', 'ref', '--out', out);
      args.push('--store', store(), '--label', `build=${n}`);
      expect(await runCli(args, captureReal())).toBe(0);
      builds.push(out);
    }
  });

  afterAll(async () => {
    await execa('podman', ['rm', '-f', PG_NAME], { reject: false });
  });

  it('names build 7 and nothing else, and the nightly gate fails; builds 1-6 alone pass', async () => {
    const { code, json } = await trendJson(['--store', store(), '--fail-on-change']);
    expect(code).toBe(1);
    expect(json.changePoints.length).toBeGreaterThan(0);
    for (const c of json.changePoints) {
      expect(c.labels.build).toBe('7');
      expect(c.ratio).toBeGreaterThan(1.05);
      expect(c.arm).toBe('build/ref');
    }
    const early = path.join(dir, 'early');
    expect(await runCli(['history', 'add', ...builds.slice(0, 6), '--store', early], captureReal())).toBe(0);
    const quiet = await trendJson(['--store', early, '--fail-on-change']);
    expect(quiet.code).toBe(0);
    expect(quiet.json.changePoints).toEqual([]);
  });

  it('finds the same change point in a PostgreSQL store', async () => {
    await startPostgres();
    expect(await runCli(['history', 'add', ...builds, '--store', PG_URL], captureReal())).toBe(0);
    const embedded = await trendJson(['--store', store()]);
    const shared = await trendJson(['--store', PG_URL]);
    expect(shared.json.changePoints.map((c) => [c.metric, c.build, c.ratio.toFixed(6), c.pValue])).toEqual(
      embedded.json.changePoints.map((c) => [c.metric, c.build, c.ratio.toFixed(6), c.pValue]),
    );
  });

  it('adds the committed reference files once: the second add adds nothing', async () => {
    const refs = ['results/reference/blog-trio.json', 'results/reference/aa-pingperf.json'];
    const refStore = path.join(dir, 'refs');
    const first = captureReal();
    expect(await runCli(['history', 'add', ...refs, '--store', refStore], first)).toBe(0);
    expect(first.text()).toContain('2 run(s) added, 0 already in the store');
    const second = captureReal();
    expect(await runCli(['history', 'add', ...refs, '--store', refStore], second)).toBe(0);
    expect(second.text()).toContain('0 run(s) added, 2 already in the store');
    expect(second.text()).toMatch(/blog-trio\.json: already in the embedded store .* nothing added/);
  });

  it('confirms the change with a paired run (a regression), and the dashboard shows it in Chromium', async () => {
    const confirm = captureReal();
    const out = path.join(dir, 'confirm.json');
    const code = await runCli(['history', 'confirm', '--store', store(), '--metric', 'readyMs', '--out', out], confirm);
    expect(confirm.text()).toMatch(/history: arms before:cold-state=primed and after:cold-state=primed,cpus=0\.5/);
    expect(confirm.text()).toMatch(/history: change 1 .*: regression: after\/before/);
    expect(code).toBe(1);
    const report = path.join(dir, 'dashboard');
    expect(await runCli(['history', 'report', '--store', store(), '--out', report], captureReal())).toBe(0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${path.join(report, 'index.html')}`);
      const marked = await page.$$eval('figure svg text', (ts) => ts.map((t) => t.textContent ?? ''));
      expect(marked.some((t) => /slower/.test(t))).toBe(true);
      const hover = await page.$$eval('figure svg title', (ts) => ts.map((t) => t.textContent ?? ''));
      expect(hover.some((t) => t.includes('labels: build=7'))).toBe(true);
      expect(await page.$$eval('a', (as) => as.length)).toBeGreaterThanOrEqual(10);
      expect(await page.textContent('table.confirmations')).toContain('regression');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
