import type { Engine } from '../engine/engine.js';
import { createHash } from 'node:crypto';
import { PROBE_REQUEST_TIMEOUT_MS } from '../core/http-probe.js';

const digestOf = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

/**
 * The named parts of an answer of NAME=VALUE lines (one generator each), each as a digest; undefined for an answer
 * of another shape (compared whole).
 */
export function answerParts(body: string): Record<string, string> | undefined {
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2 || !lines.every((l) => /^[\w.-]+=\S/.test(l))) return undefined;
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), digestOf(l.slice(l.indexOf('=') + 1))]));
}

/**
 * The entropy probe's answer, kept as a digest (never the answer itself), and per named part when it is NAME=VALUE
 * lines: two restores that answer alike share their random state.
 */
export async function entropySample(
  url: string,
): Promise<{ status?: number; digest?: string; parts?: Record<string, string>; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_REQUEST_TIMEOUT_MS) });
    const body = Buffer.from(await res.arrayBuffer());
    if (!res.ok) return { status: res.status, error: `HTTP ${res.status}` };
    const parts = answerParts(body.toString('utf8'));
    return { status: res.status, digest: digestOf(body), ...(parts ? { parts } : {}) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** What a restore's clocks said (read after its figures). */
export interface ClockReadings {
  /** The java process's CLOCK_MONOTONIC offset from the host's (its time namespace, /proc/PID/timens_offsets). */
  readonly monotonicOffsetMs?: number;
}

/**
 * The java process's monotonic clock offset (ms) from the host's: CRIU restores a process into a time namespace
 * whose clocks continue from the checkpoint. Empty when it cannot be read (no java process, no time namespaces).
 */
export async function monotonicOffset(engine: Engine, container: string): Promise<ClockReadings> {
  const script =
    'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = java ] && grep "^monotonic" $p/timens_offsets && exit 0; done; exit 1';
  const r = await engine.execIn(container, ['sh', '-c', script], { timeoutMs: 5_000 }).catch(() => undefined);
  const m = /^monotonic\s+(-?\d+)\s+(\d+)/m.exec(r?.stdout ?? '');
  if (!m) return {};
  const ms = Number(m[1]) * 1000 + Number(m[2]) / 1e6;
  return { monotonicOffsetMs: Math.round(ms * 10) / 10 };
}
