import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../cli/errors.js';
import type { Scenario } from '../scenario/types.js';
import { exists, hashFile, hashTree } from './cache.js';
import type { BuildReporter } from './progress.js';
import { runLogged } from './run-logged.js';

export const MAVEN_TIMEOUT_MS = 15 * 60_000;

export interface BuiltApp {
  readonly warFile: string;
  readonly sha256: string;
  readonly built: boolean;
}

/**
 * The scenario's application archive: a Maven build (cached by the hash of the project's
 * sources, so an unchanged project is not rebuilt) or a prebuilt WAR.
 */
export async function ensureApp(scenario: Scenario, cache: string, reporter: BuildReporter, rebuild = false): Promise<BuiltApp> {
  if (scenario.app.kind === 'war') {
    return { warFile: scenario.app.warFile, sha256: await hashFile(scenario.app.warFile), built: false };
  }
  const projectDir = scenario.app.projectDir;
  const sourceKey = await hashTree(projectDir);
  const cached = path.join(cache, 'apps', `${scenario.name}-${sourceKey.slice(0, 16)}.war`);
  if (!rebuild && (await exists(cached))) return { warFile: cached, sha256: await hashFile(cached), built: false };
  const started = Date.now();
  reporter.step(`${scenario.name}: mvn package in ${projectDir}`);
  await runLogged('mvn', ['-B', '-q', '-DskipTests', 'package'], {
    cwd: projectDir,
    timeoutMs: MAVEN_TIMEOUT_MS,
    reporter,
    what: `Maven build of ${projectDir}`,
    remedy: 'fix the build error above; check that mvn is installed (apt-get install maven) and Maven Central is reachable',
  });
  const targetDir = path.join(projectDir, 'target');
  const archives = (await readdir(targetDir).catch(() => [])).filter((f) => /\.(war|ear)$/.test(f));
  if (archives.length !== 1 || !archives[0]) {
    throw new BuildError(
      `expected exactly one .war or .ear in ${targetDir}, found ${archives.length === 0 ? 'none' : archives.join(', ')}`,
      'make the Maven project package a single WAR (<packaging>war</packaging>)',
    );
  }
  await mkdir(path.dirname(cached), { recursive: true });
  await copyFile(path.join(targetDir, archives[0]), cached);
  reporter.done(`${scenario.name}: application built`, Date.now() - started);
  return { warFile: cached, sha256: await hashFile(cached), built: true };
}
