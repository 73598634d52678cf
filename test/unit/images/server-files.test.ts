import { serverScenario } from '../../support/server-scenario.js';
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/core/errors.js';
import { stageServerDir } from '../../../src/images/app/app-image.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { serverFileTarget } from '../../../src/scenario/server-files.js';

async function scenarioDir(
  files: Record<string, string>,
  serverFiles: Record<string, string>,
  extra: object = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-files-'));
  for (const [name, text] of Object.entries({ 'server.xml': '<server/>', 'app.war': 'PK', ...files })) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const scenario = {
    name: 'mine',
    app: { war: 'app.war', deployAs: 'mine.war' },
    server: { serverXml: 'server.xml', files: serverFiles, ...extra },
    firstResponse: { path: '/mine/' },
  };
  await writeFile(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
  return dir;
}

async function errorOf(p: Promise<unknown>): Promise<ScenarioError> {
  return p.then(
    () => {
      throw new Error('expected a ScenarioError');
    },
    (e: unknown) => e as ScenarioError,
  );
}

/** What staging the server directory of the scenario in `dir` throws. */
async function stagingError(dir: string) {
  const scenario = serverScenario(await loadScenario(dir, '/'));
  return errorOf(
    stageServerDir(
      scenario,
      { warFile: path.join(dir, 'app.war'), sha256: 'x', built: false, serverFiles: scenario.server.files },
      path.join(dir, 'ctx'),
    ),
  );
}

describe('server.files destinations', () => {
  it('names the server directory or, after shared:, the shared resources directory', () => {
    expect(serverFileTarget('lib/driver.jar')).toEqual({ root: 'server', relative: 'lib/driver.jar' });
    expect(serverFileTarget('shared:derby/')).toEqual({ root: 'shared', relative: 'derby' });
    expect(serverFileTarget('.')).toEqual({ root: 'server', relative: '' });
    expect(serverFileTarget('shared:')).toEqual({ root: 'shared', relative: '' });
  });

  it.each([
    ['bootstrap.properties', 'server.bootstrapProperties'],
    ['./server.xml', 'server.serverXml'],
    ['jvm.options', 'server.jvmOptions'],
    ['apps/mine.war', 'app.deployAs'],
  ])('refuses %s, a file the tool writes, naming the field to use (exit 2)', async (dest, field) => {
    const dir = await scenarioDir({ 'x.txt': 'x' }, { [dest]: 'x.txt' });
    const e = await errorOf(loadScenario(dir, '/'));
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`server.files.${JSON.stringify(dest)}`);
    expect(e.message).toContain('managed by the tool');
    expect(e.remedy).toContain(`use ${field} instead`);
  });

  it('a bad shared: destination points at the example that uses shared:', async () => {
    const e = await errorOf(loadScenario(await scenarioDir({ 'x.txt': 'x' }, { 'shared:../x': 'x.txt' }), '/'));
    expect(e.remedy).toContain('scenarios/examples/derby-inventory/scenario.json uses "shared:" destinations');
  });

  it('refuses ".." and absolute destinations, with the reason', async () => {
    for (const dest of ['../x', 'shared:/etc/x', 'shared:../x', '']) {
      const e = await errorOf(loadScenario(await scenarioDir({ 'x.txt': 'x' }, { [dest]: 'x.txt' }), '/'));
      expect(e.message).toContain('relative to the server directory, or "shared:"');
    }
  });
});

describe('stageServerDir', () => {
  it('copies directories recursively with their modes, into the server dir or the shared resources dir; the tool files last', async () => {
    const dir = await scenarioDir(
      {
        'db/seg0/c10.dat': 'data',
        'db/service.properties': 'p',
        'drivers/derby.jar': 'PK',
        'bin/tool.sh': '#!/bin/sh\n',
        'bp.properties': 'mine=1\n',
      },
      { 'data/exampledb': 'db', 'shared:derby': 'drivers', 'bin/tool.sh': 'bin/tool.sh' },
      { bootstrapProperties: 'bp.properties' },
    );
    await chmod(path.join(dir, 'bin/tool.sh'), 0o750);
    await chmod(path.join(dir, 'db/seg0'), 0o700);
    const scenario = serverScenario(await loadScenario(dir, '/'));
    const context = path.join(dir, 'ctx');
    await stageServerDir(
      scenario,
      { warFile: path.join(dir, 'app.war'), sha256: 'x', built: false, serverFiles: scenario.server.files },
      context,
    );
    expect(await readFile(path.join(context, 'server/data/exampledb/seg0/c10.dat'), 'utf8')).toBe('data');
    expect(await readFile(path.join(context, 'shared/derby/derby.jar'), 'utf8')).toBe('PK');
    expect((await stat(path.join(context, 'server/bin/tool.sh'))).mode & 0o777).toBe(0o750);
    expect((await stat(path.join(context, 'server/data/exampledb/seg0'))).mode & 0o777).toBe(0o700);
    const bootstrap = await readFile(path.join(context, 'server/bootstrap.properties'), 'utf8');
    expect(bootstrap).toContain('mine=1');
    expect(bootstrap).toContain('com.ibm.ws.logging.isoDateFormat=true');
    expect(await readFile(path.join(context, 'server/apps/mine.war'), 'utf8')).toBe('PK');
  });

  it('refuses a mapped directory that holds a file the tool writes, naming the entry', async () => {
    const dir = await scenarioDir(
      { 'conf/bootstrap.properties': 'x=1', 'conf/other.xml': '<server/>' },
      { '.': 'conf' },
    );
    const e = await stagingError(dir);
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e.message).toContain('a copied directory holds bootstrap.properties, which the tool manages');
    expect(e.remedy).toContain('server.files."."');
    expect(e.remedy).toContain('server.bootstrapProperties');
  });

  it('names a missing source', async () => {
    const dir = await scenarioDir({}, { 'lib/x.jar': 'target/x.jar' });
    const e = await stagingError(dir);
    expect(e.message).toContain('server.files."lib/x.jar": expected a file or directory at');
  });
});
