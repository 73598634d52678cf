import autocannon from 'autocannon';
import { quantileSorted } from 'simple-statistics';
import { nowMs, round } from '../core/clock.js';
import type { RampUpRecord } from '../results/types.js';
import { fullSeconds } from '../results/ramp-seconds.js';
import type { LoadRequest } from '../scenario/types.js';

/** Per-request timeout of the load generator (s): a request slower than this is an error. */
export const RAMP_REQUEST_TIMEOUT_S = 10;

interface Bucket {
  ok: number;
  errors: number;
  latencies: number[];
}

/**
 * autocannon 9 keeps a request it wrote on a connection the server was closing (a keep-alive limit: Tomcat's
 * maxKeepAliveRequests, 100 by default, answers the 100th request with `Connection: close`) in its queue of pending
 * requests when it reconnects, so every later response is matched with the request before it and checked against
 * the wrong expectations (seen here: Spring Boot on a plain JVM, every response after the 100th per connection
 * "wrong"). A new connection has no pending request: the queue is emptied when it connects. The request lost with
 * the old connection was never answered and is not counted. test/unit/measure/ramp-up.test.ts reproduces it.
 */
function forgetUnansweredOnReconnect(client: unknown): void {
  const c = client as { _connect?: () => void; pipelinedRequests?: { clear?: () => void } };
  const connect = c._connect;
  const queue = c.pipelinedRequests;
  if (typeof connect !== 'function' || typeof queue?.clear !== 'function')
    throw new Error('internal: autocannon changed its client (no _connect or pipelinedRequests): recheck ramp-up.ts');
  c._connect = function reconnect(this: unknown) {
    queue.clear?.();
    connect.call(this);
  };
}

/** Does a response body hold every expected text? */
const bodyHolds = (body: string, expected: string | readonly string[] | undefined): boolean =>
  expected === undefined || (typeof expected === 'string' ? [expected] : expected).every((t) => body.includes(t));

/**
 * The ramp-up phase of a start: right after its first response, the scenario's requests at a
 * fixed concurrency for `seconds`, with autocannon, from the harness (its CPUs), to 127.0.0.1
 * only. Every response is checked like the first one (status and body); a wrong one or a
 * transport error is counted as an error in its second, never dropped. Buckets are seconds
 * since the start's launch, so the curve lines up with ready and first response.
 */
