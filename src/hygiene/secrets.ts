import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { envVariables, type Engine } from '../engine/engine.js';
import { MIN_SECRET_CHARS } from '../scenario/schema.js';
import type { CheckpointHygiene, SecretFinding } from '../results/types.js';
import type { Scenario } from '../scenario/types.js';
import { searchFiles, type Needle } from './search.js';

/** Names of variables whose values are taken for secrets (given to the checkpoint run, or in the image's config). */
export const SECRET_NAME = /PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|_KEY$|^KEY_|CREDENTIAL|AUTH/i;

/** A secret file's contents, as the server would read them (surrounding white space and the final newline dropped). */
const fileSecret = async (file: string): Promise<string> => (await readFile(file, 'utf8')).trim();

/** A secret to search for: its name in findings, its value, and how to keep it out of the checkpoint. */
interface Secret extends Needle {
  readonly remedy: string;
}

const restoreRemedy = (file: string): string =>
  `supply it at restore, not to the checkpoint run: an environment variable in "restoreEnv" (server.xml reads ` +
  `\${env.NAME}) or a file in "restoreMounts" of ${file}; Liberty reads both again at restore`;

/** Everything the checkpoint must not hold, with where it came from. */
export async function secretsOf(
  scenario: Scenario,
  imageEnv: readonly string[],
  hostEnv: Readonly<Record<string, string | undefined>>,
): Promise<Secret[]> {
  const secrets: Secret[] = [];
  const add = (name: string, value: string | undefined, remedy: string): void => {
    if (value === undefined || value === '') return;
    if (secrets.some((s) => s.value === value)) return;
    secrets.push({ name, value, remedy });
  };
  const file = scenario.file;
  const looksSecret = (name: string): boolean => SECRET_NAME.test(name) || scenario.secrets.env.includes(name);
  for (const [name, value] of Object.entries(scenario.env))
    if (looksSecret(name))
      add(
        `env ${name} (given to the checkpoint run)`,
        value,
        `move ${name} from "env" to "restoreEnv" in ${file}: restores and cold starts get it, the checkpoint run does ` +
          'not (Liberty reads its environment again at restore)',
      );
  const elsewhere =
    'restores alone are given it, so the image or the checkpoint run got it another way (a Containerfile ENV or ' +
    'COPY, a build argument, server.env): remove it from there';
  for (const [name, value] of Object.entries(scenario.restoreEnv))
    if (looksSecret(name)) add(`env ${name} (given at restore)`, value, elsewhere);
  for (const [target, source] of Object.entries(scenario.restoreMounts))
    add(`mounted file ${target} (mounted at restore)`, await fileSecret(source), elsewhere);
  for (const name of scenario.secrets.env) add(`env ${name}`, hostEnv[name], restoreRemedy(file));
  for (const [target, source] of Object.entries(scenario.mounts)) {
    add(
      `mounted file ${target} (mounted into the checkpoint run)`,
      await fileSecret(source),
      `move ${target} from "mounts" to "restoreMounts" in ${file}: restores and cold starts get it, the checkpoint ` +
        'run does not',
    );
  }
  for (const source of scenario.secrets.files)
    add(`file ${path.relative(scenario.dir, source)}`, await fileSecret(source), restoreRemedy(file));
  scenario.secrets.values.forEach((v, i) => add(`secrets.values[${i}]`, v, restoreRemedy(file)));
  scenario.services.forEach((svc, i) =>
    add(`services[${i}].password (${svc.alias})`, svc.password, restoreRemedy(file)),
  );
  for (const [name, value] of envVariables(imageEnv))
    if (SECRET_NAME.test(name))
      add(
        `env ${name} (in the checkpoint image's config)`,
        value,
        `give ${name} to restores only ("restoreEnv" in ${file}), never to the run the checkpoint is committed from`,
      );
  return secrets;
}

