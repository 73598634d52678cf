import { entropySample } from './restore-probes.js';
import { provesRestore } from '../scenario/variants.js';
import { nowMs, parseRfc3339Ms, round } from '../core/clock.js';
import { parseCpuList } from '../core/cpu-list.js';
import type { AttachedContainer, Engine } from '../engine/engine.js';
import type { RampUpRecord, RunRecord } from '../results/types.js';
import { readCpuTimes, harnessCpuTime, harnessOtherSince, type HarnessCpuTime } from './cpu-steal.js';
import { freePort } from '../core/free-port.js';
import { pollFirstResponse, type ProbeResult } from '../core/http-probe.js';
import { buildTimeline, logMarks, type MarkAt } from './timeline.js';
import {
  containerName,
  type StartSpec,
  removeStartContainer,
  serverRunSpec,
  SETTLE_TIMEOUT_MS,
  StartTimers,
  whenAborted,
} from './start-parts.js';
import { watchOutput, type ReadyMark } from '../verify/output-watch.js';
import { readySignalOf } from '../verify/ready-signal.js';
import { opt, startRecord, rampMetrics, foreignCpuMs, type Ending } from './start-record.js';
import { readAfterStart, endingMarks, startStateOf, loadAfterFirstResponse } from './start-after.js';

/** What a start produced before classification: the caller verifies restores from it. */
export interface StartOutcome {
  readonly record: RunRecord;
  /** Every line the server printed (stdout and stderr), capped. */
  readonly output: readonly string[];
  /** The collected files by container path (undefined when absent). */
  readonly files: Readonly<Record<string, string | undefined>>;
  /** Binary files collected (spec.collectBytes), by container path. */
  readonly bytes: Readonly<Record<string, Buffer | undefined>>;
  /** Host clock at launch, to place collected timestamps (restoreTime) on the run's axis. */
  readonly launchMs: number;
  /** The timeline's marks on the wall clock, for the caller to add its own and rebuild. */
  readonly marks: readonly MarkAt[];
}

/**
 * One start of a server container, timed from the host: launch -> container started ->
 * ready (CWWKF0011I, or a plain JVM's ready line: its own timestamp, and when seen) -> first expected HTTP response; memory of
 * the Java process from /proc after ready and after the first response; its CPU affinity.
 * The container is removed in every case.
 */
