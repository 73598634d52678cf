import type { Engine } from '../engine/engine.js';
import type { AotCacheRecord, RunRecord } from '../results/types.js';
import { measureStart } from './one-start.js';
import { type StartSpec } from './start-parts.js';
import { OUTPUT_TAIL_LINES } from './start-record.js';
import { joinJvmArgs } from '../scenario/jvm-args.js';

import { AOT_CACHE_FILE, AOT_LOG_FILE, AOT_RUN_ARGS } from '../core/container-paths.js';

const OPENED = `Opened AOT cache ${AOT_CACHE_FILE}`;
const MAPPED = /Mapped static +region #\d+/;
/** Lines of the JVM's own output about the cache (errors of a rejected or missing cache). */
const JVM_AOT_LINE =
  /AOT cache|AOTCache|AOTMode|Error occurred during initialization of VM|CDS archive|shared archive/i;

/** The verdict on one aotCache start, from the JVM's log and counters. */
export function verifyAotCache(input: {
  log: string | undefined;
  output: readonly string[];
  classesFromCache: number | undefined;
}): AotCacheRecord {
  const log = (input.log ?? '').split('\n');
  const opened = log.find((l) => l.includes(OPENED));
  const mapped = log.find((l) => MAPPED.test(l));
  const loaded = input.classesFromCache ?? 0;
  const verified = opened !== undefined && mapped !== undefined && loaded > 0;
  const evidence = verified
    ? [opened.trim(), mapped.trim(), `${loaded} classes loaded from the cache (java.cls.sharedLoadedClasses)`]
    : [
        ...(opened
          ? [opened.trim()]
          : [
              `no "${OPENED}" in ` +
                `${AOT_LOG_FILE}${input.log === undefined ? ' (no log: the JVM never got that far)' : ''}`,
            ]),
        ...(opened && !mapped ? ['the cache was opened but no region was mapped'] : []),
        ...(input.classesFromCache !== undefined && loaded === 0
          ? ['0 classes loaded from the cache (java.cls.sharedLoadedClasses)']
          : []),
        ...input.output.filter((l) => JVM_AOT_LINE.test(l)).slice(0, 8),
        ...log.filter((l) => /\[(warning|error)\]/.test(l)).slice(0, 5),
      ];
  // The console and the log file repeat some of the JVM's lines: each once.
  return {
    verified,
    evidence: [...new Set(evidence)],
    ...(input.classesFromCache !== undefined ? { classesFromCache: input.classesFromCache } : {}),
  };
}

/**
 * One start of the aotCache image: measured like a cold start with the cache's JVM options,
 * then verified. A start that came up without the cache is 'fallback', never 'ok'.
 */
export async function measureAotCacheStart(engine: Engine, spec: Omit<StartSpec, 'collect'>): Promise<RunRecord> {
  const jvmArgs = joinJvmArgs(spec.scenario.env.JVM_ARGS, spec.extraEnv?.JVM_ARGS, AOT_RUN_ARGS);
  const { record, output, files } = await measureStart(engine, {
    ...spec,
    extraEnv: { ...(spec.extraEnv ?? {}), JVM_ARGS: jvmArgs },
    collect: [AOT_LOG_FILE],
  });
  const aotCache = verifyAotCache({
    log: files[AOT_LOG_FILE],
    output,
    classesFromCache: record.startState?.classesFromArchive,
  });
  const status = record.status === 'ok' && !aotCache.verified ? 'fallback' : record.status;
  return {
    ...record,
    status,
    aotCache,
    ...(record.startState
      ? {
          startState: {
            ...record.startState,
            classData: aotCache.verified ? 'aot-cache' : record.startState.classData,
          },
        }
      : {}),
    ...(status !== 'ok' ? { outputTail: output.slice(-OUTPUT_TAIL_LINES) } : {}),
    ...(status === 'fallback' ? { error: `not run with the AOT cache: ${aotCache.evidence[0] ?? ''}` } : {}),
  };
}
