import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/core/io.js';
import { runCli } from '../../../src/cli/main.js';

/**
 * Bad input never builds or runs anything: it ends with exit 2 and a one-line reason
 * (plus a "fix:" line), before any container starts or any results file is written.
 * The table holds every case found so far (issue 12's list and the earlier ones), each with
 * its exact first line.
 */
const FIXTURE = path.resolve('test/fixtures/results/pingperf-3-variants.json');
let dir = '';
const valid = {
  name: 'x',
  app: { war: 'a.war', deployAs: 'x.war' },
  server: { serverXml: 'server.xml' },
  firstResponse: { path: '/' },
};

async function scenario(name: string, content: unknown): Promise<string> {
  const d = path.join(dir, name);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(d, { recursive: true });
  await writeFile(path.join(d, 'server.xml'), '<server/>');
  await writeFile(path.join(d, 'a.war'), 'PK');
  await writeFile(path.join(d, 'scenario.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return d;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ib-bad-'));
  await writeFile(path.join(dir, 'not-json.json'), '{ oops');
  await writeFile(path.join(dir, 'foreign.json'), JSON.stringify({ kind: 'hyperfine', results: [] }));
  await writeFile(
    path.join(dir, 'future.json'),
    JSON.stringify({ kind: 'instanton-bench/results', schemaVersion: 99, runs: [] }),
  );
  await scenario('bad-port', { ...valid, httpPort: 70000 });
  await scenario('bad-json', '{ "name": ');
  await scenario('unknown-field', { ...valid, colour: 'blue' });
  await scenario('missing-war', { ...valid, app: { war: 'nope.war', deployAs: 'x.war' } });
  await scenario('bad-path', { ...valid, firstResponse: { path: 'no-slash' } });
  await scenario('bad-method', { ...valid, load: { requests: [{ method: 'FETCH', path: '/' }] } });
  const good = JSON.parse(await readFile(FIXTURE, 'utf8')) as {
    environment?: unknown;
    config?: Record<string, unknown>;
    runs: Array<Record<string, unknown>>;
    state?: string;
  };
  const variant = async (name: string, change: (d: typeof good) => void): Promise<void> => {
    const d = structuredClone(good);
    change(d);
    await writeFile(path.join(dir, name), JSON.stringify(d));
  };
  await variant('bad-run.json', (d) => (d.runs[0] = { ...d.runs[0], status: 'great' }));
  await variant('no-order.json', (d) => delete d.config?.order);
  await variant('no-cpus.json', (d) => delete d.runs[2]?.cpus);
  await variant('no-environment.json', (d) => delete d.environment);
  await variant('no-config.json', (d) => delete d.config);
  await variant('negative.json', (d) => ((d.runs[1]?.metrics as Record<string, number>).readyMs = -13));
  await variant('interrupted.json', (d) => (d.state = 'interrupted'));
  await mkdir(path.join(dir, 'a-directory.json'));
  await scenario('newline-key', {
    ...valid,
    server: { serverXml: 'server.xml', files: { 'lib/x.jar\nRUN rm -rf /': 'a.war' } },
  });
  await scenario('huge-timeout', { ...valid, readyTimeoutMs: 3_000_000_000 });
  await scenario('tiny-timeout', { ...valid, readyTimeoutMs: 1 });
  await scenario('bad-service', {
    ...valid,
    services: [{ kind: 'mysql', alias: 'db', database: 'd', user: 'u', password: 'p' }],
  });
});

function capture(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    out: (t) => lines.push(t),
    err: (t) => lines.push(...t.split('\n')),
    cwd: '/',
    env: {},
    interactive: false,
    lines,
  };
}

