import { entropySample, monotonicOffset, type ClockReadings } from './restore-probes.js';
import { provesRestore } from '../scenario/variants.js';
import { nowMs, parseRfc3339Ms, round } from '../core/clock.js';
import { parseCpuList } from '../core/cpu-list.js';
import { MSG_SERVER_READY } from '../core/liberty-messages.js';
import { MESSAGES_LOG } from '../core/container-paths.js';
import { readyLoggedAt } from '../core/liberty-log.js';
import type { AttachedContainer, Engine } from '../engine/engine.js';
import type { RampUpRecord, RunRecord, StartState } from '../results/types.js';
import { readCpuTimes } from './cpu-steal.js';
import { freePort } from '../core/free-port.js';
import { pollFirstResponse, type ProbeResult } from '../core/http-probe.js';
import { buildTimeline, ENTRYPOINT_MARK_FILE, logMarks, type MarkAt } from './timeline.js';
import { jvmClassCounts, jvmLaunchTimes } from './hsperfdata.js';
import { rampUp } from './ramp-up.js';
import {
  compact,
  containerName,
  type StartSpec,
  removeStartContainer,
  serverRunSpec,
  SETTLE_TIMEOUT_MS,
  StartTimers,
  watchOutput,
  whenAborted,
  type ReadyMark,
} from './start-parts.js';
import { opt, startRecord, rampMetrics, foreignCpuMs } from './start-record.js';
import { type Ending } from './start-record.js';
export { OUTPUT_TAIL_LINES } from './start-record.js';

export type { StartSpec };

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
 * CWWKF0011I (its own timestamp, and when seen) -> first expected HTTP response; memory of
 * the Java process from /proc after ready and after the first response; its CPU affinity.
 * The container is removed in every case.
 */
