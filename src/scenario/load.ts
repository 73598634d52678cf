import { withoutBom } from '../core/neutralise.js';
import { describeFound, valueAt } from '../core/found-value.js';
import { listEntriesIfExists, readIfExists, statIfExists } from '../core/read-if-exists.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { ScenarioError } from '../core/errors.js';
import { checkContainedSources, type NamedSource } from './contained-paths.js';
import { scenarioFileSchema, type ScenarioFile } from './schema.js';
import { checkServerFileDestinations } from './server-files.js';
import { isSpringBootApp, SCENARIO_FILE_NAME, type Scenario, type ScenarioApp } from './types.js';
import { resolveSources } from './resolve-sources.js';

/** The scenarios shipped with the tool. */
export const BUILTIN_SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/**
 * Resolve a --scenario argument: a built-in name (pingperf), or a path to a directory
 * holding scenario.json (or to the scenario.json itself), anywhere on disk.
 */
export async function resolveScenarioFile(ref: string, cwd: string): Promise<string> {
  const looksLikePath = ref.includes('/') || ref.startsWith('.');
  const candidate = looksLikePath ? path.resolve(cwd, ref) : path.join(BUILTIN_SCENARIO_DIR, ref);
  const info = await statIfExists(candidate);
  if (!info) {
    const builtins = await listBuiltinScenarios();
    throw new ScenarioError(
      looksLikePath ? `scenario directory ${candidate} does not exist` : `unknown scenario "${ref}"`,
      `use one of: ${builtins.join(', ')}, or a path to a directory holding ${SCENARIO_FILE_NAME}`,
    );
  }
  const file = info.isDirectory() ? path.join(candidate, SCENARIO_FILE_NAME) : candidate;
  const fileInfo = await statIfExists(file);
  if (!fileInfo?.isFile()) {
    throw new ScenarioError(
      `${file} not found`,
      `a scenario directory needs a ${SCENARIO_FILE_NAME}; copy scenarios/pingperf/${SCENARIO_FILE_NAME} as a start`,
    );
  }
  return file;
}

export async function listBuiltinScenarios(): Promise<string[]> {
  const entries = await listEntriesIfExists(BUILTIN_SCENARIO_DIR);
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) {
      const has = await statIfExists(path.join(BUILTIN_SCENARIO_DIR, entry.name, SCENARIO_FILE_NAME));
      if (has) names.push(entry.name);
    }
  }
  return names.sort();
}

/** A key path for a message; a key with control characters is shown quoted, never printed raw into the terminal. */
const keyPath = (p: readonly PropertyKey[]): string =>
  p.map((k) => (/^[\w./@$-]+$/.test(String(k)) ? String(k) : JSON.stringify(String(k)))).join('.');

/** One line per problem: the field, what was expected, what was found. */
export function describeIssues(file: string, issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues
    .map((issue) => {
      // A key with control characters is shown quoted, never printed raw into the terminal.
      const field = issue.path.length > 0 ? keyPath(issue.path) : '(top level)';
      const found = describeFound(valueAt(input, issue.path));
      if (issue.code === 'unrecognized_keys') {
        return `${file}: ${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      }
      if (issue.code === 'invalid_key') {
        return `${file}: ${field}: this key ${issue.issues.map((i) => i.message).join('; ')}`;
      }
      return `${file}: ${field}: ${issue.message} (found ${found})`;
    })
    .join('\n');
}

/** A built-in scenario whose scenario.json uses one of these keys (the deepest first), as the fix's example. */
async function exampleUsing(keys: readonly string[]): Promise<string> {
  const examples = (await listEntriesIfExists(path.join(BUILTIN_SCENARIO_DIR, 'examples')))
    .filter((e) => e.isDirectory())
    .map((e) => `examples/${e.name}`);
  const names = [...(await listBuiltinScenarios()), ...examples.sort()];
  const texts = await Promise.all(
    names.map(async (name) => ({
      name,
      text: (await readIfExists(path.join(BUILTIN_SCENARIO_DIR, name, SCENARIO_FILE_NAME))) ?? '',
    })),
  );
  for (const key of keys) {
    // A server.files destination such as "shared:x/y" is found by its prefix ("shared:").
    const prefix = /^[a-z]+:/.exec(key)?.[0];
    const hit = texts.find((t) => t.text.includes(`"${prefix ?? `${key}"`}`));
    if (hit) return `scenarios/${hit.name}/${SCENARIO_FILE_NAME} uses ${prefix ? `"${prefix}" destinations` : key}`;
  }
  return 'docs/your-own-app.md shows every field';
}

