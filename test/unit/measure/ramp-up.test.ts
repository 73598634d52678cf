import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/core/clock.js';
import { rampFigures, rampUp } from '../../../src/measure/ramp-up.js';
import { measuredService } from '../../../src/plan/measured-service.js';
import type { RunRecord } from '../../../src/results/types.js';

describe('ramp-up load', () => {
  it('drives the requests with autocannon, checks every response and buckets them by second since launch', async () => {
    let n = 0;
    const server = http.createServer((req, res) => {
      n += 1;
      // every 10th response has the wrong body, the rest are what the scenario expects
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(n % 10 === 0 ? 'wrong' : 'Hello, World!');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const launch = nowMs() - 1500; // the "start" launched 1.5 s ago
    try {
      const r = await rampUp({
        baseUrl: `http://127.0.0.1:${port}`,
        requests: [{ method: 'GET', path: '/x', expectStatus: 200, expectBodyContains: 'Hello' }],
        concurrency: 2,
        seconds: 2,
        launchMs: launch,
      });
      expect(r.requests).toBeGreaterThan(0);
      expect(r.errors).toBeGreaterThan(0);
      expect(r.errorKinds.body).toBe(r.errors);
      // Every response the server sent is in a bucket: checked ones and errors.
      expect(r.requests + r.errors).toBeGreaterThanOrEqual(n - 2 * 2);
      expect(r.buckets[0]?.second).toBe(1);
      expect(
        r.buckets.every(
          (b) => b.p50Ms === undefined || (b.p50Ms <= (b.p90Ms ?? 0) && (b.p90Ms ?? 0) <= (b.p99Ms ?? 0)),
        ),
      ).toBe(true);
    } finally {
      server.close();
    }
  });

  it("a server that closes every connection after a few requests (a keep-alive limit, Tomcat's 100) gets each response checked against its own request, and the first wrong one is kept", async () => {
    const load = async (limit: number, wrongPath?: string) => {
      const served = new Map<unknown, number>();
      const server = http.createServer((req, res) => {
        const n = (served.get(req.socket) ?? 0) + 1;
        served.set(req.socket, n);
        res.writeHead(200, { 'content-type': 'text/html', ...(n >= limit ? { connection: 'close' } : {}) });
        res.end(req.url === wrongPath ? '<p>not it</p>' : `<p>page ${req.url}</p>`);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      try {
        return await rampUp({
          baseUrl: `http://127.0.0.1:${port}`,
          requests: ['/a', '/b', '/c'].map((p) => ({
            method: 'GET' as const,
            path: p,
            expectStatus: 200,
            expectBodyContains: `page ${p}<`,
          })),
          concurrency: 3,
          seconds: 1,
          launchMs: nowMs(),
        });
      } finally {
        server.close();
      }
    };
    for (const limit of [4, 100]) {
      const r = await load(limit);
      expect(r.requests).toBeGreaterThan(limit * 3);
      expect(r.errors).toBe(0);
      expect(r.firstError).toBeUndefined();
    }
    const wrong = await load(100, '/b');
    expect(wrong.errorKinds.body).toBe(wrong.errors);
    expect(wrong.firstError).toEqual({ request: 'GET /b', kind: 'body', status: 200, detail: '<p>not it</p>' });
  });

  it('refuses to load anything but 127.0.0.1', async () => {
    await expect(
      rampUp({
        baseUrl: 'http://example.org',
        requests: [{ method: 'GET', path: '/', expectStatus: 200 }],
        concurrency: 1,
        seconds: 1,
        launchMs: 0,
      }),
    ).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('derives peak, time to 90% of it and requests in the first seconds from full seconds only', () => {
    const buckets = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((second, i) => ({
      second,
      requests: [50, 200, 400, 900, 1000, 1000, 950, 1000, 980, 300][i] as number,
      errors: 0,
    }));
    const f = rampFigures({ buckets, loadStartMs: 2400, loadEndMs: 11_400 });
    expect(f.peakRps).toBe(1000); // second 11 is partial, second 2 too
    expect(f.to90OwnPeakMs).toBe(6000); // second 5 (900 >= 900) ends at 6 s
    expect(f.first10s).toBe(50 + 200 + 400 + 900 + 1000 + 1000 + 950 + 1000);
    expect(f.first30s).toBeUndefined(); // the load ended before 30 s
  });

  it('measures the service time plan uses: concurrency / steady throughput', () => {
    const run = (rps: number): RunRecord =>
      ({
        scenario: 's',
        variant: 'cold',
        warmup: false,
        status: 'ok',
        metrics: { rampRequests30s: 15 * rps },
        rampUp: {
          concurrency: 4,
          seconds: 30,
          loadStartMs: 5000,
          loadEndMs: 35_000,
          requests: 0,
          errors: 0,
          errorKinds: { status: 0, body: 0, transport: 0 },
          buckets: Array.from({ length: 30 }, (_, i) => ({ second: 5 + i, requests: rps, errors: 0 })),
        },
      }) as unknown as RunRecord;
    const m = measuredService([run(1000), run(2000), run(4000)], 's', 'cold');
    expect(m).toMatchObject({ steadyRps: 2000, concurrency: 4, serviceMs: 2, starts: 3, first30sShare: 0.5 });
    expect(measuredService([run(1000)], 's', 'afterAppStart')).toBeUndefined();
  });
});
