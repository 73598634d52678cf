import { copyFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError, ScenarioError } from '../../core/errors.js';
import { statIfExists } from '../../core/read-if-exists.js';
import { serverFileTarget, toolManagedFiles } from '../../scenario/server-files.js';
import type { Engine } from '../../engine/engine.js';
import type { ServerScenario } from '../../scenario/types.js';
import type { BuiltApp } from './app-build.js';
import { IMAGES_DIR } from '../base/base-image.js';
import { hashText, hashTree, shortKey } from '../cache.js';
import type { BuildReporter } from '../progress.js';
import { buildLogged } from '../build-logged.js';
import { cachedState, describeStale, madeFromLabel, type ReplacedImages } from '../provenance.js';
import { makeDirs } from '../../core/output-paths.js';

export interface AppImage {
  readonly tag: string;
  readonly key: string;
  readonly built: boolean;
}

/**
 * How an application lies in the app image's build context: the folder of images/ whose Containerfile builds the
 * image, and where the archive goes (relative to the context). The server kind's: images/app, server/apps/NAME.
 */
export interface AppLayout {
  readonly containerfileDir: string;
  readonly archiveAt: (deployAs: string) => string;
}

export const SERVER_LAYOUT: AppLayout = { containerfileDir: 'app', archiveAt: (deployAs) => `server/apps/${deployAs}` };

/** Copy one server.files entry (a file, or a directory recursively; modes kept) into the staged context. */
async function copyServerFile(scenario: ServerScenario, dest: string, src: string, contextDir: string): Promise<void> {
  const target = serverFileTarget(dest);
  const to = path.join(contextDir, target.root === 'shared' ? 'shared' : 'server', target.relative);
  const info = await statIfExists(src);
  if (!info) {
    throw new BuildError(
      `${scenario.file}: server.files.${JSON.stringify(dest)}: expected a file or directory at ${src} (after the app ` +
        `build), found nothing`,
      'correct the path, or make the Maven build produce it',
    );
  }
  await makeDirs(path.dirname(to));
  // Links are followed: the scenario loader refused every link that leaves the scenario directory.
  await cp(src, to, { recursive: true, force: true, preserveTimestamps: false, dereference: true }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new BuildError(
        `${scenario.file}: server.files.${JSON.stringify(dest)}: cannot copy ${src} to ${to} ` +
          `(${error.code ?? error.message})`,
        'check the permissions of the source and the free disk space',
        error,
      );
    },
  );
}

/**
 * Lay out what the app image copies in: server/ (the server directory) and shared/ (Liberty's
 * shared resources directory). The scenario's files first, then the tool's own, which a
 * scenario file may not have replaced (refused, never silently overwritten).
 */
export async function stageServerDir(
  scenario: ServerScenario,
  app: BuiltApp,
  contextDir: string,
  layout: AppLayout = SERVER_LAYOUT,
): Promise<void> {
  const serverDir = path.join(contextDir, 'server');
  const archive = path.join(contextDir, layout.archiveAt(scenario.app.deployAs));
  await rm(contextDir, { recursive: true, force: true });
  await makeDirs(path.join(serverDir, 'apps'));
  await makeDirs(path.join(contextDir, 'shared'));
  await makeDirs(path.dirname(archive));
  await copyFile(
    path.join(IMAGES_DIR, layout.containerfileDir, 'Containerfile'),
    path.join(contextDir, 'Containerfile'),
  );
  for (const [dest, src] of Object.entries(app.serverFiles)) await copyServerFile(scenario, dest, src, contextDir);
  const ours = await readFile(path.join(IMAGES_DIR, 'app', 'bootstrap.properties'), 'utf8');
  const theirs = scenario.server.bootstrapProperties ? await readFile(scenario.server.bootstrapProperties, 'utf8') : '';
  const { jvmOptions, serverEnv } = scenario.server;
  // Each file the tool manages (the list the scenario loader refuses as server.files destinations), with how it is
  // written.
  const writers: Readonly<Record<string, (() => Promise<void>) | undefined>> = {
    'server.xml': () => copyFile(scenario.server.serverXml, path.join(serverDir, 'server.xml')),
    'bootstrap.properties': () => writeFile(path.join(serverDir, 'bootstrap.properties'), `${theirs}\n${ours}`),
    'jvm.options': jvmOptions ? () => copyFile(jvmOptions, path.join(serverDir, 'jvm.options')) : undefined,
    'server.env': serverEnv ? () => copyFile(serverEnv, path.join(serverDir, 'server.env')) : undefined,
    [`apps/${scenario.app.deployAs}`]: () => copyFile(app.warFile, archive),
  };
  for (const managed of toolManagedFiles(scenario.app.deployAs)) {
    const write = writers[managed.file];
    if (!write) continue;
    if (await statIfExists(path.join(serverDir, managed.file))) {
      // Only a directory entry can get here (a direct destination is refused when the scenario loads).
      const entry = Object.keys(app.serverFiles).find((d) => {
        const t = serverFileTarget(d);
        return t.root === 'server' && (t.relative === '' || managed.file.startsWith(`${t.relative}/`));
      });
      throw new ScenarioError(
        `${scenario.file}: server.files: a copied directory holds ${managed.file}, which the tool manages ` +
          `(${managed.how})`,
        `remove ${managed.file} from the directory you ` +
          `map${entry ? ` (server.files.${JSON.stringify(entry)}?)` : ''} and use ${managed.field} instead`,
      );
    }
    await write();
  }
}

