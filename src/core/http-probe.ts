import http from 'node:http';
import { nowMs } from './clock.js';

/** Between two first-response requests: the ready-to-response gap is measured to about this. */
export const PROBE_INTERVAL_MS = 10;
/** One request's limit (a server still starting may accept and not answer). */
export const PROBE_REQUEST_TIMEOUT_MS = 2_000;
/** How much of an unexpected body a failed start records. */
export const BODY_SAMPLE_CHARS = 200;

export interface ProbeTarget {
  readonly url: string;
  readonly expectStatus: number;
  readonly expectBodyContains?: string | readonly string[];
}

export interface ProbeResult {
  /** Host clock when the matching response had been read in full. */
  readonly atMs: number;
  readonly status: number;
  readonly attempts: number;
  readonly bodySample: string;
}

function getOnce(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

/**
 * Poll until the URL answers with the expected status (and body text), the signal aborts,
 * or never. Refused connections are retried every PROBE_INTERVAL_MS. Resolves undefined on abort.
 */
export async function pollFirstResponse(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult | undefined> {
  let attempts = 0;
  const wanted =
    target.expectBodyContains === undefined
      ? []
      : typeof target.expectBodyContains === 'string'
        ? [target.expectBodyContains]
        : target.expectBodyContains;
  while (!signal.aborted) {
    attempts += 1;
    try {
      const res = await getOnce(target.url, PROBE_REQUEST_TIMEOUT_MS);
      const bodyOk = wanted.every((w) => res.body.includes(w));
      if (res.status === target.expectStatus && bodyOk) {
        return { atMs: nowMs(), status: res.status, attempts, bodySample: res.body.slice(0, BODY_SAMPLE_CHARS) };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
  return undefined;
}
