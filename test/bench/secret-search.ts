/**
 * How fast a checkpoint is searched for secrets (npm run bench:secrets [IMAGE]): the checkpoint image's own layer
 * (CRIU's memory pages and every other file it added), mounted with `podman image mount`, searched for four
 * values (UTF-8 and UTF-16LE each) with tinybench. Default image: the newest Pingperf afterAppStart checkpoint
 * (bash bin/quickstart.sh builds it). Figures go to stdout; they are not pass/fail. `--json FILE` also writes them
 * (files, bytes, every search's seconds): docs/measured.md's row is that file's, checked by the docs test.
 */
import path from 'node:path';
import { stat, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { Bench } from 'tinybench';
import { makePodman } from '../../src/engine/make-podman.js';
import { searchFiles } from '../../src/hygiene/search.js';
import { benchArgs, benchMachine } from './bench-input.js';

const args = benchArgs(process.argv.slice(2));
const jsonFile = args.flag('--json');
const image =
  args.positional[0] ??
  (
    await execa('podman', [
      'images',
      '--format',
      '{{.Repository}}:{{.Tag}}',
      '--filter',
      'reference=localhost/instanton-bench/pingperf-instanton-afterappstart',
    ])
  ).stdout.split('\n')[0];
if (!image) throw new Error('no checkpoint image: run bash bin/quickstart.sh first, or pass an image');
const podman = await makePodman();
const changed = await podman.imageLayerChanges(image);
const needles = ['s3cr3t-not-there-1', 'another-secret-value', 'tok-0123456789', 'CWWKF0011I'].map((value, i) => ({
  name: `needle ${i}`,
  value,
}));
await podman.withImageMounted(image, async (root) => {
  const files: string[] = [];
  let bytes = 0;
  for (const p of changed) {
    const info = await stat(path.join(root, p)).catch(() => undefined);
    if (info?.isFile()) {
      files.push(path.join(root, p));
      bytes += info.size;
    }
  }
  const bench = new Bench({ iterations: 5, warmupIterations: 1 });
  let hits = 0;
  const seconds: number[] = [];
  bench.add(
    `search ${files.length} files, ${(bytes / 1024 ** 2).toFixed(0)} MiB, ${needles.length} values`,
    async () => {
      const t0 = performance.now();
      hits = (await searchFiles(files, needles)).hits.length;
      seconds.push((performance.now() - t0) / 1000);
    },
  );
  await bench.run();
  console.log(`image: ${image}`);
  console.table(bench.table());
  const best = Math.min(...seconds);
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)] ?? NaN;
  console.log(
    `median ${median.toFixed(2)} s, best ${best.toFixed(2)} s: ${(bytes / 1024 ** 2 / median).toFixed(0)} MiB/s; ` +
      `${hits} hit(s) (one value is a message id every log holds)`,
  );
  if (jsonFile) {
    const measured = { measuredAt: new Date().toISOString(), machine: benchMachine(), image, files: files.length };
    await writeFile(
      jsonFile,
      `${JSON.stringify({ ...measured, bytes, values: needles.length, hits, seconds }, null, 2)}\n`,
    );
    console.log(`written: ${jsonFile}`);
  }
});
