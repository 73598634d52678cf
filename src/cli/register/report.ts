import type { CommandContext } from './context.js';
import { helpFooter, jsonOption } from './context.js';

/** `report`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'report results/blog.json --out reports/blog',
    'report before.json after.json',
    'report results/blog.json --json figures.json',
  ],
  undefined,
);

export function registerReport(ctx: CommandContext): void {
  const { io, setCode } = ctx;
  const command = (name: string, description: string) => ctx.command(name, description, HELP);
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
      setCode(await (await import('../commands/report.js')).reportCommand(files, opts, io)),
    );
}
