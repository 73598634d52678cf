import { createHash } from 'node:crypto';
import { PROBE_REQUEST_TIMEOUT_MS } from './http-probe.js';

/** The entropy probe's answer, kept as a digest: two restores that answer alike share their random state. */
export async function entropySample(url: string): Promise<{ status?: number; digest?: string; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_REQUEST_TIMEOUT_MS) });
    const body = Buffer.from(await res.arrayBuffer());
    if (!res.ok) return { status: res.status, error: `HTTP ${res.status}` };
    return { status: res.status, digest: createHash('sha256').update(body).digest('hex').slice(0, 16) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
