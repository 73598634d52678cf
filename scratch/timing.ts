import { makePodman } from '../src/engine/make-podman.js';
import { loadScenario } from '../src/scenario/load.js';
import { measureInstantOnStart } from '../src/measure/instanton-start.js';
import { measureStart } from '../src/measure/one-start.js';
const variant = process.argv[2] ?? 'afterAppStart';
const image = process.argv[3]!;
const real = await makePodman();
const t0 = performance.now();
const eng = new Proxy(real, { get(t, p, r) { const v = Reflect.get(t, p, r); if (typeof v !== 'function') return v; return (...a: unknown[]) => { const s = performance.now(); const out = v.apply(t, a); if (out instanceof Promise) out.then(() => console.log(`${(s - t0).toFixed(0).padStart(6)} +${(performance.now() - s).toFixed(0).padStart(4)} ${String(p)} ${String(a[1] ?? '').slice(0,40)}`)); return out; }; } });
const scenario = await loadScenario('pingperf', process.cwd());
for (let i = 0; i < 3; i++) {
  const base = { scenario, variant: variant as never, iteration: i + 1, warmup: false, sessionId: 'tm' + i, pin: 'taskset' as const, serverCpus: '1', readyTimeoutMs: 60000, image };
  const s = performance.now();
  const r = variant === 'cold' ? (await measureStart(eng as never, base)).record : await measureInstantOnStart(eng as never, base, { mode: 'least-privilege', strict: false });
  console.log(JSON.stringify(r.timeline), JSON.stringify(r.harness)); console.log(`start ${i}: ${r.status} first ${r.metrics.firstResponseMs} total ${(performance.now() - s).toFixed(0)} after-first ${(performance.now() - s - (r.metrics.firstResponseMs ?? 0)).toFixed(0)}`);
}