/** Load, validate and resolve one scenario. */
export async function loadScenario(ref: string, cwd: string): Promise<Scenario> {
  const file = await resolveScenarioFile(ref, cwd);
  const dir = path.dirname(file);
  const data = await readScenarioFile(file);
  const abs = (p: string): string => path.join(dir, p);
  const absoluteSources = (m: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(Object.entries(m).map(([dest, src]) => [dest, abs(src)]));
  const shape = scenarioShape(file, data);
  const { app, server, image } = resolveSources(data, abs, absoluteSources);
  const scenario: Scenario = {
    name: data.name,
    description: data.description,
    dir,
    file,
    ...(app ? { app } : {}),
    ...(server ? { server } : {}),
    ...(image ? { image } : {}),
    httpPort: data.httpPort,
    firstResponse: data.firstResponse,
    load: {
      ...(data.load?.concurrency !== undefined ? { concurrency: data.load.concurrency } : {}),
      requests: data.load?.requests.map((r) => ({ ...r })) ?? [
        {
          method: 'GET' as const,
          path: data.firstResponse.path,
          expectStatus: data.firstResponse.expectStatus,
          ...(data.firstResponse.expectBodyContains !== undefined
            ? { expectBodyContains: data.firstResponse.expectBodyContains }
            : {}),
        },
      ],
    },
    env: data.env,
    restoreEnv: data.restoreEnv,
    secrets: { env: data.secrets.env, files: data.secrets.files.map(abs), values: data.secrets.values },
    mounts: absoluteSources(data.mounts),
    restoreMounts: absoluteSources(data.restoreMounts),
    probes: data.probes,
    readyTimeoutMs: data.readyTimeoutMs,
    prime: data.prime,
    services: data.services.map((svc) => ({ ...svc, ...(svc.seed ? { seed: abs(svc.seed) } : {}) })),
    ...(data.java?.readyLine !== undefined ? { javaReadyLine: data.java.readyLine } : {}),
  };
  if (shape === 'server' && data.server && data.app)
    checkServerFileDestinations(file, data.server.files, data.app.deployAs ?? '');
  await checkContainedSources(file, dir, namedSources(scenario));
  await checkFilesExist(scenario);
  if (scenario.image?.kind === 'containerfile') await checkContainerfile(scenario.file, scenario.image.containerfile);
  return scenario;
}

/** The scenario file read and checked against its schema: the first problem named with its key path and a fix. */
async function readScenarioFile(file: string): Promise<ScenarioFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(await readFile(file, 'utf8')));
  } catch (error) {
    throw new ScenarioError(`${file} is not valid JSON: ${(error as Error).message}`, 'fix the JSON syntax', error);
  }
  const parsed = scenarioFileSchema.safeParse(raw);
  if (!parsed.success) {
    // The first line names the file, the key path and the schema's reason; more problems follow.
    const first = parsed.error.issues[0] as z.core.$ZodIssue;
    const named = first.path.filter((k): k is string => typeof k === 'string');
    const where = named.length > 0 ? keyPath(first.path) : undefined;
    const fix =
      first.code === 'unrecognized_keys'
        ? `remove or rename ${first.keys.map((k) => `"${k}"`).join(', ')}${where ? ` in ${where}` : ''} of ${file} ` +
          `(a typo?); ${await exampleUsing([...named].reverse())}`
        : `correct ${where ?? 'the file'} in ${file}; ${await exampleUsing([...named].reverse())}`;
    throw new ScenarioError(describeIssues(file, parsed.error.issues, raw), fix);
  }
  return parsed.data;
}

/** A scenario is either the tool's server (app + server) or the user's image (image, maybe with app.maven). */
function scenarioShape(file: string, data: ScenarioFile): 'server' | 'image' {
  if (data.image !== undefined) {
    if (data.server !== undefined)
      throw new ScenarioError(
        `${file}: server: an image scenario's server is configured by its Containerfile`,
        'remove "server" (or remove "image" to let the tool build the server)',
      );
    if (data.app !== undefined && !('maven' in data.app))
      throw new ScenarioError(
        `${file}: ${'jar' in data.app ? 'app.jar' : 'app.war'}: an image scenario's Containerfile copies its ` +
          'application itself',
        'remove "app" (or use app.maven: the Maven project is built before the image, for a COPY target/*.war)',
      );
    return 'image';
  }
  if (data.app === undefined || data.server === undefined)
    throw new ScenarioError(
      `${file}: ${data.app === undefined ? 'app' : 'server'}: missing: a scenario names either its own image ` +
        '("image") ' +
        'or an application and its server ("app" and "server")',
      'add "image": {"containerfile": "Containerfile"} for your own Containerfile, or "app" and "server" ' +
        '(scenarios/pingperf/scenario.json uses them)',
    );
  if (data.app.deployAs === undefined)
    throw new ScenarioError(
      `${file}: app.deployAs: missing: the file name the application is deployed as`,
      'add "deployAs": "myapp.war" to app',
    );
  return 'server';
}