export async function measureStart(engine: Engine, spec: StartSpec): Promise<StartOutcome> {
  const name = containerName(spec);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${spec.scenario.firstResponse.path}`;
  const serverCpuList = parseCpuList(spec.serverCpus);
  const before = await readCpuTimes(serverCpuList);
  const t0 = nowMs();
  const launchedAt = new Date(t0);
  const child = engine.runAttached(serverRunSpec(spec, name, port));
  const probeAbort = new AbortController();
  const { expectStatus, expectBodyContains } = spec.scenario.firstResponse;
  const probe = pollFirstResponse(
    { url, expectStatus, ...(expectBodyContains !== undefined ? { expectBodyContains } : {}) },
    probeAbort.signal,
  );
  const watch = watchOutput(child);
  const timers = new StartTimers();
  let ending: Ending = { status: 'failed', error: 'not started' };
  let endedAt = t0;
  let ramp: RampUpRecord | undefined;
  let entropy: Awaited<ReturnType<typeof entropySample>> | undefined;
  let clocks: ClockReadings | undefined;
  let state: Awaited<ReturnType<Engine['containerState']>>;
  const files: Record<string, string | undefined> = {};
  const bytes: Record<string, Buffer | undefined> = {};
  const marks: MarkAt[] = [{ mark: 'launch', atEpochMs: t0, source: 'host clock before podman run' }];
  let classes: { fromArchive: number; otherwise: number } | undefined;
  let readyFrom = 'server output';
  try {
    ending = await awaitEnding(engine, spec, {
      name,
      url,
      child,
      ready: watch.ready,
      probe,
      timers,
      serverCpuList,
      busyBefore: before.busyMs,
    });
    if (ending.status === 'ok' && spec.rampUp && !spec.abort?.aborted)
      ramp = await loadAfterFirstResponse(engine, spec, spec.rampUp, { name, port, launchMs: t0, serverCpuList });
    // After every figure: the entropy probe of a restore (compared across restores of its checkpoint).
    const entropyPath = spec.scenario.probes.entropy?.path;
    if (ending.status === 'ok' && entropyPath && provesRestore(spec.variant) && !spec.abort?.aborted)
      entropy = await entropySample(`http://127.0.0.1:${port}${entropyPath}`);
    endedAt = nowMs();
    if (!spec.abort?.aborted) {
      // Absent when podman never created the container (a timeout during creation).
      state = await engine.containerState(name);
      for (const file of spec.collect ?? []) files[file] = await engine.readContainerFile(name, file);
      // A console without timestamps (Liberty's default format): ready is CWWKF0011I's own time in messages.log.
      if (ending.ready && ending.ready.loggedAt === undefined) {
        const log = files[MESSAGES_LOG] ?? (await engine.readContainerFile(name, MESSAGES_LOG));
        const loggedAt = readyLoggedAt(log ?? '');
        if (loggedAt !== undefined) {
          ending = { ...ending, ready: { ...ending.ready, loggedAt } };
          readyFrom = 'messages.log';
        }
      }
      for (const file of spec.collectBytes ?? []) bytes[file] = await engine.readContainerBytes(name, file);
      const seen = await containerMarks(engine, name, state);
      marks.push(...seen.marks);
      classes = seen.classes;
      if (provesRestore(spec.variant) && ending.status === 'ok') clocks = await monotonicOffset(engine, name);
    }
  } finally {
    probeAbort.abort();
    await removeStartContainer(engine, name, child, timers, state?.startedAtIso !== undefined);
    await Promise.race([Promise.allSettled([child.exited, watch.done, probe]), timers.delay(SETTLE_TIMEOUT_MS)]);
    timers.clear();
  }
  const teardownMs = round(nowMs() - endedAt, 1);
  const startedAtMs = state?.startedAtIso !== undefined ? parseRfc3339Ms(state.startedAtIso) : undefined;
  marks.push(...logMarks(watch.output, t0, 'server output'));
  if (ending.ready?.loggedAt !== undefined)
    marks.push({
      mark: 'ready',
      atEpochMs: ending.ready.loggedAt,
      source: `${MSG_SERVER_READY} timestamp (${readyFrom})`,
    });
  if (ending.response)
    marks.push({
      mark: 'firstResponse',
      atEpochMs: ending.response.atMs,
      source: 'host clock, expected response read in full',
    });
  const record = startRecord(spec, {
    name,
    launchedAt,
    t0,
    startedAtMs,
    stealBefore: before.stealMs,
    ending,
    output: watch.output,
  });
  const harness = { endedMs: round(endedAt - t0, 1), teardownMs };
  const startState: StartState = {
    workArea: spec.workArea ?? 'primed',
    classData: classes === undefined ? 'unknown' : classes.fromArchive > 0 ? 'jdk-default-cds' : 'none',
    ...(classes ? { classesFromArchive: classes.fromArchive, classesLoadedOtherwise: classes.otherwise } : {}),
  };
  const withRamp = ramp ? { ...record, rampUp: ramp, metrics: { ...record.metrics, ...rampMetrics(ramp) } } : record;
  return {
    record: {
      ...withRamp,
      ...(entropy || clocks ? { probes: { ...(entropy ? { entropy } : {}), ...(clocks ? { clocks } : {}) } } : {}),
      startState,
      timeline: { marks: buildTimeline(t0, marks) },
      harness,
    },
    output: watch.output,
    files,
    bytes,
    launchMs: t0,
    marks,
  };
}

/** --ramp-up: the load, how busy the server CPUs were meanwhile, and the Java process's memory at its end. */
async function loadAfterFirstResponse(
  engine: Engine,
  spec: StartSpec,
  load: NonNullable<StartSpec['rampUp']>,
  c: { name: string; port: number; launchMs: number; serverCpuList: number[] },
): Promise<RampUpRecord> {
  const busyBefore = (await readCpuTimes(c.serverCpuList)).busyMs;
  const from = nowMs();
  const result = await rampUp({
    baseUrl: `http://127.0.0.1:${c.port}`,
    requests: spec.scenario.load.requests,
    concurrency: load.concurrency,
    seconds: load.seconds,
    launchMs: c.launchMs,
    ...(spec.abort ? { abort: spec.abort } : {}),
  });
  const busyAfter = (await readCpuTimes(c.serverCpuList)).busyMs;
  const busyPct =
    busyBefore !== undefined && busyAfter !== undefined
      ? Math.min(100, round((100 * (busyAfter - busyBefore)) / ((nowMs() - from) * c.serverCpuList.length), 1))
      : undefined;
  const mem = await engine.processStatus(c.name, 'java');
  return { ...result, ...compact({ serverCpuBusyPct: busyPct, rssEndKb: mem?.vmRssKb, hwmEndKb: mem?.vmHwmKb }) };
}

