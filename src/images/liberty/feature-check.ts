import path from 'node:path';
import { ScenarioError } from '../../core/errors.js';
import { readdir } from 'node:fs/promises';
import { readIfExists, statIfExists } from '../../core/read-if-exists.js';
import { serverFileTarget } from '../../scenario/server-files.js';
import type { ServerSpec } from '../../scenario/types.js';

/** Where the features come from: a scenario's server, or the configuration read out of a user's image. */
export interface FeatureSource {
  readonly file: string;
  readonly server: ServerSpec;
  /** How errors name the server.xml (default: its path), e.g. where it lies in an image. */
  readonly serverXmlShownAs?: string;
}
import type { CheckpointPhase } from '../../scenario/variants.js';
import {
  checkFeatures,
  readFeatureCatalog,
  serverXmlFeatures,
  type FeatureCatalog,
  type FeatureVerdict,
} from './liberty-features.js';
import type { BuildReporter } from '../progress.js';

const DROPIN_XML = /^configDropins\/(defaults|overrides)\/[^/]+\.xml$/;

/** Nested <include> files followed at most this deep (Liberty allows cycles to be configured; we stop). */
const MAX_INCLUDE_DEPTH = 8;

/** How many rounds of ${name} substitution (a variable may name another). */
const MAX_VARIABLE_ROUNDS = 5;

/**
 * Liberty variables the scenario defines where a check before building can read them: bootstrap.properties and
 * <variable> elements.
 */
async function scenarioVariables(scenario: FeatureSource): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  const bootstrap = scenario.server.bootstrapProperties
    ? ((await readIfExists(scenario.server.bootstrapProperties)) ?? '')
    : '';
  for (const line of bootstrap.split(/\r?\n/)) {
    const m = /^\s*([^#!\s=:][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) vars.set(m[1] as string, m[2] as string);
  }
  const xml = ((await readIfExists(scenario.server.serverXml)) ?? '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of xml.matchAll(/<variable\b([^>]*)\/?>/g)) {
    const attr = (name: string): string | undefined => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(m[1] ?? '')?.[1];
    const name = attr('name');
    const value = attr('value') ?? attr('defaultValue');
    if (name !== undefined && value !== undefined && !vars.has(name)) vars.set(name, value);
  }
  return vars;
}

function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  let out = text;
  for (let round = 0; round < MAX_VARIABLE_ROUNDS; round++) {
    const next = out.replace(/\$\{([^}]+)\}/g, (whole, name: string) => vars.get(name) ?? whole);
    if (next === out) break;
    out = next;
  }
  return out;
}

/**
 * The file a server.xml <include location> names, if it is one of the scenario's own (a file, or one inside a mapped
 * directory).
 */
