import { makePodman } from '../src/engine/make-podman.js';
import { loadScenario } from '../src/scenario/load.js';
import { measureAotCacheStart } from '../src/measure/aot-start.js';
const [image, extra] = [process.argv[2]!, process.argv[3]];
const eng = await makePodman();
const scenario = await loadScenario('pingperf', process.cwd());
const r = await measureAotCacheStart(eng, { scenario, variant: 'aotCache', iteration: 1, warmup: false, sessionId: 'aotbad', pin: 'taskset', serverCpus: '1', readyTimeoutMs: 60000, image, ...(extra ? { extraEnv: { JVM_ARGS: extra } } : {}) });
console.log(r.status, r.error, JSON.stringify(r.aotCache, null, 1));