export async function measureStart(engine: Engine, spec: StartSpec): Promise<StartOutcome> {
  const name = containerName(spec);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${spec.scenario.firstResponse.path}`;
  const serverCpuList = parseCpuList(spec.serverCpus);
  const before = await readCpuTimes(serverCpuList);
  const harnessBefore = await harnessCpuTime(serverCpuList);
  const t0 = nowMs();
  const launchedAt = new Date(t0);
  const child = engine.runAttached(serverRunSpec(spec, name, port));
  const probeAbort = new AbortController();
  const probe = pollFirstResponse({ ...spec.scenario.firstResponse, url }, probeAbort.signal);
  const readySignal = readySignalOf(spec.scenario);
  const watch = watchOutput(child, readySignal);
  const timers = new StartTimers();
  let ending: Ending = { status: 'failed', error: 'not started' };
  let endedAt = t0;
  let ramp: RampUpRecord | undefined;
  let entropy: Awaited<ReturnType<typeof entropySample>> | undefined;
  let after: Awaited<ReturnType<typeof readAfterStart>> | undefined;
  try {
    ending = await awaitEnding(engine, spec, {
      name,
      url,
      child,
      ready: watch.ready,
      readyName: readySignal.name,
      probe,
      timers,
      serverCpuList,
      busyBefore: before.busyMs,
      harnessBefore,
    });
    if (ending.status === 'ok' && spec.rampUp && !spec.abort?.aborted)
      ramp = await loadAfterFirstResponse(engine, spec, spec.rampUp, { name, port, launchMs: t0, serverCpuList });
    if (ending.status === 'ok') entropy = await entropyOf(spec, port);
    endedAt = nowMs();
    if (!spec.abort?.aborted) {
      after = await readAfterStart(engine, spec, name, ending);
      ending = after.ending;
    }
  } finally {
    probeAbort.abort();
    await removeStartContainer(engine, name, child, timers, after?.state?.startedAtIso !== undefined);
    await Promise.race([Promise.allSettled([child.exited, watch.done, probe]), timers.delay(SETTLE_TIMEOUT_MS)]);
    timers.clear();
  }
  const teardownMs = round(nowMs() - endedAt, 1);
  const startedAtIso = after?.state?.startedAtIso;
  const startedAtMs = startedAtIso !== undefined ? parseRfc3339Ms(startedAtIso) : undefined;
  const marks: MarkAt[] = [
    { mark: 'launch', atEpochMs: t0, source: 'host clock before podman run' },
    ...(after?.marks ?? []),
    ...logMarks(watch.output, t0, 'server output'),
    ...endingMarks(ending, `${readySignal.name} timestamp (${after?.readyFrom ?? 'server output'})`),
  ];
  const record = startRecord(spec, {
    name,
    launchedAt,
    t0,
    startedAtMs,
    stealBefore: before.stealMs,
    ending,
    output: watch.output,
  });
  const clocks = after?.clocks;
  const withRamp = ramp ? { ...record, rampUp: ramp, metrics: { ...record.metrics, ...rampMetrics(ramp) } } : record;
  return {
    record: {
      ...withRamp,
      ...(entropy || clocks ? { probes: { ...(entropy ? { entropy } : {}), ...(clocks ? { clocks } : {}) } } : {}),
      startState: startStateOf(spec, after?.classes),
      timeline: { marks: buildTimeline(t0, marks) },
      harness: { endedMs: round(endedAt - t0, 1), teardownMs },
    },
    output: watch.output,
    files: after?.files ?? {},
    bytes: after?.bytes ?? {},
    launchMs: t0,
    marks,
  };
}

/** Wait for ready, then for the first response; a timeout, an exit or Ctrl-C ends the wait. */
async function awaitEnding(
  engine: Engine,
  spec: StartSpec,
  s: {
    name: string;
    url: string;
    child: AttachedContainer;
    ready: Promise<ReadyMark>;
    readyName: string;
    probe: Promise<ProbeResult | undefined>;
    timers: StartTimers;
    serverCpuList: number[];
    busyBefore: number | undefined;
    harnessBefore: HarnessCpuTime | undefined;
  },
): Promise<Ending> {
  const exited = s.child.exited.then(() => 'exited' as const);
  const timedOut = s.timers.delay(spec.readyTimeoutMs).then(() => 'timeout' as const);
  const abort = whenAborted(spec.abort);
  s.timers.onClear(abort.dispose);
  const aborted = abort.promise;
  const first = await Promise.race([s.ready, exited, timedOut, aborted]);
  const { readyName } = s;
  if (first === 'aborted') return { status: 'failed', error: 'interrupted' };
  if (first === 'timeout')
    return { status: 'timed-out', error: `no ${readyName} within ${spec.readyTimeoutMs} ms of launch` };
  if (first === 'exited')
    return {
      status: 'failed',
      error: `server container exited (code ${(await s.child.exited).exitCode}) before ${readyName}`,
    };
  const ready = first;
  const afterReady = await engine.processStatus(s.name, 'java');
  const second = await Promise.race([s.probe.then((r) => r ?? ('aborted' as const)), exited, timedOut, aborted]);
  const expected = spec.scenario.firstResponse.expectStatus;
  if (typeof second === 'object') {
    const afterFirst = await engine.processStatus(s.name, 'java');
    const after = await readCpuTimes(s.serverCpuList);
    const foreignMs = await foreignCpuMs(engine, s.name, s.child, s.busyBefore, after.busyMs);
    const harnessOtherMs = harnessOtherSince(s.harnessBefore, await harnessCpuTime(s.serverCpuList));
    return {
      status: 'ok',
      ready,
      response: second,
      ...opt({ afterReady, afterFirst, stealAfter: after.stealMs, foreignMs, harnessOtherMs }),
    };
  }
  if (second === 'timeout')
    return {
      status: 'timed-out',
      ready,
      error: `ready, but no ${expected} from ${s.url} within ${spec.readyTimeoutMs} ms of launch`,
      ...opt({ afterReady }),
    };
  if (second === 'aborted') return { status: 'failed', ready, error: 'interrupted', ...opt({ afterReady }) };
  return {
    status: 'failed',
    ready,
    error: `server exited after ready, before a ${expected} from ${s.url}`,
    ...opt({ afterReady }),
  };
}

/** After every figure: the entropy probe of a restore (compared across restores of its checkpoint), if it has one. */
async function entropyOf(
  spec: StartSpec,
  port: number,
): Promise<Awaited<ReturnType<typeof entropySample>> | undefined> {
  const entropyPath = spec.scenario.probes.entropy?.path;
  if (!entropyPath || !provesRestore(spec.variant) || spec.abort?.aborted) return undefined;
  return entropySample(`http://127.0.0.1:${port}${entropyPath}`);
}
