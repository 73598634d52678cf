import type { AppScenario } from '../../../src/images/app/app-build.js';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureApp } from '../../../src/images/app/app-build.js';
import { hashTree } from '../../../src/images/cache.js';
import { silentReporter } from '../../../src/images/progress.js';

describe('ensureApp cache', () => {
  it('serves build outputs named in server.files from the cache, with the WAR, without a fresh target/', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'ib-app-'));
    const project = path.join(root, 'scenario', 'app');
    await mkdir(path.join(project, 'src'), { recursive: true });
    await writeFile(path.join(project, 'pom.xml'), '<project/>');
    const cache = path.join(root, 'cache');
    const entry = path.join(cache, 'apps', `demo-${(await hashTree(project)).slice(0, 16)}`);
    await mkdir(path.join(entry, 'outputs', 'target', 'lib'), { recursive: true });
    await writeFile(path.join(entry, 'app.war'), 'PK');
    await writeFile(path.join(entry, 'outputs', 'target', 'lib', 'driver.jar'), 'PK');
    const scenario = {
      name: 'demo',
      app: { kind: 'maven', projectDir: project, deployAs: 'demo.war', mavenArgs: [] },
      server: {
        serverXml: '/x/server.xml',
        files: {
          'lib/driver.jar': path.join(project, 'target', 'lib', 'driver.jar'),
          'lib/static.txt': path.join(root, 'scenario', 'static.txt'),
        },
      },
    } as unknown as AppScenario;
    const app = await ensureApp(scenario, cache, silentReporter());
    expect(app.built).toBe(false);
    expect(app.warFile).toBe(path.join(entry, 'app.war'));
    expect(app.serverFiles).toEqual({
      'lib/driver.jar': path.join(entry, 'outputs', 'target', 'lib', 'driver.jar'),
      'lib/static.txt': path.join(root, 'scenario', 'static.txt'),
    });
  });
});