export async function rampUp(opts: {
  readonly baseUrl: string;
  readonly requests: readonly LoadRequest[];
  readonly concurrency: number;
  readonly seconds: number;
  readonly launchMs: number;
  readonly abort?: AbortSignal;
}): Promise<Omit<RampUpRecord, 'rssEndKb' | 'hwmEndKb' | 'serverCpuBusyPct'>> {
  const buckets = new Map<number, Bucket>();
  const bucketOf = (): Bucket => {
    const second = Math.floor((nowMs() - opts.launchMs) / 1000);
    const b = buckets.get(second) ?? { ok: 0, errors: 0, latencies: [] };
    buckets.set(second, b);
    return b;
  };
  const errorKinds = { status: 0, body: 0, transport: 0 };
  let firstError: RampUpRecord['firstError'];
  const noteFirst = (e: NonNullable<RampUpRecord['firstError']>): void => {
    firstError ??= e;
  };
  const startedAt = nowMs();
  const url = new URL(opts.baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`ramp-up load goes to 127.0.0.1 only, not ${url.hostname}`);
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // With a callback autocannon returns its instance (events, stop); the callback ends the phase.
  const instance = autocannon(
    {
      url: opts.baseUrl,
      connections: opts.concurrency,
      duration: opts.seconds,
      timeout: RAMP_REQUEST_TIMEOUT_S,
      setupClient: forgetUnansweredOnReconnect,
      requests: opts.requests.map((r) => ({
        method: r.method,
        path: r.path,
        ...(r.body !== undefined ? { body: r.body } : {}),
        ...(r.headers !== undefined ? { headers: r.headers } : {}),
        onResponse: (status: number, body: string) => {
          const b = bucketOf();
          const request = `${r.method} ${r.path}`;
          if (status !== r.expectStatus) {
            b.errors += 1;
            errorKinds.status += 1;
            noteFirst({ request, kind: 'status', status, detail: String(body).slice(0, 300) });
          } else if (!bodyHolds(body, r.expectBodyContains)) {
            b.errors += 1;
            errorKinds.body += 1;
            noteFirst({ request, kind: 'body', status, detail: String(body).slice(0, 300) });
          } else b.ok += 1;
        },
      })),
    },
    () => finished(),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => bucketOf().latencies.push(responseTime));
  instance.on('reqError', (error: unknown) => {
    bucketOf().errors += 1;
    errorKinds.transport += 1;
    noteFirst({ request: 'a request', kind: 'transport', detail: String((error as Error)?.message ?? error) });
  });
  const stop = (): void => instance.stop();
  opts.abort?.addEventListener('abort', stop, { once: true });
  try {
    await done;
  } finally {
    opts.abort?.removeEventListener('abort', stop);
  }
  const rows = bucketRows(buckets);
  return {
    concurrency: opts.concurrency,
    seconds: opts.seconds,
    loadStartMs: round(startedAt - opts.launchMs, 1),
    loadEndMs: round(nowMs() - opts.launchMs, 1),
    requests: rows.reduce((a, r) => a + r.requests, 0),
    errors: rows.reduce((a, r) => a + r.errors, 0),
    errorKinds,
    ...(firstError ? { firstError } : {}),
    buckets: rows,
  };
}

/** Each second's checked responses, errors and latency percentiles, in order. */
function bucketRows(buckets: ReadonlyMap<number, Bucket>) {
  const seconds = [...buckets.keys()].sort((a, b) => a - b);
  const q = (sorted: number[], p: number): number | undefined =>
    sorted.length === 0 ? undefined : round(quantileSorted(sorted, p), 2);
  const rows = seconds.map((s) => {
    const b = buckets.get(s) as Bucket;
    const sorted = [...b.latencies].sort((x, y) => x - y);
    const [p50, p90, p99] = [q(sorted, 0.5), q(sorted, 0.9), q(sorted, 0.99)];
    return {
      second: s,
      requests: b.ok,
      errors: b.errors,
      ...(p50 !== undefined ? { p50Ms: p50, p90Ms: p90 as number, p99Ms: p99 as number } : {}),
    };
  });
  return rows;
}

/**
 * Figures of one start's ramp-up: the peak of its full seconds, when it first reached 90% of
 * that peak (end of that second, ms since launch), requests served in the first 10/30/60 s
 * since launch (only when the load ran that long).
 */
export function rampFigures(r: Pick<RampUpRecord, 'buckets' | 'loadStartMs' | 'loadEndMs'>): {
  peakRps?: number;
  to90OwnPeakMs?: number;
  first10s?: number;
  first30s?: number;
  first60s?: number;
} {
  const full = fullSeconds(r);
  if (full.length === 0) return {};
  const peakRps = Math.max(...full.map((b) => b.requests));
  const first90 = full.find((b) => b.requests >= 0.9 * peakRps);
  const upTo = (s: number): number | undefined =>
    r.loadEndMs >= s * 1000 ? r.buckets.filter((b) => b.second < s).reduce((a, b) => a + b.requests, 0) : undefined;
  const [first10s, first30s, first60s] = [upTo(10), upTo(30), upTo(60)];
  return {
    peakRps,
    ...(first90 ? { to90OwnPeakMs: (first90.second + 1) * 1000 } : {}),
    ...(first10s !== undefined ? { first10s } : {}),
    ...(first30s !== undefined ? { first30s } : {}),
    ...(first60s !== undefined ? { first60s } : {}),
  };
}
