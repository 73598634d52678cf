import { listIfExists } from '../../core/read-if-exists.js';
import { copyFile, cp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../../core/errors.js';
import { checkContainedSources } from '../../scenario/contained-paths.js';
import { isSpringBootApp, type Scenario, type ScenarioApp } from '../../scenario/types.js';

/**
 * A scenario with an application to build: a server scenario, or an image scenario whose Containerfile copies the WAR.
 */
export type AppScenario = Scenario & { readonly app: ScenarioApp };
import { exists, hashFile, hashText, hashTree, UNHASHED_DIRS } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { runLogged } from '../run-logged.js';
import { makeDirs } from '../../core/output-paths.js';

export const MAVEN_TIMEOUT_MS = 15 * 60_000;

export interface BuiltApp {
  readonly warFile: string;
  readonly sha256: string;
  readonly built: boolean;
  /** server.files destination -> the file to copy: build outputs come from the cache, like the WAR. */
  readonly serverFiles: Readonly<Record<string, string>>;
}

/** server.files sources inside the Maven project are build outputs, cached with the WAR. */
function buildOutputs(scenario: AppScenario, projectDir: string): Array<[dest: string, relative: string]> {
  return Object.entries(scenario.server?.files ?? {}).flatMap(([dest, src]) => {
    const rel = path.relative(projectDir, src);
    return rel.startsWith('..') || path.isAbsolute(rel) ? [] : [[dest, rel] as [string, string]];
  });
}

/**
 * The scenario's application archive: a Maven build (cached by the hash of the project's
 * sources, so an unchanged project is not rebuilt) or a prebuilt WAR.
 */
/** Where a Maven build of the scenario's project is cached, and whether it is there (no build). */
export async function cachedApp(
  scenario: AppScenario,
  cache: string,
): Promise<{ app: BuiltApp; complete: boolean; projectDir?: string }> {
  if (scenario.app.kind === 'war') {
    return {
      app: {
        warFile: scenario.app.warFile,
        sha256: await hashFile(scenario.app.warFile),
        built: false,
        serverFiles: scenario.server?.files ?? {},
      },
      complete: true,
    };
  }
  const projectDir = scenario.app.projectDir;
  const { mavenArgs, javaHome } = scenario.app;
  if (javaHome !== undefined && !(await exists(path.join(javaHome, 'bin', 'java')))) {
    throw new BuildError(
      `${scenario.file}: app.javaHome: no bin/java in ${javaHome}`,
      'name an installed JDK directory (ls /usr/lib/jvm), e.g. apt-get install openjdk-17-jdk-headless and ' +
        '/usr/lib/jvm/java-17-openjdk-amd64',
    );
  }
  // The arguments and the JDK shape the build: part of its cache key (absent: the sources' hash alone, as before).
  const sourceKey =
    mavenArgs.length === 0 && javaHome === undefined
      ? await hashTree(projectDir)
      : hashText(await hashTree(projectDir), JSON.stringify(mavenArgs), javaHome ?? '');
  const cacheEntry = path.join(cache, 'apps', `${scenario.name}-${sourceKey.slice(0, 16)}`);
  const cached = path.join(cacheEntry, 'app.war');
  const outputs = buildOutputs(scenario, projectDir);
  const serverFiles = {
    ...(scenario.server?.files ?? {}),
    ...Object.fromEntries(outputs.map(([dest, rel]) => [dest, path.join(cacheEntry, 'outputs', rel)])),
  };
  const complete =
    (await exists(cached)) &&
    (await Promise.all(outputs.map(([, rel]) => exists(path.join(cacheEntry, 'outputs', rel))))).every(Boolean);
  return {
    app: { warFile: cached, sha256: complete ? await hashFile(cached) : '', built: false, serverFiles },
    complete,
    projectDir,
  };
}

export async function ensureApp(
  scenario: AppScenario,
  cache: string,
  reporter: BuildReporter,
  rebuild = false,
): Promise<BuiltApp> {
  const found = await cachedApp(scenario, cache);
  if (found.projectDir === undefined || (!rebuild && found.complete)) return found.app;
  const { projectDir } = found;
  if (scenario.app.kind === 'war') return found.app;
  const { mavenArgs, javaHome } = scenario.app;
  const cached = found.app.warFile;
  const cacheEntry = path.dirname(cached);
  const outputs = buildOutputs(scenario, projectDir);
  const serverFiles = found.app.serverFiles;
  const started = Date.now();
  reporter.step(
    `${scenario.name}: mvn package in ` +
      `${projectDir}${mavenArgs.length > 0 ? ` (${mavenArgs.join(' ')})` : ''}${javaHome ? ` with ${javaHome}` : ''}`,
  );
  await runLogged('mvn', ['-B', '-DskipTests', ...mavenArgs, 'package'], {
    cwd: projectDir,
    timeoutMs: MAVEN_TIMEOUT_MS,
    reporter,
    what: `Maven build of ${projectDir}`,
    // Maven's own error lines say what failed; the class-realm noise around them does not.
    errorLines: /^\[ERROR\]/,
    remedy:
      `fix the error Maven names above; in ${scenario.file} app.mavenArgs adds Maven arguments and ` +
      `app.javaHome picks the JDK it builds with (an old plugin may need an older JDK)`,
    ...(javaHome ? { env: { ...process.env, JAVA_HOME: javaHome } as Record<string, string> } : {}),
  });
  const targetDir = path.join(projectDir, 'target');
  const springBoot = isSpringBootApp(scenario.app);
  const archives = (await listIfExists(targetDir)).filter((f) =>
    springBoot ? /\.jar$/.test(f) && !/-(plain|sources|javadoc|tests)\.jar$/.test(f) : /\.(war|ear)$/.test(f),
  );
  if (archives.length !== 1 || !archives[0]) {
    throw new BuildError(
      `expected exactly one ${springBoot ? '.jar' : '.war or .ear'} in ${targetDir}, found ` +
        `${archives.length === 0 ? 'none' : archives.join(', ')}`,
      springBoot
        ? 'make the Maven project package one Spring Boot executable jar (spring-boot-maven-plugin repackage)'
        : 'make the Maven project package a single WAR (<packaging>war</packaging>)',
    );
  }
  // What the build produced is copied into the image: no link in it may lead outside the scenario directory.
  await checkContainedSources(
    scenario.file,
    scenario.dir,
    outputs.map(([dest, rel]) => ({
      field: `server.files.${JSON.stringify(dest)} (built)`,
      path: path.join(projectDir, rel),
    })),
  );
  await makeDirs(cacheEntry);
  await copyFile(path.join(targetDir, archives[0]), cached);
  for (const [dest, rel] of outputs) {
    const target = path.join(cacheEntry, 'outputs', rel);
    await rm(target, { recursive: true, force: true });
    await makeDirs(path.dirname(target));
    // A file or a whole directory (a database, a driver folder), modes kept.
    await cp(path.join(projectDir, rel), target, { recursive: true, force: true }).catch(
      (error: NodeJS.ErrnoException) => {
        throw new BuildError(
          `${scenario.file}: server.files.${JSON.stringify(dest)}: expected the build to produce ` +
            `${path.join(projectDir, rel)}, ` +
            `${error.code === 'ENOENT' ? 'found nothing' : `cannot copy it (${error.code ?? error.message})`}`,
          'correct the path, or make the Maven build produce that file or directory',
        );
      },
    );
  }
  reporter.done(`${scenario.name}: application built`, Date.now() - started);
  await warnWritesOutsideTarget(scenario, projectDir, started, reporter);
  return { warFile: cached, sha256: await hashFile(cached), built: true, serverFiles };
}

/** A Maven build that writes outside target/ changes the project's hash: every run would rebuild it. */
async function warnWritesOutsideTarget(
  scenario: AppScenario,
  projectDir: string,
  started: number,
  reporter: BuildReporter,
): Promise<void> {
  const touched = await filesChangedSince(projectDir, started);
  if (touched.length > 0) {
    reporter.step(
      `warning: ${scenario.file}: the Maven build wrote ` +
        `${touched.slice(0, 3).join(', ')}${touched.length > 3 ? ` and ${touched.length - 3} more` : ''} outside ` +
        `target/; ` +
        'the build is cached by the hash of the project directory, so every run will rebuild: make the build write ' +
        'under target/ (e.g. a tool log via .mvn/jvm.config)',
    );
  }
}

/**
 * Files of the project's hash (UNHASHED_DIRS left out, as hashTree does) modified since a time: a build that writes
 * there defeats the cache.
 */
async function filesChangedSince(dir: string, sinceMs: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      if (UNHASHED_DIRS.has(entry.name)) continue;
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && (await stat(path.join(dir, child))).mtimeMs >= sinceMs) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}
