import path from 'node:path';
import { ScenarioError } from '../core/errors.js';
import { SHARED_PREFIX } from './schema.js';

/** Where a server.files destination lands in the image. */
export const SERVER_DIR_IN_IMAGE = '/opt/ol/wlp/usr/servers/defaultServer';
export const SHARED_RESOURCES_IN_IMAGE = '/opt/ol/wlp/usr/shared/resources';

export interface ServerFileTarget {
  /** server: the server directory (${server.config.dir}); shared: ${shared.resource.dir}. */
  readonly root: 'server' | 'shared';
  /** Normalized path below that root ('' for the root itself). */
  readonly relative: string;
}

export function serverFileTarget(dest: string): ServerFileTarget {
  const shared = dest.startsWith(SHARED_PREFIX);
  const rel = path.posix.normalize(shared ? dest.slice(SHARED_PREFIX.length) : dest).replace(/\/+$/, '');
  return { root: shared ? 'shared' : 'server', relative: rel === '.' ? '' : rel };
}

/**
 * The files the tool itself writes in the server directory, and the scenario field that feeds
 * each: a server.files entry may not replace them (bootstrap.properties carries the tool's
 * ISO log timestamps, which the log parsing needs).
 */
export function toolManagedFiles(
  deployAs: string,
): ReadonlyArray<{ readonly file: string; readonly field: string; readonly how: string }> {
  return [
    { file: 'server.xml', field: 'server.serverXml', how: 'copied from server.serverXml' },
    {
      file: 'bootstrap.properties',
      field: 'server.bootstrapProperties',
      how:
        "written by the tool: your server.bootstrapProperties lines, then the tool's " +
        '(com.ibm.ws.logging.isoDateFormat=true)',
    },
    { file: 'jvm.options', field: 'server.jvmOptions', how: 'copied from server.jvmOptions' },
    { file: 'server.env', field: 'server.serverEnv', how: 'copied from server.serverEnv' },
    { file: `apps/${deployAs}`, field: 'app.deployAs', how: 'the application the tool built or was given' },
  ];
}

/** Refuse a server.files destination that names a file the tool writes (exit 2, before any build). */
export function checkServerFileDestinations(
  scenarioFile: string,
  files: Readonly<Record<string, string>>,
  deployAs: string,
): void {
  for (const dest of Object.keys(files)) {
    const target = serverFileTarget(dest);
    if (target.root !== 'server') continue;
    const managed = toolManagedFiles(deployAs).find((m) => m.file === target.relative);
    if (managed) {
      throw new ScenarioError(
        `${scenarioFile}: server.files.${JSON.stringify(dest)}: ${managed.file} is managed by the tool ` +
          `(${managed.how}); a server.files entry would replace it`,
        `remove server.files.${JSON.stringify(dest)} and use ${managed.field} ` +
          `instead${managed.file === 'bootstrap.properties' ? " (its lines are merged with the tool's)" : ''}`,
      );
    }
  }
}
