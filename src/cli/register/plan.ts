import type { CommandContext } from './context.js';
import { helpFooter, jsonOption } from './context.js';
import {
  DEFAULT_ARRIVAL_RATE,
  DEFAULT_CONCURRENCY,
  DEFAULT_IDLE_TIMEOUT_S,
  DEFAULT_SERVICE_MS,
  DEFAULT_SLO_MS,
} from '../../plan/defaults.js';
import type { PlanOptions } from '../commands/plan.js';

/** `plan`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'plan results/blog.json',
    'plan results/blog.json --arrival-rate 0.2 --slo-ms 500',
    'plan results/blog.json --json -',
  ],
  undefined,
);

export function registerPlan(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
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
      setCode(await (await import('../commands/plan.js')).planCommand(file, opts, io)),
    );
}