const CASES: Array<[string, () => string[], RegExp]> = [
  ['runs zero', () => ['run', '--runs', '0'], /^error\[E_USAGE\]: --runs 0: must be between 1 and 10000$/],
  ['runs not a number', () => ['run', '--runs', 'many'], /^error\[E_USAGE\]: --runs many: expected a whole number$/],
  ['negative warmup', () => ['run', '--warmup', '-2'], /^error\[E_USAGE\]: --warmup -2: must be between 0 and 10000$/],
  ['unknown variant', () => ['run', '--variants', 'cold,tepid'], /^error\[E_USAGE\]: unknown variant "tepid"$/],
  [
    'removed beta phase',
    () => ['run', '--variants', 'features'],
    /^error\[E_USAGE\]: variant "features" was a checkpoint phase of the 2022 InstantOn beta only/,
  ],
  [
    'aotCache on a JDK without AOTCacheOutput',
    () => ['run', '--variants', 'cold,aotCache', '--arm', 'base', '--arm', 'old:jdk=21'],
    /^error\[E_USAGE\]: --arm old: jdk: 21 has no one-step AOT cache: -XX:AOTCacheOutput \(JEP 514\) arrived in Java 25$/,
  ],
  [
    'unknown cold state',
    () => ['run', '--cold-state', 'frozen'],
    /^error\[E_USAGE\]: --cold-state frozen: unknown state$/,
  ],
  [
    'clean cold state without cold',
    () => ['run', '--cold-state', 'clean', '--variants', 'afterAppStart'],
    /^error\[E_USAGE\]: --cold-state clean changes only the cold variant, which --variants leaves out$/,
  ],
  [
    'unknown checkpoint JVM',
    () => ['run', '--arm', 'base', '--arm', 'x:checkpoint-from=semeru'],
    /^error\[E_USAGE\]: --arm x: checkpoint-from: "semeru" is not a JVM to checkpoint$/,
  ],
  [
    'unknown CPU level',
    () => ['run', '--arm', 'base', '--arm', 'x:cpu-baseline=x86-64-v4'],
    /^error\[E_USAGE\]: --arm x: cpu-baseline: "x86-64-v4" is not a CPU level$/,
  ],
  [
    'ramp-up longer than the timeout',
    () => ['run', '--ramp-up', '500'],
    /^error\[E_USAGE\]: --ramp-up 500: longer than scenario pingperf's timeout \(180 s\) allows$/,
  ],
  [
    'aotCache of an image scenario',
    () => ['run', '--scenario', path.resolve('scenarios/examples/containerfile'), '--variants', 'cold,aotCache'],
    /^error\[E_SCENARIO\]: .*scenarios\/examples\/containerfile\/scenario\.json: image: the aotCache variant trains/,
  ],
  [
    'cpu-baseline on an image scenario',
    () => [
      'run',
      '--scenario',
      path.resolve('scenarios/examples/containerfile'),
      '--arm',
      'base',
      '--arm',
      'v2:cpu-baseline=x86-64-v2',
    ],
    /^error\[E_USAGE\]: --arm v2: cpu-baseline: .*scenarios\/examples\/containerfile\/scenario\.json measures an image/,
  ],
  [
    'cpu-baseline with the AOT cache',
    () => ['run', '--variants', 'cold,aotCache', '--arm', 'base', '--arm', 'v2:cpu-baseline=x86-64-v2'],
    /^error\[E_USAGE\]: --arm v2: cpu-baseline: the AOT cache is trained by a JVM the limit does not reach$/,
  ],
  [
    'ramp-up concurrency 0',
    () => ['run', '--ramp-up', '10', '--ramp-concurrency', '0'],
    /^error\[E_USAGE\]: --ramp-concurrency 0: must be between 1 and 256$/,
  ],
  ['unknown scenario', () => ['run', '--scenario', 'petclinic'], /^error\[E_SCENARIO\]: unknown scenario "petclinic"$/],
  ['unknown suite', () => ['run', '--suite', 'everything'], /^error\[E_USAGE\]: unknown suite "everything"$/],
  [
    'CPU that does not exist',
    () => ['run', '--server-cpus', '64'],
    /^error\[E_PINNING\]: --server-cpus 64: CPU 64 does not exist/,
  ],
  [
    'malformed CPU list',
    () => ['run', '--server-cpus', '1-x'],
    /^error\[E_PINNING\]: bad CPU list "1-x": "1-x" is not N or N-M$/,
  ],
  [
    'bad pin method',
    () => ['run', '--pin', 'numactl'],
    /^error: option '--pin <method>' argument 'numactl' is invalid/,
  ],
  [
    'scenario port out of range',
    () => ['run', '--scenario', path.join(dir, 'bad-port')],
    /^error\[E_SCENARIO\]: \S+\/bad-port\/scenario\.json: httpPort: Too big: expected number to be <=65535 \(found 70000\)$/,
  ],
  [
    'scenario not JSON',
    () => ['run', '--scenario', path.join(dir, 'bad-json')],
    /^error\[E_SCENARIO\]: .*bad-json\/scenario\.json is not valid JSON/,
  ],
  [
    'scenario unknown field',
    () => ['run', '--scenario', path.join(dir, 'unknown-field')],
    /^error\[E_SCENARIO\]: \S+\/unknown-field\/scenario\.json: \(top level\): unknown field\(s\) "colour"$/,
  ],
  [
    'scenario WAR missing',
    () => ['run', '--scenario', path.join(dir, 'missing-war')],
    /^error\[E_SCENARIO\]: .*: app\.war: expected an existing file, found nothing at /,
  ],
  [
    'scenario bad first-response path',
    () => ['run', '--scenario', path.join(dir, 'bad-path')],
    /^error\[E_SCENARIO\]: \S+\/bad-path\/scenario\.json: firstResponse\.path: must start with "\/" \(found "no-slash"\)$/,
  ],
  [
    'scenario unknown service kind',
    () => ['run', '--scenario', path.join(dir, 'bad-service')],
    /^error\[E_SCENARIO\]: \S+\/bad-service\/scenario\.json: services\.0\.kind: /,
  ],
  [
    'scenario directory missing',
    () => ['run', '--scenario', '/nonexistent/scenario'],
    /^error\[E_SCENARIO\]: scenario directory \/nonexistent\/scenario does not exist$/,
  ],
  [
    'report of a missing file',
    () => ['report', '/nonexistent.json'],
    /^error\[E_RESULTS\]: cannot read \/nonexistent\.json: ENOENT$/,
  ],
  [
    'report of a non-JSON file',
    () => ['report', path.join(dir, 'not-json.json')],
    /^error\[E_RESULTS\]: .*not-json\.json is not valid JSON/,
  ],
  [
    'report of a foreign file',
    () => ['report', path.join(dir, 'foreign.json')],
    /^error\[E_RESULTS\]: .*foreign\.json: kind: expected "instanton-bench\/results", found "hyperfine"$/,
  ],
  [
    'compare with a newer schema',
    () => ['compare', path.join(dir, 'future.json'), path.join(dir, 'future.json')],
    /^error\[E_RESULTS\]: .*future\.json: schemaVersion: expected 1, found 99$/,
  ],
  [
    'plan with a bad run status',
    () => ['plan', path.join(dir, 'bad-run.json')],
    /^error\[E_RESULTS\]: .*bad-run\.json: runs\[0\]\.status: expected one of ok, failed, timed-out, fallback, found "great"$/,
  ],
  [
    'compare threshold out of range',
    () => ['compare', path.join(dir, 'future.json'), path.join(dir, 'future.json'), '--threshold', '150'],
    /^error\[E_USAGE\]: --threshold 150: expected a percentage from 0 to 99$/,
  ],
  [
    'plan negative rate',
    () => ['plan', path.join(dir, 'bad-run.json'), '--arrival-rate', '-1'],
    /^error\[E_USAGE\]: --arrival-rate -1: expected a positive number up to 1000000$/,
  ],
  // issue 27: inputs that cannot give a meaningful answer
  [
    'plan with an arrival rate no model can take',
    () => ['plan', path.join(dir, 'bad-run.json'), '--arrival-rate', '1e308'],
    /^error\[E_USAGE\]: --arrival-rate 1e308: expected a positive number up to 1000000$/,
  ],
  [
    '--baseline-arm with two files',
    () => ['compare', path.join(dir, 'future.json'), path.join(dir, 'future.json'), '--baseline-arm', 'a'],
    /^error\[E_USAGE\]: --baseline-arm a: applies to one file with A\/B arms, not to two files$/,
  ],
  [
    'diagnose a directory without logs',
    () => ['diagnose', dir],
    /^error\[E_USAGE\]: diagnose .*: no restore\.log, checkpoint\.log, dump\.log, messages\.log, console\.log or output\.txt under /,
  ],
  [
    'max-runs below runs',
    () => ['run', '--runs', '5', '--max-runs', '2', '--target-ci', '5'],
    /^error\[E_USAGE\]: --max-runs 2 is below --runs 5$/,
  ],
  [
    'max-runs without a target',
    () => ['run', '--max-runs', '20'],
    /^error\[E_USAGE\]: --max-runs 20 without --target-ci: /,
  ],
  [
    'target-ci out of range',
    () => ['run', '--target-ci', '0'],
    /^error\[E_USAGE\]: --target-ci 0: must be between 1 and 100$/,
  ],
  [
    'resume a missing file',
    () => ['run', '--resume', '/nonexistent.json'],
    /^error\[E_RESULTS\]: cannot read \/nonexistent\.json: ENOENT$/,
  ],
  // issue 12
  [
    'huge CPU range',
    () => ['run', '--server-cpus', '0-100000000'],
    /^error\[E_PINNING\]: bad CPU list "0-100000000": CPU 100000000 is beyond any Linux CPU number \(at most 8191\)$/,
  ],
  [
    '--out naming a directory',
    () => ['run', '--out', path.join(dir, 'a-directory.json')],
    /^error\[E_USAGE\]: --out .*a-directory\.json: is a directory$/,
  ],
  [
    '--out under a file',
    () => ['run', '--out', '/etc/hostname/r.json'],
    /^error\[E_USAGE\]: --out \/etc\/hostname\/r\.json: cannot write there \((ENOTDIR|EEXIST)\)$/,
  ],
  [
    'compare --markdown unwritable',
    () => ['compare', FIXTURE, FIXTURE, '--markdown', '/etc/hostname/x.md'],
    /^error\[E_USAGE\]: --markdown \/etc\/hostname\/x\.md: cannot write there \((ENOTDIR|EEXIST)\)$/,
  ],
  [
    'compare --json unwritable',
    () => ['compare', FIXTURE, FIXTURE, '--json', '/etc/hostname/x.json'],
    /^error\[E_USAGE\]: --json \/etc\/hostname\/x\.json: cannot write there \((ENOTDIR|EEXIST)\)$/,
  ],
  [
    'compare --bencher into a directory',
    () => ['compare', FIXTURE, FIXTURE, '--bencher', dir],
    /^error\[E_USAGE\]: --bencher .*: is a directory$/,
  ],
  [
    'report --out a file',
    () => ['report', FIXTURE, '--out', '/etc/hostname'],
    /^error\[E_USAGE\]: --out \/etc\/hostname: is a file, not a directory$/,
  ],
  [
    'results without config.order',
    () => ['report', path.join(dir, 'no-order.json')],
    /^error\[E_RESULTS\]: .*no-order\.json: config\.order: expected an array of planned starts, found nothing$/,
  ],
  [
    'results without runs[].cpus',
    () => ['compare', path.join(dir, 'no-cpus.json'), FIXTURE],
    /^error\[E_RESULTS\]: .*no-cpus\.json: runs\[2\]\.cpus: expected an object, found nothing$/,
  ],
  [
    'results without environment',
    () => ['plan', path.join(dir, 'no-environment.json')],
    /^error\[E_RESULTS\]: .*no-environment\.json: environment: expected an object, found nothing$/,
  ],
  [
    'results without config',
    () => ['run', '--resume', path.join(dir, 'no-config.json')],
    /^error\[E_RESULTS\]: .*no-config\.json: config: expected an object, found nothing$/,
  ],
  [
    'results with a negative time',
    () => ['report', path.join(dir, 'negative.json')],
    /^error\[E_RESULTS\]: .*negative\.json: runs\[1\]\.metrics\.readyMs: expected a number >= 0, found -13$/,
  ],
  [
    '--resume with flags it would ignore',
    () => [
      'run',
      '--resume',
      path.join(dir, 'interrupted.json'),
      '--runs',
      '1',
      '--variants',
      'cold',
      '--out',
      'other.json',
    ],
    /^error\[E_USAGE\]: --resume takes the plan from the results file; it would ignore --runs, --variants, --out$/,
  ],
  [
    'newline in a server.files key',
    () => ['run', '--scenario', path.join(dir, 'newline-key')],
    /^error\[E_SCENARIO\]: \S+\/newline-key\/scenario\.json: server\.files\."lib\/x\.jar\\nRUN rm -rf \/": this key must not contain control characters/,
  ],
  [
    'scenario timeout beyond 1 h',
    () => ['run', '--scenario', path.join(dir, 'huge-timeout')],
    /^error\[E_SCENARIO\]: \S+\/huge-timeout\/scenario\.json: readyTimeoutMs: at most 3600000 ms \(1 h\) \(found 3000000000\)$/,
  ],
  [
    'scenario timeout below 1 s',
    () => ['run', '--scenario', path.join(dir, 'tiny-timeout')],
    /^error\[E_SCENARIO\]: \S+\/tiny-timeout\/scenario\.json: readyTimeoutMs: at least 1000 ms \(1 s\) \(found 1\)$/,
  ],
  [
    '--ready-timeout beyond 1 h',
    () => ['run', '--ready-timeout', '3000000000'],
    /^error\[E_USAGE\]: --ready-timeout 3000000000: must be between 1000 and 3600000$/,
  ],
];

