import type { CommandContext } from './context.js';
import { collect, helpFooter, profileOption } from './context.js';
import { DEFAULT_CHECKPOINT_FLOW } from '../../images/checkpoint/checkpoint-flow.js';
import type { BuildCommandOptions } from '../commands/build.js';
import { DEFAULT_SCENARIO } from '../../run/defaults.js';
import { DEFAULT_VARIANTS, VARIANTS } from '../../scenario/variants.js';

/** `build`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'build',
    'build --scenario scenarios/examples/containerfile --base local',
    'build --base',
    'build --scenario rest-crud --dry-run',
  ],
  undefined,
);

export function registerBuild(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
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
      '--runtime <runtime>',
      "liberty (the default): the scenario on Liberty; java: a Spring Boot scenario's jar on a plain JVM (java -jar, " +
        "no Liberty; an arm's runtime=java builds the same): its image, and with aotCache its AOT cache (default " +
        'variants cold)',
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
      setCode(await (await import('../commands/build.js')).buildCommand(opts, io)),
    );
}