/** A Containerfile the build can use: it exists and has a FROM line. */
async function checkContainerfile(file: string, containerfile: string): Promise<void> {
  const text = (await readIfExists(containerfile)) ?? '';
  if (!/^\s*FROM\s+\S+/im.test(text))
    throw new ScenarioError(
      `${file}: image.containerfile: ${containerfile} has no FROM line`,
      'name the image it builds on, e.g. FROM icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi-minimal',
    );
}

/** Every path of the scenario whose content is copied into an image, with its field. */
function namedSources(scenario: Scenario): NamedSource[] {
  const { server, image } = scenario;
  const sources: NamedSource[] = [];
  if (image?.kind === 'containerfile') sources.push({ field: 'image.containerfile', path: image.containerfile });
  if (scenario.app?.kind === 'war') sources.push({ field: archiveField(scenario.app), path: scenario.app.warFile });
  scenario.services.forEach((svc, i) => {
    if (svc.seed) sources.push({ field: `services.${i}.seed`, path: svc.seed });
  });
  if (!server) return sources;
  sources.push({ field: 'server.serverXml', path: server.serverXml });
  if (server.jvmOptions) sources.push({ field: 'server.jvmOptions', path: server.jvmOptions });
  if (server.bootstrapProperties)
    sources.push({ field: 'server.bootstrapProperties', path: server.bootstrapProperties });
  if (server.serverEnv) sources.push({ field: 'server.serverEnv', path: server.serverEnv });
  for (const [dest, src] of Object.entries(server.files))
    sources.push({ field: `server.files.${JSON.stringify(dest)}`, path: src });
  return sources;
}

async function checkFilesExist(scenario: Scenario): Promise<void> {
  const checks: Array<[string, string, 'file' | 'dir']> = [];
  const { server, app, image } = scenario;
  if (server) {
    checks.push(['server.serverXml', server.serverXml, 'file']);
    if (server.jvmOptions) checks.push(['server.jvmOptions', server.jvmOptions, 'file']);
    if (server.bootstrapProperties) checks.push(['server.bootstrapProperties', server.bootstrapProperties, 'file']);
    if (server.serverEnv) checks.push(['server.serverEnv', server.serverEnv, 'file']);
  }
  if (app?.kind === 'maven') checks.push(['app.maven', path.join(app.projectDir, 'pom.xml'), 'file']);
  else if (app) checks.push([archiveField(app), app.warFile, 'file']);
  if (image?.kind === 'containerfile') {
    checks.push(['image.containerfile', image.containerfile, 'file']);
    checks.push(['image.context', image.context, 'dir']);
  }
  scenario.services.forEach((svc, i) => {
    if (svc.seed) checks.push([`services.${i}.seed`, svc.seed, 'file']);
  });
  scenario.secrets.files.forEach((f, i) => checks.push([`secrets.files.${i}`, f, 'file']));
  for (const key of ['mounts', 'restoreMounts'] as const)
    for (const [target, src] of Object.entries(scenario[key]))
      checks.push([`${key}.${JSON.stringify(target)}`, src, 'file']);
  for (const [field, p, kind] of checks) {
    const info = await statIfExists(p);
    const ok = kind === 'file' ? info?.isFile() : info?.isDirectory();
    if (!ok) {
      throw new ScenarioError(
        `${scenario.file}: ${field}: expected an existing ${kind}, found nothing at ${p}`,
        `create ${p} or correct ${field} (paths are relative to ${scenario.dir})`,
      );
    }
  }
}

/** The scenario file's field that names a prebuilt archive. */
const archiveField = (app: ScenarioApp): string => (isSpringBootApp(app) ? 'app.jar' : 'app.war');

/** Load every scenario a run or build names, in order. */
export async function loadScenarios(refs: readonly string[], cwd: string): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const ref of refs) out.push(await loadScenario(ref, cwd));
  return out;
}
