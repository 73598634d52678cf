import { PIN_METHODS } from '../../results/config-types.js';
import {
  DEFAULT_PIN,
  MIN_SIZED_TIMEOUT_MS,
  TIMEOUT_COLD_FACTOR,
  DEFAULT_MAX_RUNS,
  DEFAULT_RUNS,
  DEFAULT_SCENARIO,
  DEFAULT_SEED,
  DEFAULT_WARMUP,
} from '../../run/defaults.js';
import { type CommandContext, collect, helpFooter, profileOption } from '../command-context.js';
import { executeRun } from '../../run/execute.js';
import { realWorld } from '../../run/world.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../../images/checkpoint/checkpoint-flow.js';
import { DEFAULT_READY_TIMEOUT_MS } from '../../scenario/limits.js';
import { DEFAULT_RAMP_CONCURRENCY } from '../../measure/ramp-defaults.js';
import { RESTORE_CAPABILITIES } from '../../engine/capabilities.js';
import { Command, Option } from 'commander';
import { RECOMMENDED_ARM_ROUNDS } from '../../stats/compare.js';
import { DEFAULT_VARIANTS, VARIANTS } from '../../scenario/variants.js';

/** `run`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
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
);

export function define(command: Command, { io, setCode, world }: CommandContext): void {
  // run's options in the order --help lists them, a group of them per function below.
  const groups = [planOptions, loadOptions, restoreOptions, gateOptions, hostOptions, controlOptions];
  groups
    .reduce((cmd, add) => add(cmd), command.addHelpText('after', HELP))
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const given = Object.keys(opts).filter((k) => cmd.getOptionValueSource(k) === 'cli');
      setCode(await executeRun(opts, given, io, world ?? realWorld()));
    });
}

/** What to measure and where: scenarios, variants, starts, CPUs, images to build. */
function planOptions(cmd: Command): Command {
  return cmd
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
        .choices(PIN_METHODS)
        .default(DEFAULT_PIN),
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
    );
}

/** The load after each first response, and what cold starts begin from. */
function loadOptions(cmd: Command): Command {
  return cmd
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
    );
}

/** How restores run and what a checkpoint must prove. */
function restoreOptions(cmd: Command): Command {
  return cmd
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
    );
}

/** How many starts: a target interval, or a sequential gate. */
function gateOptions(cmd: Command): Command {
  return cmd
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
    );
}

/** Where restores run: emulated hosts, guests, a fleet plan's images. */
function hostOptions(cmd: Command): Command {
  return cmd
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
    );
}

/** Shards, resuming, arms, the machine, the store. */
function controlOptions(cmd: Command): Command {
  return cmd
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
        'checkpoint-from=aot-cache (checkpoints of a JVM running with the JDK AOT cache), cpu-baseline=x86-64-v2|' +
        'x86-64-v3 (the JVM limited to that CPU level by CPUID faulting: portable checkpoints) or x86-64-v3-clwb ' +
        '(by JVM options, on hosts without CPUID faulting), image=REF, containerfile=PATH, cold-state=primed|clean, ' +
        'runtime=java (a Spring Boot jar on a plain JVM, java -jar, no Liberty: cold and aotCache only), run with ' +
        'cpus=N, memory=SIZE; arms are interleaved round by round and compared paired',
      collect,
    )
    .option(
      '--no-host-speed',
      'skip the host speed probe before the first start and after the last (about 5-20 s): the results carry no ' +
        'index, so compare, merge and history cannot say whether hosts differ or the host moved',
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
    .option(
      '--reference <arm>',
      'the arm measured unchanged in every build (e.g. the last release, image=...): the store keeps each other ' +
        "arm's paired ratio to it round by round, and history trend follows those ratios, so what moves both arms " +
        '(the host) cancels',
    )
    .option('--verbose', 'show the output of every build step');
}
