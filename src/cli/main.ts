import type { FleetOptions } from './commands/fleet.js';
import { registerHistory } from './commands/history-options.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../images/checkpoint-flow.js';
import { MIN_SIZED_TIMEOUT_MS, TIMEOUT_COLD_FACTOR } from '../run/defaults.js';
import { DEFAULT_READY_TIMEOUT_MS } from '../scenario/limits.js';
import { DEFAULT_RAMP_CONCURRENCY } from '../measure/ramp-defaults.js';
import { RESTORE_CAPABILITIES } from '../engine/capabilities.js';
import {
  DEFAULT_ARRIVAL_RATE,
  DEFAULT_CONCURRENCY,
  DEFAULT_IDLE_TIMEOUT_S,
  DEFAULT_SERVICE_MS,
  DEFAULT_SLO_MS,
} from '../plan/defaults.js';
import { Command, CommanderError, Option } from 'commander';
import type { BuildCommandOptions } from './commands/build.js';
import type { CompareOptions } from './commands/compare.js';
import type { PlanOptions } from './commands/plan.js';
import { BenchError, EXIT_ENVIRONMENT, EXIT_USAGE, formatError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import type { RunWorld } from '../run/world.js';
import { DEFAULT_MAX_RUNS, DEFAULT_RUNS, DEFAULT_SCENARIO, DEFAULT_SEED, DEFAULT_WARMUP } from '../run/defaults.js';
import { DEFAULT_THRESHOLD_PCT, RECOMMENDED_ARM_ROUNDS } from '../stats/compare.js';
import { DEFAULT_VARIANTS, VARIANTS } from '../scenario/variants.js';
import { DEFAULT_GUEST_MEMORY_MIB, DEFAULT_GUEST_SUITE } from '../hosts/guest-store.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The end of a command's --help: examples and what its exit codes mean (README, "Exit codes"). */
function helpFooter(examples: readonly string[], one: string | undefined): string {
  return [
    '',
    'Examples:',
    ...examples.map((e) => `  $ instanton-bench ${e}`),
    '',
    'Exit codes:',
    '  0    done',
    ...(one ? [`  1    ${one}`] : []),
    '  2    bad input: one line naming the file or option, the field and the fix',
    '  3    this machine cannot do it (a missing tool, a failed build, a full disk, another run measuring), or a fault in the tool',
    '  130  interrupted (SIGINT); 143 stopped (SIGTERM): nothing finished is lost',
  ].join('\n');
}

const HELP = {
  doctor: helpFooter(['doctor', 'doctor --clean'], undefined),
  build: helpFooter(
    [
      'build',
      'build --scenario scenarios/examples/containerfile --base local',
      'build --base',
      'build --scenario rest-crud --dry-run',
    ],
    undefined,
  ),
  run: helpFooter(
    [
      'run',
      'run --suite blog --runs 10 --out results/blog.json',
      'run --scenario ./my-app --base local --variants cold,afterAppStart',
      'run --arm base --arm new:liberty=26.0.0.3 --variants afterAppStart',
      'run --arm base --arm new:app=../pr/app --variants afterAppStart --sequential',
      'run --arm base --arm new:app=../pr/app --runs 24 --seed 7 --shard 1/3 --out shard-1.json',
      'run --resume results/blog.json',
    ],
    'a start was not ok (failed, timed out, or a restore that fell back)',
  ),
  report: helpFooter(
    [
      'report results/blog.json --out reports/blog',
      'report before.json after.json',
      'report results/blog.json --json figures.json',
    ],
    undefined,
  ),
  compare: helpFooter(
    ['compare before.json after.json', 'compare results/ab.json --markdown ab.md', 'compare results/ab.json --json -'],
    'a regression, or a start that was not ok',
  ),
  fleet: helpFooter(
    [
      'fleet slurm --shards 4 --dir /shared/gate-42 -- --suite blog --arm main --arm pr:app=../pr/app --runs 24 --seed 42',
      'fleet k8s --shards 4 --dir /shared/gate-42 --image registry.example/instanton-bench:1 -- --suite blog --runs 24',
    ],
    undefined,
  ),
  images: helpFooter(
    [
      'images export /shared/images --from shard-1.json',
      'images import /shared/images',
      'images push registry.example:5000/perf --from shard-1.json --manifest images.json',
      'images pull images.json',
    ],
    undefined,
  ),
  merge: helpFooter(['merge shard-1.json shard-2.json shard-3.json --out results/merged.json'], undefined),
  plan: helpFooter(
    [
      'plan results/blog.json',
      'plan results/blog.json --arrival-rate 0.2 --slo-ms 500',
      'plan results/blog.json --json -',
    ],
    undefined,
  ),
  hosts: helpFooter(
    [
      'hosts probe --out profiles/this.json',
      'hosts manifest --out probe-daemonset.json',
      'hosts probe --from-output probes.txt --out profiles/',
      'hosts vm create oldcpu --cpu Nehalem',
      'hosts vm list',
    ],
    undefined,
  ),
  forecast: helpFooter(
    [
      'forecast --image localhost/instanton-bench/pingperf-instanton-afterappstart:TAG --hosts profiles/',
      'forecast --image IMAGE --hosts oldcpu --json -',
    ],
    'a checkpoint fails on some host',
  ),
  diagnose: helpFooter(
    [
      'diagnose results/blog.json',
      'diagnose results/blog.json --json - | jq .cases',
      'diagnose /tmp/instanton-bench-checkpoint-failures/pingperf-afterAppStart-…',
    ],
    'something to explain (a failed or fallback start, or the logs given)',
  ),
} as const;

function program(io: CliIo, world: RunWorld | undefined, setCode: (code: number) => void): Command {
  const root = new Command('instanton-bench')
    .description(
      'Measure how fast Open Liberty starts, cold and restored from an InstantOn checkpoint, in pinned podman ' +
        'containers.',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run instanton-bench --help for the usage)');
  /** A subcommand with its one-line description and its help's examples and exit codes. */
  const command = (name: keyof typeof HELP, description: string): Command =>
    root.command(name).addHelpText('after', HELP[name]).description(description);

  command(
    'doctor',
    'check every prerequisite of a run (tools, limits, kernel, CPUs, disk, CRIU in the base image) with a fix for ' +
      'each problem, and print the host speed index (100 = the calibration host; higher is faster)',
  )
    .option(
      '--clean',
      'remove containers an earlier (crashed) run left behind, found by their io.instanton-bench label',
    )
    .action(async (opts: { clean?: boolean }) =>
      setCode(await (await import('./commands/doctor.js')).doctorCommand(io, opts)),
    );

  command(
    'build',
    'build what a run needs (base image, Open Liberty image, app, scenario image, checkpoint and AOT cache ' +
      'images); first checks that the features server.xml enables can be checkpointed by the Liberty release in ' +
      'use; cached, so an unchanged build takes seconds',
  )
    .option(
      '--scenario <name|dir>',
      `built-in scenario name or a directory with scenario.json (repeatable; default ${DEFAULT_SCENARIO})`,
      collect,
    )
    .addOption(profileOption())
    .option(
      '--checkpoint-flow <flow>',
      `run: privileged run with WLP_CHECKPOINT, then commit; build: RUN checkpoint.sh PHASE inside podman build ` +
        `(default ${DEFAULT_CHECKPOINT_FLOW})`,
    )
    .option(
      '--base [where]',
      'alone: build just the local InstantOn base (localhost/instanton-bench/open-liberty:instanton, the official ' +
        "images' contract); local: build image scenarios' Containerfiles on it instead of their FROM image " +
        '(podman build --from); official: on their FROM image as written (the default)',
    )
    .option(
      '--base-criu <release>',
      "use Debian bookworm's or trixie's CRIU in the base image, to reproduce their failures on this kernel",
    )
    .option(
      '--variants <list>',
      `the variants to build images for: ${VARIANTS.join(', ')} (default ${DEFAULT_VARIANTS.join(',')})`,
    )
    .option(
      '--dry-run',
      'print what would be built and why (each image used from local storage or made again), and build nothing; with ' +
        '--profile semeru: the Containerfile and podman commands the profile would run',
    )
    .option(
      '--rebuild',
      "build the scenario's app, its image, checkpoints and AOT cache again even when cached (after a change the " +
        'cache keys do not see; the base and Liberty images stay)',
    )
    .option('--verbose', 'show the output of every build step')
    .action(async (opts: BuildCommandOptions) =>
      setCode(await (await import('./commands/build.js')).buildCommand(opts, io)),
    );

  command('run', 'build what is missing, then measure repeated pinned starts and write a results file (JSON + CSV)')
    .option(
      '--scenario <name|dir>',
      `built-in scenario name or a directory with scenario.json (repeatable; default ${DEFAULT_SCENARIO})`,
      collect,
    )
    .option(
      '--suite <name>',
      "a named set of scenarios: blog = pingperf, rest-crud, acmeair-main (the applications of Liberty's InstantOn " +
        'posts)',
    )
    .option(
      '--variants <list>',
      `comma-separated variants: ${VARIANTS.join(', ')} (default ${DEFAULT_VARIANTS.join(',')}); aotCache: a cold ` +
        `start with the JDK's AOT cache trained at build time (JDK 25+); beta names deployment/applications are mapped`,
    )
    .option(
      '--runs <n>',
      `measured starts per variant (default ${DEFAULT_RUNS}; with --arm, rounds, default ${RECOMMENDED_ARM_ROUNDS})`,
    )
    .option('--warmup <n>', `unmeasured starts per variant before the measured ones (default ${DEFAULT_WARMUP})`)
    .option(
      '--server-cpus <list>',
      'CPUs for the server container, e.g. 1 or 2-3 (default: the last CPU; the harness runs on the others)',
    )
    .addOption(
      new Option(
        '--pin <method>',
        'how to pin the server: taskset on the podman process (as the Liberty blog did) or podman --cpuset-cpus',
      )
        .choices(['taskset', 'cpuset'])
        .default('taskset'),
    )
    .option('--seed <n>', `seed of the run order (default ${DEFAULT_SEED})`)
    .option('--out <file>', 'results JSON (a CSV is written beside it; default results/run-<time>.json)')
    .option(
      '--ready-timeout <ms>',
      `give up on a start after this many ms (default: ${TIMEOUT_COLD_FACTOR}x the slowest cold start so far, ` +
        `${MIN_SIZED_TIMEOUT_MS / 1000} s to the scenario's ${DEFAULT_READY_TIMEOUT_MS / 1000} s)`,
    )
    .addOption(profileOption())
    .option(
      '--checkpoint-flow <flow>',
      `how checkpoint images are made: run or build (RUN checkpoint.sh PHASE); default ${DEFAULT_CHECKPOINT_FLOW}`,
    )
    .option(
      '--base <where>',
      "local: build image scenarios' Containerfiles on the local InstantOn base instead of their FROM image (podman " +
        'build --from); official: on their FROM image as written, pulled if needed (the default)',
    )
    .option(
      '--base-criu <release>',
      "use Debian bookworm's or trixie's CRIU in the base image, to reproduce their failures on this kernel",
    )
    .option(
      '--ramp-up <seconds>',
      'after each first response, drive the scenario\'s requests (scenario.json "load", default the first-response ' +
        'request) for this long with autocannon and record throughput per second since launch (1-600; at most the ' +
        "scenario's timeout)",
    )
    .option(
      '--ramp-concurrency <n>',
      `connections of the --ramp-up load (default: the scenario's load.concurrency, else ${DEFAULT_RAMP_CONCURRENCY})`,
    )
    .option(
      '--cold-state <state>',
      "what cold starts begin from: primed (default: the work area primed at build time, the JDK's default CDS " +
        'archive, as tuned images ship) or clean (a truly first start: Liberty --clean and -Xshare:off)',
    )
    .option(
      '--privileged',
      `restore in --privileged containers (default: the least privilege that works, ${RESTORE_CAPABILITIES.length} capabilities)`,
    )
    .option(
      '--strict',
      'set CRIU_RESTORE_DISABLE_RECOVERY=true: a failed restore ends the start instead of silently starting cold',
    )
    .option(
      '--hygiene <mode>',
      'what each checkpoint carries (secrets, random state its restores share, clocks): report (default) says it; ' +
        'fail makes any finding exit 1, a gate for release pipelines',
    )
    .option(
      '--target-ci <pct>',
      "keep adding runs until every variant's median is known to within ±PCT (bootstrap 95% interval)",
    )
    .option('--max-runs <n>', `upper bound on runs per variant with --target-ci (default ${DEFAULT_MAX_RUNS})`)
    .option(
      '--sequential',
      'with --arm: a sequential gate. After each round from --min-rounds, look at every gated comparison ' +
        '(boundaries that account for the repeated looks, Holm across them) and stop when the answer is known: a ' +
        'regression, or every comparison decided (regression, improvement, unchanged or not worse); at --max-rounds ' +
        'what is left is inconclusive. compare then uses ' +
        'the recorded design',
    )
    .option('--min-rounds <n>', 'with --sequential: rounds before the first look (default 5, at least 4)')
    .option('--max-rounds <n>', 'with --sequential: the most rounds it measures (default 40)')
    .option('--threshold <pct>', 'with --sequential: smallest change that counts, in percent (default 5)')
    .option(
      '--not-worse-margin <pct>',
      'with --sequential: a comparison is "not worse" (and stops) once its repeated one-sided 95% bound rules out ' +
        'a regression of PCT percent or more (default twice --threshold, at least --threshold)',
    )
    .option(
      '--restore-host <name>',
      'restore in containers that emulate another host: no-ptrace-rseq (a kernel before 5.13, as on EKS 5.10 ' +
        "nodes), no-clone3 (a kernel before 5.3), documented-caps (only the capabilities Open Liberty's docs name); " +
        "recorded on every InstantOn start, shown in the report's portability matrix",
    )
    .option(
      '--restore-on <guest>',
      'restore every InstantOn start inside a QEMU guest made by hosts vm create (another CPU model, another ' +
        'kernel): verified as every restore is; its timings are marked not comparable and kept out of the statistics',
    )
    .option(
      '--images <manifest>',
      "measure only the plan's images: every image this run would measure must be in the manifest of images " +
        'export or images push with the same ID (exit 2 otherwise, before any start)',
    )
    .option(
      '--shard <k/n>',
      'run shard K of N of the same seeded plan (whole rounds: round r goes to shard ((r-1) mod N)+1; every shard ' +
        'warms up); run each shard on its host with the same options, then instanton-bench merge the files',
    )
    .option('--fail-fast', 'stop at the first start that is not ok (the results file can be resumed)')
    .option(
      '--resume <file>',
      'continue an interrupted or killed run: same plan, seed and images, finished starts kept (only --verbose, ' +
        '--fail-fast and --allow-concurrent may go with it)',
    )
    .option(
      '--arm <name[:key=value,...]>',
      'an A/B arm (repeatable; the first is the baseline): the scenarios built with liberty=VERSION, ' +
        'liberty-zip=PATH, jdk=N, jvm-options=PATH, server-xml=PATH, app=DIR|WAR, env.NAME=VALUE, ' +
        'checkpoint-from=aot-cache (checkpoints of a JVM running with the JDK AOT cache), run with cpus=N, ' +
        'memory=SIZE; arms are interleaved round by round and compared paired',
      collect,
    )
    .option(
      '--allow-concurrent',
      'measure even while another instanton-bench run measures on this machine (refused otherwise); both results ' +
        'files get a warning',
    )
    .option(
      '--store <url|dir>',
      'add the finished run to a results store (a directory, or postgres://USER:PASSWORD@HOST/DB); checked before ' +
        'anything is built; see instanton-bench history',
    )
    .option(
      '--label <key=value>',
      'what identifies the build this run measures, e.g. build=42, commit=1a2b3c (repeatable; kept in the results file ' +
        'and the store)',
      collect,
    )
    .option('--verbose', 'show the output of every build step')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const given = Object.keys(opts).filter((k) => cmd.getOptionValueSource(k) === 'cli');
      setCode(
        await (
          await import('./commands/run.js')
        ).runCommand(opts, io, world ?? (await import('../run/world.js')).realWorld(), given),
      );
    });

  command(
    'report',
    'render results file(s) into charts (vega-lite specs, SVG, PNG), a self-contained index.html, summary.md and ' +
      'runs.csv',
  )
    .argument('<results...>', 'results JSON files; several are shown side by side')
    .option('--out <dir>', 'output directory (default reports/)')
    .addOption(
      jsonOption(
        "the summary's figures per file (medians and intervals, speedups, warnings, timeline, ramp-up, A/B arms)",
      ),
    )
    .action(async (files: string[], opts: { out?: string; json?: string | boolean }) =>
      setCode(await (await import('./commands/report.js')).reportCommand(files, opts, io)),
    );

  command(
    'compare',
    'compare two results files (unpaired), or the A/B arms of one (paired by round), for regressions: medians, ' +
      'ratio with a bootstrap 95% interval, p-value and its Holm-adjusted value across the gate, verdict ' +
      '(regression, improvement, inconclusive, unchanged: only when the whole interval lies within the ' +
      'threshold), and starts that were not ok; exit 1 on any regression (significant slowdown, or more ' +
      'fallback or failed starts), 2 on bad input',
  )
    .argument(
      '<baseline>',
      'baseline results JSON, or one results JSON with A/B arms (its arms are compared with the baseline arm, paired ' +
        'by round)',
    )
    .argument('[candidate]', 'candidate results JSON (two files are compared unpaired)')
    .option('--threshold <pct>', `smallest median change that counts (default ${DEFAULT_THRESHOLD_PCT})`)
    .option(
      '--metric <list>',
      'comma-separated: readyMs, firstResponseMs, readyAfterContainerStartMs, rssAfterReadyKb, ' +
        'rssAfterFirstResponseKb (default readyMs,firstResponseMs)',
    )
    .option('--markdown <file>', 'also write the markdown table to a file (for CI comments); - for stdout')
    .option('--bencher <file>', "write the candidate's figures in Bencher Metric Format JSON; - for stdout")
    .addOption(jsonOption('every comparison (medians, ratio and interval, p-value, verdict, starts not ok)'))
    .option(
      '--github-benchmark <file>',
      "write the candidate's figures as github-action-benchmark customSmallerIsBetter JSON; - for stdout",
    )
    .option(
      '--require-same-environment',
      'refuse (exit 2) when kernel, CPU, pinning or images differ, instead of warning',
    )
    .option(
      '--baseline-arm <name>',
      'with one file of A/B arms: the arm the others are compared with (default: the first)',
    )
    .option(
      '--primary <metric>',
      'only this metric can fail the gate (Holm across its comparisons alone); the others are shown',
    )
    .option(
      '--fail-on-inconclusive',
      'also exit 1 when a change beyond the threshold is not significant (too few or too noisy runs)',
    )
    .action(async (baseline: string, candidate: string | undefined, opts: CompareOptions) =>
      setCode(await (await import('./commands/compare.js')).compareCommand(baseline, candidate, opts, io)),
    );

  const fleet = command(
    'fleet',
    'run the shards of one plan on many hosts through an existing scheduler: writes the job files, you submit them',
  );
  fleet
    .command('slurm')
    .description(
      'a Slurm job array: one run --shard K/N per task, each on a node of its own (--exclusive), then merge (and ' +
        'compare, for A/B runs) as a job that depends on the array; writes DIR/shards.sbatch, merge.sbatch, submit.sh',
    )
    .argument('<run-options...>', 'the run options, after --, the same for every shard (not --shard, --out, --resume)')
    .option('--shards <n>', 'number of shards (hosts)')
    .option('--dir <dir>', 'a directory every node sees: the job files, shard-K.json, merged.json, logs')
    .option('--bin <path>', 'the instanton-bench every node runs (default: this one)')
    .option('--partition <name>', 'Slurm partition')
    .option('--time <limit>', 'Slurm time limit per job, e.g. 02:00:00')
    .action(async (runArgs: string[], opts: FleetOptions) =>
      setCode(await (await import('./commands/fleet.js')).fleetSlurmCommand(opts, runArgs, io)),
    );
  fleet
    .command('k8s')
    .description(
      'a Kubernetes Indexed Job: completion index K-1 runs shard K of N on a node of its own; writes ' +
        'DIR/shards-job.yaml (checked against the Job schema) for clusters whose nodes can run the harness',
    )
    .argument('<run-options...>', 'the run options, after --, the same for every shard (not --shard, --out, --resume)')
    .option('--shards <n>', 'number of shards (pods)')
    .option('--dir <dir>', 'where the job file is written; in the pods, shard files go to /results (a volume)')
    .option('--image <ref>', 'an image with instanton-bench, podman and this checkout')
    .option('--bin <path>', 'instanton-bench inside the image (default /app/node_modules/.bin/instanton-bench)')
    .option('--pvc <name>', 'the PersistentVolumeClaim mounted at /results (default instanton-bench-results)')
    .action(async (runArgs: string[], opts: FleetOptions & { image?: string; pvc?: string }) =>
      setCode(await (await import('./commands/fleet.js')).fleetK8sCommand(opts, runArgs, io)),
    );

  const images = command(
    'images',
    'the same bits on every host: export the images a run measured as archives with their IDs, import them elsewhere',
  );
  images
    .command('export')
    .description(
      'write every image a results file measured (scenario, checkpoint and AOT cache images) to DIR as archives, ' +
        'with images.json: each tag, image ID and archive SHA-256',
    )
    .argument('<dir>', 'the directory to write')
    .option('--from <results>', 'the results file whose images to export (required)')
    .action(async (dir: string, opts: { from?: string }) =>
      setCode(await (await import('./commands/images.js')).imagesExportCommand(dir, opts, io)),
    );
  images
    .command('push')
    .description(
      'push every image a results file measured to a registry and write a manifest of their digests (and IDs)',
    )
    .argument('<registry>', 'registry and namespace, e.g. registry.example:5000/perf')
    .option('--from <results>', 'the results file whose images to push (required)')
    .option('--manifest <file>', 'where to write the digests (required)')
    .option('--no-tls-verify', 'talk plain HTTP or accept any certificate (a local registry)')
    .action(async (registry: string, opts: { from?: string; manifest?: string; tlsVerify?: boolean }) =>
      setCode(await (await import('./commands/images.js')).imagesPushCommand(registry, opts, io)),
    );
  images
    .command('pull')
    .description('pull every image of a push manifest by digest, checking each image ID (exit 2 otherwise)')
    .argument('<manifest>', 'the file images push wrote')
    .option('--no-tls-verify', 'talk plain HTTP or accept any certificate (a local registry)')
    .action(async (manifest: string, opts: { tlsVerify?: boolean }) =>
      setCode(await (await import('./commands/images.js')).imagesPullCommand(manifest, opts, io)),
    );
  images
    .command('import')
    .description(
      'load every archive of an export, refusing an archive whose SHA-256 or loaded image ID differs from ' +
        'images.json (exit 2)',
    )
    .argument('<dir>', 'a directory written by images export')
    .action(async (dir: string) => setCode(await (await import('./commands/images.js')).imagesImportCommand(dir, io)));

  const hosts = command(
    'hosts',
    'where a checkpoint will restore: probe a node type into a host profile (here, in a container, or on every ' +
      'Kubernetes node), and make QEMU guests with other CPUs to restore in',
  );
  hosts
    .command('probe')
    .description(
      'write a host profile: CPU vendor, model and flags, kernel and the features CRIU needs, capabilities and ' +
        'seccomp, container engine, CRIU, glibc',
    )
    .option('--out <file>', 'write the profile (or, with --from-output and several probes, a directory)')
    .option('--name <name>', 'what the profile stands for (default: the node or host name)')
    .option('--in-container <image>', 'probe inside a restore container of IMAGE (what a restore gets here)')
    .option('--from-output <file>', 'read probe output (kubectl logs --prefix of the DaemonSet) instead of probing')
    .action(async (opts: { out?: string; name?: string; inContainer?: string; fromOutput?: string }) => {
      const { hostsProbeCommand } = await import('./commands/hosts.js');
      const { makePodman } = await import('../engine/make-podman.js');
      setCode(await hostsProbeCommand(opts, io, () => makePodman()));
    });
  hosts
    .command('manifest')
    .description('write a ConfigMap and DaemonSet that run the probe on every Kubernetes node (not applied here)')
    .option('--out <file>', 'where to write it (default: stdout)')
    .option('--image <image>', 'a small image with sh, grep and sed', 'docker.io/library/debian:bookworm-slim')
    .option('--namespace <ns>', 'the namespace', 'default')
    .action(async (opts: { out?: string; image?: string; namespace?: string }) =>
      setCode(await (await import('./commands/hosts.js')).hostsManifestCommand(opts, io)),
    );
  const vm = hosts
    .command('vm')
    .description("QEMU guests as restore hosts with other CPUs and kernels (Debian's packages)");
  vm.command('create')
    .description("make a guest: Debian kernel and busybox, CRIU's modules, QEMU CPU model; probed inside at once")
    .argument('<name>', "the guest's name (lower-case letters, digits, - and _)")
    .option(
      '--cpu <model>',
      'QEMU CPU model, e.g. Nehalem (x86-64-v2, no AVX), SandyBridge, Haswell (qemu-system-x86_64 -cpu help)',
    )
    .option(
      '--kernel <suite>',
      'the Debian suite whose cloud kernel it boots: bookworm (6.1), trixie (6.12), sid',
      DEFAULT_GUEST_SUITE,
    )
    .addOption(
      new Option('--accel <accel>', 'software CPU (tcg) or hardware (kvm)').choices(['tcg', 'kvm']).default('tcg'),
    )
    .option(
      '--memory <mib>',
      "the guest's memory in MiB (it holds the image's whole file system)",
      String(DEFAULT_GUEST_MEMORY_MIB),
    )
    .action(async (name: string, opts: { cpu?: string; kernel: string; accel: 'tcg' | 'kvm'; memory: string }) =>
      setCode(await (await import('./commands/hosts-vm.js')).vmCreateCommand(name, opts, io)),
    );
  vm.command('list')
    .description('the guests made here, with their CPU, kernel and profile')
    .action(async () => setCode(await (await import('./commands/hosts-vm.js')).vmListCommand(io)));
  vm.command('rm')
    .description('remove a guest (nothing of it runs between uses)')
    .argument('<name>')
    .action(async (name: string) => setCode(await (await import('./commands/hosts-vm.js')).vmRmCommand(name, io)));

  command(
    'forecast',
    "will each checkpoint restore on each host? Reads the checkpoint's record of its host (CPU flags, kernel, " +
      'CRIU, capabilities) and each host profile; per pair: restores, at risk or fails, with the reason and the remedy',
  )
    .option('--image <image>', 'a checkpoint image (repeatable)', collect)
    .option('--hosts <target>', 'a host profile, a directory of them, or a guest name (repeatable)', collect)
    .addOption(jsonOption('every forecast with its findings'))
    .action(async (opts: { image?: string[]; hosts?: string[]; json?: string | boolean }) => {
      const { forecastCommand } = await import('./commands/forecast.js');
      const { makePodman } = await import('../engine/make-podman.js');
      setCode(await forecastCommand(opts, io, () => makePodman()));
    });

  command(
    'merge',
    'merge the files of run --shard K/N of one plan (from many hosts) into one results file: refuses shards of ' +
      'another plan or other images (exit 2, naming the field), reports missing and duplicated rounds and hosts ' +
      'that differ; report, compare, plan and diagnose read the merged file',
  )
    .argument('<shards...>', "the shards' results JSON files")
    .option('--out <file>', 'the merged results file (required)')
    .action(async (files: string[], opts: { out?: string }) =>
      setCode(await (await import('./commands/merge.js')).mergeCommand(files, opts, io)),
    );

  command(
    'plan',
    'capacity planning for scale-to-zero from the measured startup distributions: cold-start share, added latency ' +
      'p50/p95/p99, instances, instance-seconds, idle timeout for an SLO',
  )
    .argument('<results>', 'results JSON')
    .option('--arrival-rate <r>', `requests per second, Poisson (default ${DEFAULT_ARRIVAL_RATE})`)
    .option('--idle-timeout <s>', `seconds idle before scaling to zero (default ${DEFAULT_IDLE_TIMEOUT_S})`)
    .option('--concurrency <c>', `requests one instance serves at once (default ${DEFAULT_CONCURRENCY})`)
    .option('--service-ms <ms>', `time a request holds an instance (default ${DEFAULT_SERVICE_MS})`)
    .option('--slo-ms <ms>', `p99 added-latency objective (default ${DEFAULT_SLO_MS})`)
    .addOption(jsonOption('every plan figure, the model and the service time used per variant'))
    .action(async (file: string, opts: PlanOptions) =>
      setCode(await (await import('./commands/plan.js')).planCommand(file, opts, io)),
    );

  command(
    'diagnose',
    'explain every failed or fallback start (or the logs in a directory): the matched failure signature, its ' +
      'evidence lines, the cause and the remedy; exit 0 when nothing needs explaining',
  )
    .argument('<results-or-logdir>', 'a results JSON, or a directory with restore.log / checkpoint.log / messages.log')
    .addOption(jsonOption('the cases (each finding with its signature id, cause, remedy and evidence)'))
    .action(async (target: string, opts: { json?: string | boolean }) =>
      setCode(await (await import('./commands/diagnose.js')).diagnoseCommand(target, io, opts)),
    );

  registerHistory(root, io, world, setCode, helpFooter);
  return root;
}

