import { monotonicOffset } from './restore-probes.js';
import { provesRestore } from '../scenario/variants.js';
import { nowMs, parseRfc3339Ms, round } from '../core/clock.js';
import { MESSAGES_LOG } from '../core/container-paths.js';
import { readyLoggedAt } from '../core/liberty-log.js';
import type { Engine } from '../engine/engine.js';
import type { RampUpRecord, StartState } from '../results/types.js';
import { readCpuTimes } from './cpu-steal.js';
import { ENTRYPOINT_MARK_FILE, type MarkAt } from './timeline.js';
import { jvmClassCounts, jvmLaunchTimes } from './hsperfdata.js';
import { rampUp } from './ramp-up.js';
import { compact, type StartSpec } from './start-parts.js';
import { type Ending } from './start-record.js';

/**
 * What the ended container still tells (podman never created it after a timeout during creation: no state): its
 * state, the files asked for, ready's own time from messages.log when the console had none, its marks and class
 * data, and a restore's monotonic clock.
 */
export async function readAfterStart(engine: Engine, spec: StartSpec, name: string, ended: Ending) {
  let ending = ended;
  let readyFrom = 'server output';
  const state = await engine.containerState(name);
  const files: Record<string, string | undefined> = {};
  const bytes: Record<string, Buffer | undefined> = {};
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
  const clocks =
    provesRestore(spec.variant) && ending.status === 'ok' ? await monotonicOffset(engine, name) : undefined;
  return { state, ending, readyFrom, files, bytes, marks: seen.marks, classes: seen.classes, clocks };
}

/** Ready (the ready line's own timestamp, `readySource` saying which and where from) and the first response, as marks. */
export function endingMarks(ending: Ending, readySource: string): MarkAt[] {
  const marks: MarkAt[] = [];
  if (ending.ready?.loggedAt !== undefined)
    marks.push({
      mark: 'ready',
      atEpochMs: ending.ready.loggedAt,
      source: readySource,
    });
  if (ending.response)
    marks.push({
      mark: 'firstResponse',
      atEpochMs: ending.response.atMs,
      source: 'host clock, expected response read in full',
    });
  return marks;
}

/** What the start began from: its work area and where its classes came from. */
export function startStateOf(
  spec: StartSpec,
  classes: { fromArchive: number; otherwise: number } | undefined,
): StartState {
  return {
    workArea: spec.workArea ?? 'primed',
    classData: classes === undefined ? 'unknown' : classes.fromArchive > 0 ? 'jdk-default-cds' : 'none',
    ...(classes ? { classesFromArchive: classes.fromArchive, classesLoadedOtherwise: classes.otherwise } : {}),
  };
}

/** --ramp-up: the load, how busy the server CPUs were meanwhile, and the Java process's memory at its end. */
export async function loadAfterFirstResponse(
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
export async function containerMarks(
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
