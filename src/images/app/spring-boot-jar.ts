import { execa } from 'execa';
import { ScenarioError } from '../../core/errors.js';
import { parseManifest } from '../liberty/liberty-features.js';

/** Reading a jar's manifest takes well under a second; this bounds a damaged archive. */
const MANIFEST_TIMEOUT_MS = 30_000;

/** The Spring Boot major version Liberty's springBoot-3.0 feature runs. */
export const LIBERTY_SPRING_BOOT_MAJOR = 3;

/** A jar's META-INF/MANIFEST.MF as name -> value (continuation lines joined), or undefined when it has none. */
export async function readJarManifest(jar: string): Promise<Map<string, string> | undefined> {
  const out = await execa('unzip', ['-p', jar, 'META-INF/MANIFEST.MF'], {
    reject: false,
    timeout: MANIFEST_TIMEOUT_MS,
    stripFinalNewline: false,
  });
  if (out.exitCode !== 0 || out.stdout.trim() === '') return undefined;
  return parseManifest(out.stdout);
}

/**
 * What a Spring Boot scenario's jar must be before anything is built on it: a Spring Boot executable jar (its manifest
 * names Spring-Boot-Version) of the major version Liberty's springBoot-3.0 runs. Throws a scenario error (exit 2).
 */
export function checkSpringBootManifest(
  where: string,
  jar: string,
  manifest: ReadonlyMap<string, string> | undefined,
): string {
  const version = manifest?.get('Spring-Boot-Version');
  if (version === undefined)
    throw new ScenarioError(
      `${where}: ${jar} is not a Spring Boot executable jar (${manifest ? 'its manifest names no Spring-Boot-Version' : 'it has no META-INF/MANIFEST.MF'})`,
      'package the application with spring-boot-maven-plugin (its repackage goal makes the executable jar), or ' +
        'deploy a web application as a .war',
    );
  const major = Number(version.split('.')[0]);
  if (major !== LIBERTY_SPRING_BOOT_MAJOR)
    throw new ScenarioError(
      `${where}: ${jar} is Spring Boot ${version}; Liberty's springBoot-3.0 feature runs Spring Boot 3.x applications only`,
      'build it with Spring Boot 3 (spring-boot-starter-parent 3.5.7 is on Maven Central)',
    );
  return version;
}

/**
 * Whether an executable jar carries org.crac (BOOT-INF/lib/crac-*.jar, or its classes): the application takes part in
 * Spring's checkpoint lifecycle (Spring 6.1+ stops its lifecycle beans before a checkpoint and restarts them after).
 */
export async function jarCarriesCrac(jar: string): Promise<boolean> {
  const out = await execa('unzip', ['-Z1', jar], { reject: false, timeout: MANIFEST_TIMEOUT_MS });
  return (
    out.exitCode === 0 &&
    /^(BOOT-INF\/lib\/crac-[^/]*\.jar|(BOOT-INF\/classes\/)?org\/crac\/Core\.class)$/m.test(out.stdout)
  );
}

/** The jar checked (see checkSpringBootManifest): its Spring Boot version. */
export async function checkSpringBootJar(where: string, jar: string): Promise<string> {
  return checkSpringBootManifest(where, jar, await readJarManifest(jar));
}

/**
 * The Spring Boot version a Maven project's pom.xml inherits (its parent spring-boot-starter-parent), if it names one:
 * what the jar will be, known before Maven runs.
 */
export function springBootParentVersion(pom: string): string | undefined {
  const parent = /<parent>([\s\S]*?)<\/parent>/.exec(pom.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
  if (!parent || !/<artifactId>\s*spring-boot-starter-parent\s*<\/artifactId>/.test(parent)) return undefined;
  return /<version>\s*([^<\s]+)\s*<\/version>/.exec(parent)?.[1];
}

/** A Maven project whose parent is another Spring Boot than Liberty runs: refused before Maven runs (exit 2). */
export function checkSpringBootPom(where: string, pomFile: string, pom: string): void {
  const version = springBootParentVersion(pom);
  if (version !== undefined && !version.startsWith('${'))
    checkSpringBootManifest(where, pomFile, new Map([['Spring-Boot-Version', version]]));
}