function includedFile(
  scenario: FeatureSource,
  fromFile: string,
  location: string,
  vars: ReadonlyMap<string, string>,
): string | undefined {
  const stripped = path.posix.normalize(substitute(location, vars).replace(/^\$\{server\.config\.dir\}\/?/, ''));
  if (stripped.includes('${') || /^[a-z]+:\/\//i.test(stripped) || path.isAbsolute(stripped)) return undefined;
  for (const [dest, src] of Object.entries(scenario.server.files)) {
    const target = serverFileTarget(dest);
    if (target.root !== 'server') continue;
    if (target.relative === stripped) return src;
    if (target.relative === '' || stripped.startsWith(`${target.relative}/`))
      return path.join(src, target.relative === '' ? stripped : stripped.slice(target.relative.length + 1));
  }
  return path.resolve(path.dirname(fromFile), stripped);
}

/** Every feature the scenario's server.xml (and the includes it ships) names, with the file naming it. */
export async function scenarioFeatures(scenario: FeatureSource): Promise<Array<{ feature: string; file: string }>> {
  const out: Array<{ feature: string; file: string }> = [];
  const seen = new Set<string>();
  const vars = await scenarioVariables(scenario);
  const visit = async (file: string, depth: number): Promise<void> => {
    if (seen.has(file) || depth > MAX_INCLUDE_DEPTH) return;
    seen.add(file);
    const xml = await readIfExists(file);
    if (xml === undefined) return;
    const parsed = serverXmlFeatures(xml);
    out.push(...parsed.features.map((feature) => ({ feature, file })));
    for (const location of parsed.includes) {
      const inc = includedFile(scenario, file, location, vars);
      if (inc) await visit(inc, depth + 1);
    }
  };
  await visit(scenario.server.serverXml, 0);
  // Liberty also reads the .xml files directly in configDropins/defaults and configDropins/overrides.
  for (const [dest, src] of Object.entries(scenario.server.files)) {
    const target = serverFileTarget(dest);
    if (target.root !== 'server') continue;
    for (const file of await xmlFilesUnder(src)) {
      const inServer =
        file === src
          ? target.relative
          : path.posix.join(target.relative, path.relative(src, file).split(path.sep).join('/'));
      if (DROPIN_XML.test(inServer)) await visit(file, 0);
    }
  }
  return out;
}

/** The .xml files a server.files source provides: itself, or those under it (a directory). */
async function xmlFilesUnder(src: string): Promise<string[]> {
  const info = await statIfExists(src);
  if (!info) return [];
  if (info.isFile()) return src.endsWith('.xml') ? [src] : [];
  const entries = await readdir(src, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.xml')).map((e) => path.join(e.parentPath, e.name));
}

/**
 * What can stand in for a refused feature: its nearest later capable version, then the capable features it includes.
 */
function alternatives(v: FeatureVerdict): string[] {
  return [...(v.laterVersion ? [v.laterVersion] : []), ...(v.replacements ?? [])];
}

/** One line of the refusal: the feature, why, and what can replace it. */
function refusalLine(v: FeatureVerdict & { file: string }, phase: string, release: string): string {
  const options = alternatives(v);
  const instead =
    options.length === 0
      ? 'no version or part of it can be checkpointed: remove it'
      : `replace it with ` +
        `${options.join(' or ')}` +
        `${v.laterVersion ? ` (${v.laterVersion} is the nearest later version InstantOn supports; check the API level your application compiles against)` : ''}`;
  return (
    `${v.feature} (${path.basename(v.file)}): Open Liberty ${release} cannot checkpoint it at ${phase} (no ` +
    `WLP-InstantOn-Enabled in its manifest); ${instead}`
  );
}

/**
 * Before any image is built: the features the server enables, checked against the release's
 * own manifests for every checkpoint phase asked for. Seconds, not a failed checkpoint.
 */
export async function checkCheckpointFeatures(
  scenario: FeatureSource,
  opts: {
    libertyDir: string;
    release: string;
    phases: readonly CheckpointPhase[];
    reporter: BuildReporter;
    catalog?: FeatureCatalog;
  },
): Promise<void> {
  if (opts.phases.length === 0) return;
  const named = await scenarioFeatures(scenario);
  if (named.length === 0) return;
  const catalog = opts.catalog ?? (await readFeatureCatalog(opts.libertyDir));
  const verdicts = checkFeatures(
    catalog,
    named.map((n) => n.feature),
  ).map((v, i) => ({ ...v, file: (named[i] as { file: string }).file }));
  for (const v of verdicts) {
    if (v.status === 'unknown')
      opts.reporter.step(
        `warning: ${v.file}: feature ${v.feature} is not a feature of Open Liberty ${opts.release} (the server will ` +
          `report CWWKF0001E); check its spelling and version`,
      );
    if (v.status === 'user-feature')
      opts.reporter.step(
        `warning: ${v.file}: user feature ${v.feature} is not checked for InstantOn support (its manifest is not ` +
          `part of the release)`,
      );
    if (v.status === 'depends-on-version')
      opts.reporter.step(
        `warning: ${v.file}: versionless feature ${v.feature}: Open Liberty ${opts.release} cannot checkpoint ` +
          `${v.refusedVersions?.join(', ')}; the platform you set picks the version`,
      );
  }
  const refused = verdicts.filter((v) => v.status === 'refused');
  if (refused.length === 0) return;
  const phases = opts.phases.join(' and ');
  throw new ScenarioError(
    `${scenario.serverXmlShownAs ?? scenario.server.serverXml}: featureManager: ${refused.length} feature(s) ` +
      `cannot be checkpointed at ` +
      `${phases}:\n` +
      refused.map((v) => `  ${refusalLine(v, phases, opts.release)}`).join('\n'),
    `${refused
      .map((v) => {
        const options = alternatives(v);
        return (
          `${options.length > 0 ? `replace ${v.feature} with ${options.join(' or ')}` : `remove ${v.feature}`} ` +
          `in ${path.basename(v.file)}`
        );
      })
      .join('; ')}; or measure only the cold variants (--variants cold)`,
  );
}