/** The app image's build context, staged, and the content key and tag it gives. */
export async function stageAppImage(opts: {
  scenario: ServerScenario;
  app: BuiltApp;
  libertyKey: string;
  scratchDir: string;
  prime: boolean;
  layout?: AppLayout;
}): Promise<{ contextDir: string; key: string; tag: string }> {
  const contextDir = path.join(opts.scratchDir, `context-${opts.scenario.name}`);
  await stageServerDir(opts.scenario, opts.app, contextDir, opts.layout);
  const key = hashText(opts.libertyKey, await hashTree(contextDir), `prime=${opts.prime}`);
  return { contextDir, key, tag: `localhost/instanton-bench/${opts.scenario.name}:${shortKey(key)}` };
}

/**
 * A staged build context made into its image, or the image in the cache when it is current (made from `parentTag`'s
 * image): a stale one is said and rebuilt without podman's layer cache, the one it replaces remembered for removal, and
 * the context removed in every case.
 */
export async function ensureStagedImage(
  engine: Engine,
  s: {
    contextDir: string;
    key: string;
    tag: string;
    parentTag: string;
    /** How progress names it ("pingperf: app image"). */
    what: string;
    /** Said beside the tag when it is built (" (priming the server once)"). */
    note?: string;
    buildArgs: Readonly<Record<string, string>>;
    /** What a failed build names ("podman build of the pingperf image") and its remedy. */
    failing: string;
    remedy: string;
    reporter: BuildReporter;
    rebuild?: boolean;
    replaced: ReplacedImages;
  },
): Promise<AppImage> {
  const { contextDir, key, tag } = s;
  const cached = await cachedState(engine, tag, s.parentTag);
  if (!s.rebuild && cached.state === 'current') {
    await rm(contextDir, { recursive: true, force: true });
    return { tag, key, built: false };
  }
  if (cached.state === 'stale' && !s.rebuild) s.reporter.step(describeStale(s.what, tag, cached));
  await s.replaced.remember(engine, tag);
  const labels = await madeFromLabel(engine, s.parentTag);
  const started = Date.now();
  s.reporter.step(`${s.what} ${tag}${s.note ?? ''}`);
  try {
    // --rebuild: podman's layer cache would otherwise reuse an old RUN step (the priming start).
    await buildLogged(
      engine,
      {
        context: contextDir,
        tag,
        buildArgs: s.buildArgs,
        labels,
        noCache: s.rebuild === true || cached.state === 'stale',
      },
      { reporter: s.reporter, what: s.failing, remedy: s.remedy },
    );
  } finally {
    await rm(contextDir, { recursive: true, force: true });
  }
  s.reporter.done(`${s.what} ready`, Date.now() - started);
  return { tag, key, built: true };
}

/** Liberty image + the scenario's server, primed by one start at build time. */
export async function ensureAppImage(
  engine: Engine,
  opts: {
    scenario: ServerScenario;
    app: BuiltApp;
    libertyTag: string;
    libertyKey: string;
    scratchDir: string;
    prime: boolean;
    reporter: BuildReporter;
    rebuild?: boolean;
    replaced: ReplacedImages;
    layout?: AppLayout;
  },
): Promise<AppImage> {
  return ensureStagedImage(engine, {
    ...(await stageAppImage(opts)),
    parentTag: opts.libertyTag,
    what: `${opts.scenario.name}: app image`,
    ...(opts.prime ? { note: ' (priming the server once)' } : {}),
    buildArgs: { LIBERTY_IMAGE: opts.libertyTag, PRIME: String(opts.prime) },
    failing: `podman build of the ${opts.scenario.name} image`,
    remedy: 'check server.xml and the application; rerun with --verbose for the full build output',
    reporter: opts.reporter,
    ...(opts.rebuild !== undefined ? { rebuild: opts.rebuild } : {}),
    replaced: opts.replaced,
  });
}