/**
 * The CLI as a function of argv and the world; returns the exit code (house rule 11). The
 * world (container engine, image builds, host) defaults to this machine's; unit tests pass a
 * fake engine.
 */
/** --json [FILE|-], the same for compare, plan, report and diagnose. */
const jsonOption = (what: string): Option =>
  new Option(
    '--json [file]',
    `write ${what} as JSON to FILE; --json alone or --json - prints it to stdout (the text then goes to stderr)`,
  );

/** --profile, the same for build and run. */
const profileOption = (): Option =>
  new Option(
    '--profile <profile>',
    "local: the tool's images on its own base; semeru: the scenario built as Open Liberty's docs build it, on the " +
      'official OpenJ9 InstantOn image (pulled from icr.io)',
  )
    .choices(['local', 'semeru'])
    .default('local');

/**
 * Parse argv and run one command. Each command's code is loaded when it runs, so `--version` and `--help` load only
 * this file and the constants their texts read. `world` defaults to the real one (loaded with `run`).
 */
export async function runCli(argv: readonly string[], io: CliIo, world?: RunWorld): Promise<number> {
  let code = 0;
  const root = program(io, world, (c) => {
    code = c;
  });
  try {
    await root.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return EXIT_USAGE;
    }
    if (error instanceof BenchError) {
      io.err(formatError(error));
      return error.exitCode;
    }
    // A file system error that no command turned into its own (a full disk, a read-only directory): one line, no stack.
    const fsError = error as NodeJS.ErrnoException;
    if (typeof fsError?.code === 'string' && typeof fsError.path === 'string' && /^E[A-Z]+$/.test(fsError.code)) {
      io.err(formatError(await (await import('../results/write.js')).writeFailure(fsError.path, 0, fsError)));
      return EXIT_ENVIRONMENT;
    }
    // A bug, not the user's input: one line; the stack only when asked for (no stack trace reaches a user).
    const message = error instanceof Error ? error.message : String(error);
    io.err(
      `internal error: ${message.split('\n')[0]} (a fault in instanton-bench, not in your input: rerun with ` +
        `IB_DEBUG=1 for the stack and report it; the results file keeps every finished start)`,
    );
    if (io.env['IB_DEBUG']) io.err(String((error as Error)?.stack ?? ''));
    return EXIT_ENVIRONMENT;
  }
}
