import { Command, CommanderError, Help } from 'commander';
import { TOOL_VERSION } from '../core/tool-version.js';
import { BenchError, EXIT_ENVIRONMENT, EXIT_USAGE, formatError } from '../core/errors.js';
import type { CliIo } from '../core/io.js';
import type { RunWorld } from '../run/world.js';
import type { CommandContext, CommandModule } from './command-context.js';

/**
 * The commands in the order --help lists them: the index main.ts keeps (name, the term and line --help shows), and the
 * module that declares a command's options and does its work. Only the module of the command given is loaded, so
 * `--version` and `--help` load this file alone, and `run --help` loads run's code (docs/design.md, "cli").
 */
interface CommandEntry {
  readonly name: string;
  /** How the top-level --help lists it: the name, `[options]` when it has any, its arguments. */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'doctor',
    term: 'doctor [options]',
    description:
      'check every prerequisite of a run (tools, limits, kernel, CPUs, disk, CRIU in the base image) with a fix for ' +
      'each problem, and print the host speed index (100 = the calibration host; higher is faster)',
    load: () => import('./commands/doctor.js'),
  },
  {
    name: 'build',
    term: 'build [options]',
    description:
      'build what a run needs (base image, Open Liberty image, app, scenario image, checkpoint and AOT cache ' +
      'images); first checks that the features server.xml enables can be checkpointed by the Liberty release in ' +
      'use; cached, so an unchanged build takes seconds',
    load: () => import('./commands/build.js'),
  },
  {
    name: 'run',
    term: 'run [options]',
    description: 'build what is missing, then measure repeated pinned starts and write a results file (JSON + CSV)',
    load: () => import('./commands/run.js'),
  },
  {
    name: 'report',
    term: 'report [options] <results...>',
    description:
      'render results file(s) into charts (vega-lite specs, SVG, PNG), a self-contained index.html, summary.md and ' +
      'runs.csv',
    load: () => import('./commands/report.js'),
  },
  {
    name: 'compare',
    term: 'compare [options] <baseline> [candidate]',
    description:
      'compare two results files (unpaired), or the A/B arms of one (paired by round), for regressions: medians, ' +
      'ratio with a bootstrap 95% interval, p-value and its Holm-adjusted value across the gate, verdict ' +
      '(regression, improvement, inconclusive, unchanged: only when the whole interval lies within the ' +
      'threshold), and starts that were not ok; exit 1 on any regression (significant slowdown, or more ' +
      'fallback or failed starts), 2 on bad input',
    load: () => import('./commands/compare.js'),
  },
  {
    name: 'fleet',
    term: 'fleet',
    description:
      'run the shards of one plan on many hosts through an existing scheduler: writes the job files, you submit them',
    load: () => import('./commands/fleet.js'),
  },
  {
    name: 'images',
    term: 'images',
    description:
      'the same bits on every host: export the images a run measured as archives with their IDs, import them elsewhere',
    load: () => import('./commands/images.js'),
  },
  {
    name: 'hosts',
    term: 'hosts',
    description:
      'where a checkpoint will restore: probe a node type into a host profile (here, in a container, or on every ' +
      'Kubernetes node), and make QEMU guests with other CPUs to restore in',
    load: () => import('./commands/hosts.js'),
  },
  {
    name: 'forecast',
    term: 'forecast [options]',
    description:
      "will each checkpoint restore on each host? Reads the checkpoint's record of its host (CPU flags, kernel, " +
      'CRIU, capabilities) and each host profile; per pair: restores, at risk or fails, with the reason and the remedy',
    load: () => import('./commands/forecast.js'),
  },
  {
    name: 'merge',
    term: 'merge [options] <shards...>',
    description:
      'merge the files of run --shard K/N of one plan (from many hosts) into one results file: refuses shards of ' +
      'another plan or other images (exit 2, naming the field), reports missing and duplicated rounds and hosts ' +
      'that differ; report, compare, plan and diagnose read the merged file',
    load: () => import('./commands/merge.js'),
  },
  {
    name: 'plan',
    term: 'plan [options] <results>',
    description:
      'capacity planning for scale-to-zero from the measured startup distributions: cold-start share, added latency ' +
      'p50/p95/p99, instances, instance-seconds, idle timeout for an SLO',
    load: () => import('./commands/plan.js'),
  },
  {
    name: 'diagnose',
    term: 'diagnose [options] <results-or-logdir>',
    description:
      'explain every failed or fallback start (or the logs in a directory): the matched failure signature, its ' +
      'evidence lines, the cause and the remedy; exit 0 when nothing needs explaining',
    load: () => import('./commands/diagnose.js'),
  },
  {
    name: 'history',
    term: 'history',
    description:
      'results over builds: a store of runs (embedded, or a shared PostgreSQL), change points across builds ' +
      '(E-divisive, a permutation test, Holm across series), a trend dashboard, and paired runs that confirm a change',
    load: () => import('./commands/history.js'),
  },
];

/** The command argv names (`help NAME` names one too); undefined for none or an unknown one. */
function commandGiven(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}

async function program(
  argv: readonly string[],
  io: CliIo,
  world: RunWorld | undefined,
  setCode: (code: number) => void,
): Promise<Command> {
  const root = new Command('instanton-bench')
    .description(
      'Measure how fast Open Liberty starts, cold and restored from an InstantOn checkpoint, in pinned podman ' +
        'containers.',
    )
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run instanton-bench --help for the usage)');
  const terms = new Map(COMMANDS.map((c) => [c.name, c.term]));
  const help = new Help();
  root.configureHelp({
    subcommandTerm: (cmd) => (cmd.parent === root ? terms.get(cmd.name()) : undefined) ?? help.subcommandTerm(cmd),
  });
  const given = commandGiven(argv);
  const context: CommandContext = { io, world, setCode };
  for (const entry of COMMANDS) {
    const command = root.command(entry.name).description(entry.description);
    if (entry === given) (await entry.load()).define(command, context);
  }
  return root;
}

/**
 * The CLI as a function of argv and the world; returns the exit code (house rule 11). The world (container engine,
 * image builds, host) defaults to this machine's; unit tests pass a fake engine.
 * Parse argv and run one command. Each command's code is loaded when it runs, so `--version` and `--help` load only
 * this file and the constants their texts read. `world` defaults to the real one (loaded with `run`).
 */
export async function runCli(argv: readonly string[], io: CliIo, world?: RunWorld): Promise<number> {
  let code = 0;
  try {
    const root = await program(argv, io, world, (c) => {
      code = c;
    });
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
      io.err(formatError(await (await import('../core/atomic-write.js')).writeFailure(fsError.path, 0, fsError)));
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
