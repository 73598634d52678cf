import { existsSync } from 'node:fs';
import { EngineError } from '../core/errors.js';
import { LABEL_SESSION, LABEL_TOOL } from '../engine/labels.js';
import type { Engine } from '../engine/engine.js';
import type { ServiceSpec } from '../scenario/types.js';
import { readFile } from 'node:fs/promises';

export const POSTGRES_READY_TIMEOUT_MS = 90_000;
export const POSTGRES_POLL_MS = 250;

export interface RunningService {
  readonly name: string;
  readonly alias: string;
  readonly cpus?: string;
  stop(): Promise<void>;
  /** undefined while it serves; else what is wrong (container state, its last log lines). */
  check(): Promise<string | undefined>;
  /**
   * Whether its container's main process is still there (read from /proc: no podman call, cheap enough to poll during a
   * start).
   */
  alive(): boolean;
}

const sqlLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

async function psql(engine: Engine, name: string, args: readonly string[], input: string): Promise<void> {
  const r = await engine.execIn(name, ['psql', '-v', 'ON_ERROR_STOP=1', '-q', ...args], { input, timeoutMs: 60_000 });
  if (r.exitCode !== 0)
    throw new EngineError(`psql in ${name} failed: ${r.all.trim().slice(-400)}`, 'check the seed SQL of the scenario');
}

/**
 * Start a fresh PostgreSQL for a scenario on the bench network, pinned to the harness CPUs,
 * wait until it accepts connections, create the user and database, run the seed SQL.
 */
export async function startPostgres(
  engine: Engine,
  spec: ServiceSpec,
  opts: { image: string; network: string; session: string; scenario: string; cpus?: string },
): Promise<RunningService> {
  const name = `ib-${opts.session}-${opts.scenario}-${spec.alias}`.toLowerCase();
  await engine.removeContainer(name);
  const runSpec = {
    name,
    image: opts.image,
    labels: { [LABEL_TOOL]: 'service', [LABEL_SESSION]: opts.session },
    ...(opts.cpus !== undefined ? { pinning: { method: 'cpuset' as const, cpus: opts.cpus } } : {}),
    network: { name: opts.network, alias: spec.alias },
  };
  const stop = async (): Promise<void> => {
    await engine.removeContainer(name);
  };
  try {
    await engine.runDetached(runSpec);
    const deadline = Date.now() + POSTGRES_READY_TIMEOUT_MS;
    for (;;) {
      const r = await engine.execIn(name, ['pg_isready', '-q', '-U', 'postgres'], { timeoutMs: 10_000 });
      if (r.exitCode === 0) break;
      if (Date.now() > deadline)
        throw new EngineError(
          `PostgreSQL in ${name} not ready within ${POSTGRES_READY_TIMEOUT_MS} ms: ${await engine.logs(name)}`,
          'see the container log above',
        );
      await new Promise((res) => setTimeout(res, POSTGRES_POLL_MS));
    }
    // The password goes through psql's stdin, never a command line (`ps` shows those).
    await psql(
      engine,
      name,
      ['-U', 'postgres', '-f', '-'],
      `CREATE ROLE ${sqlIdent(spec.user)} LOGIN PASSWORD ${sqlLiteral(spec.password)};\nCREATE DATABASE ` +
        `${sqlIdent(spec.database)} OWNER ${sqlIdent(spec.user)};\n`,
    );
    if (spec.seed)
      await psql(engine, name, ['-U', spec.user, '-d', spec.database, '-f', '-'], await readFile(spec.seed, 'utf8'));
  } catch (error) {
    await stop();
    throw error;
  }
  const check = async (): Promise<string | undefined> => {
    const r = await engine.execIn(name, ['pg_isready', '-q', '-U', 'postgres'], { timeoutMs: 10_000 });
    if (r.exitCode === 0) return undefined;
    const state = await engine.containerState(name);
    const tail = (await engine.logs(name)).trim().split('\n').slice(-3).join(' | ');
    return (
      `PostgreSQL ${spec.alias} (container ${name}) ` +
      `${state?.pid ? 'does not accept connections' : 'is not running'}${tail ? `; its last lines: ${tail}` : ''}`
    );
  };
  const pid = (await engine.containerState(name))?.pid;
  // Unknown pid (an engine that does not say): never reported dead by this check; check() still asks.
  const alive = (): boolean => pid === undefined || pid === 0 || existsSync(`/proc/${pid}`);
  return { name, alias: spec.alias, ...(opts.cpus !== undefined ? { cpus: opts.cpus } : {}), stop, check, alive };
}
