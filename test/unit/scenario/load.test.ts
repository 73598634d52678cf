import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/core/errors.js';
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
    await loadScenario(dir, '/');
  } catch (error) {
    return error as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('loadScenario', () => {
  it('loads the built-in pingperf scenario with absolute paths and defaults', async () => {
    const s = await loadScenario('pingperf', '/');
    expect(s.name).toBe('pingperf');
    expect(s.app.kind).toBe('maven');
    expect(s.httpPort).toBe(9080);
    expect(s.firstResponse.path).toBe('/pingperf/ping/greeting?name=World');
    expect(path.isAbsolute(s.server.serverXml)).toBe(true);
  });

  it('loads a scenario directory outside the repository', async () => {
    const dir = await scenarioDir(valid, { 'server.xml': '<server/>', 'app.war': 'PK' });
    const s = await loadScenario(dir, '/');
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
