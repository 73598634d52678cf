import { makePodman } from '../src/engine/make-podman.js';
import { loadScenario } from '../src/scenario/load.js';
import { ensureCheckpointImage } from '../src/images/checkpoint-image.js';
import { measureInstantOnStart } from '../src/measure/instanton-start.js';
import { AOT_RUN_ARGS } from '../src/measure/aot-start.js';
import { lineReporter } from '../src/images/progress.js';
const [aotImage, plainCk] = [process.argv[2]!, process.argv[3]!];
const eng = await makePodman();
const scenario = await loadScenario('pingperf', process.cwd());
const ck = await ensureCheckpointImage(eng, { scenario: 'pingperf-aotjvm', appTag: aotImage, appKey: aotImage + AOT_RUN_ARGS, phase: 'afterAppStart', reporter: lineReporter((t) => console.error(t), false), env: { JVM_ARGS: AOT_RUN_ARGS } });
console.log('checkpoint', ck.tag, ck.addedBytes, JSON.stringify(ck.contents));
const rows: Record<string, number[]> = { aotjvm: [], plain: [] };
const first: Record<string, number[]> = { aotjvm: [], plain: [] };
for (let i = 0; i < 8; i++) {
  for (const [k, image] of [['aotjvm', ck.tag], ['plain', plainCk]] as const) {
    const r = await measureInstantOnStart(eng, { scenario, variant: 'afterAppStart', iteration: i, warmup: false, sessionId: 'aotck' + k + i, pin: 'taskset', serverCpus: '1', readyTimeoutMs: 60000, image }, { mode: 'least-privilege', strict: false });
    if (r.status === 'ok' && i > 0) { rows[k]!.push(r.metrics.readyMs!); first[k]!.push(r.metrics.firstResponseMs!); }
    else console.log(k, i, r.status, r.restore?.verified, r.error ?? '');
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(JSON.stringify({ ready: { aotjvm: rows.aotjvm, plain: rows.plain }, medReady: { aotjvm: med(rows.aotjvm!), plain: med(rows.plain!) }, medFirst: { aotjvm: med(first.aotjvm!), plain: med(first.plain!) } }));
