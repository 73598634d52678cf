import { serverScenario } from '../../support/server-scenario.js';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, ScenarioError, type BenchError } from '../../../src/core/errors.js';
import { loadScenario } from '../../../src/scenario/load.js';

async function scenarioDir(
  content: unknown,
  files: Record<string, string> = { 'server.xml': '<server/>' },
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-scn-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await writeFile(path.join(dir, 'scenario.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const valid = {
  name: 'mine',
  app: { war: 'app.war', deployAs: 'mine.war' },
  server: { serverXml: 'server.xml' },
  firstResponse: { path: '/mine/' },
};

async function errorOf(dir: string): Promise<ScenarioError> {
  try {
    serverScenario(await loadScenario(dir, '/'));
  } catch (error) {
    return error as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('loadScenario', () => {
  it('loads the built-in pingperf scenario with absolute paths and defaults', async () => {
    const s = serverScenario(await loadScenario('pingperf', '/'));
    expect(s.name).toBe('pingperf');
    expect(s.app.kind).toBe('maven');
    expect(s.httpPort).toBe(9080);
    expect(s.firstResponse.path).toBe('/pingperf/ping/greeting?name=World');
    expect(path.isAbsolute(s.server.serverXml)).toBe(true);
  });

  it('loads a scenario directory outside the repository', async () => {
    const dir = await scenarioDir(valid, { 'server.xml': '<server/>', 'app.war': 'PK' });
    const s = serverScenario(await loadScenario(dir, '/'));
    expect(s.app).toEqual({ kind: 'war', warFile: path.join(dir, 'app.war'), deployAs: 'mine.war' });
    expect(s.firstResponse.expectStatus).toBe(200);
  });

  it('names an unknown built-in scenario and lists the known ones', async () => {
    const e = await errorOf('no-such-scenario');
    expect(e.message).toBe('unknown scenario "no-such-scenario"');
    expect(e.remedy).toMatch(/pingperf/);
  });

  it('names the file, the field, the expectation and what was found', async () => {
    const dir = await scenarioDir(
      { ...valid, httpPort: 'eighty', name: 'Bad Name' },
      { 'server.xml': '', 'app.war': '' },
    );
    const e = await errorOf(dir);
    const file = path.join(dir, 'scenario.json');
    expect(e.message).toContain(
      `${file}: name: lower-case letters, digits and "-", at most 41 characters (found "Bad Name")`,
    );
    expect(e.message).toContain(`${file}: httpPort: Invalid input: expected number, received string (found "eighty")`);
  });

  it('reports unknown fields by name', async () => {
    const dir = await scenarioDir({ ...valid, readyTimeout: 5 }, { 'server.xml': '', 'app.war': '' });
    expect((await errorOf(dir)).message).toContain('(top level): unknown field(s) "readyTimeout"');
  });

  it('reports invalid JSON with the file name', async () => {
    const dir = await scenarioDir('{ "name": ', {});
    expect((await errorOf(dir)).message).toMatch(/scenario\.json is not valid JSON/);
  });

  it('reports a missing server.xml with the field that points at it', async () => {
    const dir = await scenarioDir(valid, { 'app.war': '' });
    const e = await errorOf(dir);
    expect(e.message).toContain('server.serverXml: expected an existing file, found nothing at');
  });

  it('refuses paths that escape the scenario directory', async () => {
    const dir = await scenarioDir({ ...valid, server: { serverXml: '../server.xml' } }, {});
    expect((await errorOf(dir)).message).toContain(
      'server.serverXml: must be a path relative to the scenario directory',
    );
  });
});

describe('image scenarios (your own Containerfile or image)', () => {
  async function scenarioDir(json: object, files: Record<string, string> = {}): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-image-scenario-'));
    await writeFile(path.join(dir, 'scenario.json'), JSON.stringify(json));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return dir;
  }
  const base = { name: 'mine', firstResponse: { path: '/' } };
  const errorOf = (p: Promise<unknown>): Promise<BenchError> =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e as BenchError,
    );

  it('loads a Containerfile scenario: absolute paths, the context defaulting to its directory, base official', async () => {
    const dir = await scenarioDir(
      { ...base, image: { containerfile: 'Containerfile', buildArgs: { VERSION: '2' } } },
      { Containerfile: 'FROM icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi\n' },
    );
    const s = await loadScenario(dir, '/');
    expect(s.image).toEqual({
      kind: 'containerfile',
      containerfile: path.join(dir, 'Containerfile'),
      context: dir,
      buildArgs: { VERSION: '2' },
      base: 'official',
    });
    expect(s.server).toBeUndefined();
    expect(s.app).toBeUndefined();
  });

  it('loads an image reference', async () => {
    const s = await loadScenario(await scenarioDir({ ...base, image: { ref: 'localhost/myapp:1.2' } }), '/');
    expect(s.image).toEqual({ kind: 'ref', ref: 'localhost/myapp:1.2' });
  });

  it('refuses bad input with exit 2, naming the field and the fix', async () => {
    const noFrom = await errorOf(
      loadScenario(
        await scenarioDir({ ...base, image: { containerfile: 'Containerfile' } }, { Containerfile: 'RUN x\n' }),
        '/',
      ),
    );
    expect(noFrom.exitCode).toBe(EXIT_USAGE);
    expect(noFrom.message).toMatch(/image\.containerfile: .*Containerfile has no FROM line/);
    const missing = await errorOf(loadScenario(await scenarioDir({ ...base, image: { containerfile: 'Nope' } }), '/'));
    expect(missing.message).toMatch(/image\.containerfile: expected an existing file, found nothing/);
    const both = await errorOf(
      loadScenario(
        await scenarioDir(
          { ...base, image: { ref: 'localhost/a:1' }, server: { serverXml: 'server.xml' } },
          { 'server.xml': '<server/>' },
        ),
        '/',
      ),
    );
    expect(both.message).toContain('server: an image scenario');
    const neither = await errorOf(loadScenario(await scenarioDir(base), '/'));
    expect(neither.message).toContain('a scenario names either its own image');
    expect(neither.remedy).toContain('"image"');
    const badRef = await errorOf(loadScenario(await scenarioDir({ ...base, image: { ref: 'UPPER case!' } }), '/'));
    expect(badRef.exitCode).toBe(EXIT_USAGE);
    expect(badRef.message).toContain('image.ref');
    const badBase = await errorOf(
      loadScenario(
        await scenarioDir({ ...base, image: { containerfile: 'C', base: 'remote' } }, { C: 'FROM x\n' }),
        '/',
      ),
    );
    expect(badBase.message).toContain('image.base');
  });
});