/**
 * Marks only the container can tell, read before it is removed: podman's created and started
 * times, the entrypoint's own clock, and the JVM's launch times from its perf data (a
 * restored JVM's are from the checkpoint's build and fall before the launch).
 */
async function containerMarks(
  engine: Engine,
  name: string,
  state: Awaited<ReturnType<Engine['containerState']>>,
): Promise<{ marks: MarkAt[]; classes?: { fromArchive: number; otherwise: number } }> {
  const out: MarkAt[] = [];
  const created = state?.createdAtIso !== undefined ? parseRfc3339Ms(state.createdAtIso) : undefined;
  const started = state?.startedAtIso !== undefined ? parseRfc3339Ms(state.startedAtIso) : undefined;
  if (created !== undefined) out.push({ mark: 'containerCreated', atEpochMs: created, source: 'podman .Created' });
  if (started !== undefined)
    out.push({ mark: 'containerStarted', atEpochMs: started, source: 'podman .State.StartedAt' });
  const entryUs = Number(((await engine.readContainerFile(name, ENTRYPOINT_MARK_FILE)) ?? '').trim());
  if (entryUs > 0)
    out.push({
      mark: 'entrypoint',
      atEpochMs: entryUs / 1000,
      source: "entrypoint.sh's first line (bash EPOCHREALTIME)",
    });
  for (const dir of (await engine.listContainerDir(name, '/tmp')).filter((d) => d.startsWith('hsperfdata_'))) {
    for (const file of await engine.listContainerDir(name, `/tmp/${dir}`)) {
      const perf = (await engine.readContainerBytes(name, `/tmp/${dir}/${file}`)) ?? Buffer.alloc(0);
      const jvm = jvmLaunchTimes(perf);
      if (!jvm) continue;
      out.push({
        mark: 'jvmLaunched',
        atEpochMs: jvm.createVmBeginMs,
        source: 'JVM perf data sun.rt.createVmBeginTime',
      });
      if (jvm.createVmEndMs !== undefined)
        out.push({ mark: 'jvmCreated', atEpochMs: jvm.createVmEndMs, source: 'JVM perf data sun.rt.createVmEndTime' });
      const classes = jvmClassCounts(perf);
      return { marks: out, ...(classes ? { classes } : {}) };
    }
  }
  return { marks: out };
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
    probe: Promise<ProbeResult | undefined>;
    timers: StartTimers;
    serverCpuList: number[];
    busyBefore: number | undefined;
  },
): Promise<Ending> {
  const exited = s.child.exited.then(() => 'exited' as const);
  const timedOut = s.timers.delay(spec.readyTimeoutMs).then(() => 'timeout' as const);
  const abort = whenAborted(spec.abort);
  s.timers.onClear(abort.dispose);
  const aborted = abort.promise;
  const first = await Promise.race([s.ready, exited, timedOut, aborted]);
  if (first === 'aborted') return { status: 'failed', error: 'interrupted' };
  if (first === 'timeout')
    return { status: 'timed-out', error: `no ${MSG_SERVER_READY} within ${spec.readyTimeoutMs} ms of launch` };
  if (first === 'exited')
    return {
      status: 'failed',
      error: `server container exited (code ${(await s.child.exited).exitCode}) before ${MSG_SERVER_READY}`,
    };
  const ready = first;
  const afterReady = await engine.processStatus(s.name, 'java');
  const second = await Promise.race([s.probe.then((r) => r ?? ('aborted' as const)), exited, timedOut, aborted]);
  const expected = spec.scenario.firstResponse.expectStatus;
  if (typeof second === 'object') {
    const afterFirst = await engine.processStatus(s.name, 'java');
    const after = await readCpuTimes(s.serverCpuList);
    const foreignMs = await foreignCpuMs(engine, s.name, s.child, s.busyBefore, after.busyMs);
    return {
      status: 'ok',
      ready,
      response: second,
      ...opt({ afterReady, afterFirst, stealAfter: after.stealMs, foreignMs }),
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