/** The detail lines of scenario errors: the field and the reason. */
const DETAILS: Array<[string, string, string]> = [
  [
    'newline in a server.files key',
    'newline-key',
    'newline-key/scenario.json: server.files."lib/x.jar\\nRUN rm -rf /": this key must not contain control characters (newline, tab, ...)',
  ],
  ['scenario timeout beyond 1 h', 'huge-timeout', 'readyTimeoutMs: at most 3600000 ms (1 h) (found 3000000000)'],
  ['scenario timeout below 1 s', 'tiny-timeout', 'readyTimeoutMs: at least 1000 ms (1 s) (found 1)'],
  ['the fix names the key path and an example that uses it', 'bad-path', 'fix: correct firstResponse.path in'],
  ['an unknown field: remove or rename it', 'unknown-field', 'fix: remove or rename "colour" of'],
  [
    'a load request with an unknown method',
    'bad-method',
    'bad-method/scenario.json: load.requests.0.method: one of GET, POST, PUT, DELETE, PATCH, HEAD (found "FETCH")',
  ],
];

describe('malformed inputs', () => {
  it.each(CASES)('%s: exit 2 with a one-line reason', async (_name, argv, first) => {
    const io = capture();
    expect(await runCli(argv(), io)).toBe(2);
    expect(io.lines[0]).toMatch(first);
  });

  it.each(DETAILS)('%s: names the field and the reason', async (_name, sub, detail) => {
    const io = capture();
    expect(await runCli(['run', '--scenario', path.join(dir, sub)], io)).toBe(2);
    expect(io.lines.join('\n')).toContain(detail);
  });

  it('compare of a file with itself says so and passes', async () => {
    const io = capture();
    expect(await runCli(['compare', FIXTURE, FIXTURE], io)).toBe(0);
    expect(io.lines.join('\n')).toContain('WARNING: baseline and candidate are the same file');
  });

  it('refuses what the scenario files say against the options before it takes the machine or the results file', async () => {
    const { lockResults } = await import('../../../src/results/lock.js');
    const out = path.join(dir, 'held.json');
    const held = await lockResults(out, 'another run');
    try {
      const io = capture();
      expect(await runCli(['run', '--ramp-up', '500', '--out', out], io)).toBe(2);
      expect(io.lines[0]).toMatch(/^error\[E_USAGE\]: --ramp-up 500: longer than scenario pingperf's timeout/);
    } finally {
      await held.release();
    }
  });

  it('names the field, the expectation and what was found inside a scenario file', async () => {
    const io = capture();
    await runCli(['run', '--scenario', path.join(dir, 'bad-port')], io);
    expect(io.lines.join('\n')).toContain(
      'bad-port/scenario.json: httpPort: Too big: expected number to be <=65535 (found 70000)',
    );
  });
});