/** Regular files among the paths under `root`. */
async function regularFiles(root: string, paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(path.join(root, p)).catch(() => undefined);
    if (info?.isFile()) files.push(p);
  }
  return files;
}

const PAGES = /^pages-\d+\.img$/;

/** The files the checkpoint's own layer added or changed (memory pages among them), searched for each secret. */
async function searchLayer(engine: Engine, image: string, secrets: Parameters<typeof searchFiles>[1]) {
  const changed = await engine.imageLayerChanges(image);
  return engine.withImageMounted(image, async (root) => {
    const files = await regularFiles(root, changed);
    const { hits, bytes } = await searchFiles(
      files.map((f) => path.join(root, f)),
      secrets,
    );
    return {
      bytes,
      files: files.length,
      hits: hits.map((h) => {
        const inImage = `/${path.relative(root, h.file)}`;
        return {
          name: h.name,
          where: PAGES.test(path.basename(inImage))
            ? `memory pages (${path.basename(inImage)}${h.encoding === 'utf-16le' ? ', UTF-16' : ''})`
            : `image layer ${inImage}${h.encoding === 'utf-16le' ? ' (UTF-16)' : ''}`,
        };
      }),
    };
  });
}

/**
 * Search a checkpoint image for the scenario's secrets: its memory pages (CRIU's pages-*.img), every other file
 * its own layer added or changed, and its config's environment. Findings name the secret, never its value.
 */
export async function inspectSecrets(
  engine: Engine,
  image: string,
  scenario: Scenario,
  hostEnv: Readonly<Record<string, string | undefined>>,
): Promise<CheckpointHygiene['secrets']> {
  const config = await engine.imageRunConfig(image);
  const all = await secretsOf(scenario, config.env, hostEnv);
  const short = all.filter((s) => s.value.length < MIN_SECRET_CHARS);
  const secrets = all.filter((s) => s.value.length >= MIN_SECRET_CHARS);
  const searched = secrets.map((s) => s.name);
  const shortNote =
    short.length > 0
      ? `; not searched (under ${MIN_SECRET_CHARS} characters): ${short.map((s) => s.name).join(', ')}`
      : '';
  if (secrets.length === 0)
    return {
      status: 'clean',
      detail: `no secret to search for (none declared in "secrets", no secret-looking variable given)${shortNote}`,
      searched,
      findings: [],
    };
  const started = performance.now();
  const searchedLayer = await searchLayer(engine, image, secrets);
  if (!searchedLayer)
    return {
      status: 'not-checked',
      detail: `the container engine could not mount ${image} (rootless podman?): its memory and layer were not searched`,
      searched,
      findings: [],
    };
  const inConfig = secrets.flatMap((s) =>
    envVariables(config.env)
      .filter(([, value]) => value.includes(s.value))
      .map(([name]) => ({ name: s.name, where: `image config (ENV ${name})` })),
  );
  const hits = [...searchedLayer.hits, ...inConfig];
  const findings: SecretFinding[] = secrets
    .filter((s) => hits.some((h) => h.name === s.name))
    .map((s) => ({
      secret: s.name,
      where: hits.filter((h) => h.name === s.name).map((h) => h.where),
      remedy: s.remedy,
    }));
  const searchMs = Math.round(performance.now() - started);
  const what =
    `${secrets.length} secret(s) searched in ${(searchedLayer.bytes / 1024 ** 2).toFixed(0)} MiB ` +
    `(${searchedLayer.files} files of the checkpoint's layer, memory pages included, and its config) in ` +
    `${(searchMs / 1000).toFixed(1)} s`;
  return {
    status: findings.length > 0 ? 'finding' : 'clean',
    detail:
      findings.length > 0
        ? `${findings.length} of ${what} found: ${findings.map((f) => f.secret).join(', ')}${shortNote}`
        : `none of ${what} found${shortNote}`,
    searched,
    findings,
    bytesSearched: searchedLayer.bytes,
    searchMs,
  };
}
