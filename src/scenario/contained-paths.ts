import { lstat, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ScenarioError } from '../core/errors.js';

/**
 * Nothing from outside the directories a user named may enter an image. A scenario names its
 * files by path; a symbolic link among them (or anywhere inside a directory it maps) whose
 * target lies outside the scenario directory would copy a host file (say /etc/shadow behind a
 * `jvm.options` link) into an image layer. Such links are refused before anything is built.
 */
export interface NamedSource {
  /** The scenario field, e.g. `server.jvmOptions` or `server.files."data"`. */
  readonly field: string;
  readonly path: string;
}

function inside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real directory a named path may resolve within: the scenario's, or the directory it names outside it. */
async function rootsFor(source: string, scenarioDir: string, realScenarioDir: string): Promise<string[]> {
  if (inside(source, scenarioDir)) return [realScenarioDir];
  // Named explicitly outside the scenario directory: its own directory is the one the user named.
  const parent = await realpath(path.dirname(source)).catch(() => path.dirname(source));
  return [realScenarioDir, parent];
}

function escape(
  scenarioFile: string,
  field: string,
  link: string,
  target: string | undefined,
  roots: readonly string[],
): ScenarioError {
  return new ScenarioError(
    `${scenarioFile}: ${field}: ${link} is a symbolic link ` +
      `${target === undefined ? 'that cannot be resolved' : `to ${target}`}, outside ${roots.join(' and ')}`,
    'copy the file into the scenario directory instead of linking to it: links that leave the scenario directory are ' +
      'refused, so that no host file enters an image',
  );
}

async function checkTree(scenarioFile: string, field: string, p: string, roots: readonly string[]): Promise<void> {
  const info = await lstat(p).catch(() => undefined);
  if (!info) return; // missing: the existence checks name it
  if (info.isSymbolicLink()) {
    const target = await realpath(p).catch(() => undefined);
    if (target === undefined || !roots.some((r) => inside(target, r)))
      throw escape(scenarioFile, field, p, target, roots);
    return; // a link within the directory: its target is checked where it lies
  }
  if (!info.isDirectory()) return;
  for (const entry of await readdir(p)) await checkTree(scenarioFile, field, path.join(p, entry), roots);
}

/**
 * Refuse (exit 2) any named source, or anything inside a named directory, that is a link leaving the scenario
 * directory.
 */
export async function checkContainedSources(
  scenarioFile: string,
  scenarioDir: string,
  sources: readonly NamedSource[],
): Promise<void> {
  const realScenarioDir = await realpath(scenarioDir).catch(() => scenarioDir);
  for (const s of sources) {
    const roots = await rootsFor(s.path, scenarioDir, realScenarioDir);
    // The path's own parent directories may be links too: resolve the whole path.
    const real = await realpath(s.path).catch(() => undefined);
    if (real !== undefined && !roots.some((r) => inside(real, r)))
      throw escape(scenarioFile, s.field, s.path, real, roots);
    await checkTree(scenarioFile, s.field, s.path, roots);
  }
}
