import type { Command } from 'commander';
import { type CommandContext, helpFooter, jsonOption } from '../command-context.js';

import { statIfExists } from '../../core/read-if-exists.js';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { diagnoseRuns, formatCases, type Case } from '../../diagnose/cases.js';
import { matchSignatures, tellingLines } from '../../diagnose/match.js';
import { readResults } from '../../results/read.js';
import { diagnoseHygiene } from '../../diagnose/hygiene.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../../core/errors.js';
import type { CliIo } from '../../core/io.js';
import { checkJsonTarget, emitJson, textOut, type JsonOption } from '../../core/output-paths.js';

const LOG_FILES = /^(restore|checkpoint|dump|messages|console|checkpoint-console)\.log$|^output\.txt$/;

async function logDirTexts(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 2) await walk(p, depth + 1);
      else if (e.isFile() && LOG_FILES.test(e.name)) out.push(await readFile(p, 'utf8'));
    }
  };
  await walk(dir, 0);
  return out;
}

export async function diagnoseCommand(target: string, io: CliIo, opts: { json?: JsonOption } = {}): Promise<number> {
  await checkJsonTarget(opts.json, io.cwd);
  const abs = path.resolve(io.cwd, target);
  const info = await statIfExists(abs);
  let cases: Case[];
  if (info?.isDirectory()) {
    const texts = await logDirTexts(abs);
    if (texts.length === 0)
      throw new UsageError(
        `diagnose ${target}: no restore.log, checkpoint.log, dump.log, messages.log, console.log or output.txt under ` +
          abs,
        'pass a directory of kept logs (the path a failed checkpoint or restore prints) or a results file',
      );
    const findings = matchSignatures(texts);
    // Logs handed over to be explained: with no known signature, the most telling lines are the explanation (exit 1).
    cases = [{ what: abs, findings, telling: findings.length === 0 ? tellingLines(texts) : [] }];
  } else {
    const results = await readResults(abs);
    cases = [...diagnoseRuns(results.runs, results.warnings), ...diagnoseHygiene(results)];
  }
  // For scripts and dashboards: the same cases, each finding with its signature's id, cause and remedy.
  const doc = {
    kind: 'instanton-bench-diagnosis',
    target: abs,
    cases: cases.map((c) => ({
      what: c.what,
      findings: c.findings.map((f) => ({
        id: f.signature.id,
        title: f.signature.title,
        cause: f.signature.cause,
        remedy: f.signature.remedy,
        evidence: f.evidence,
      })),
      telling: c.telling,
    })),
  };
  const text = textOut(opts.json, io);
  text(
    cases.length === 0
      ? 'diagnose: nothing to explain: every start was ok, every restore verified, no checkpoint finding.'
      : formatCases(cases),
  );
  await emitJson(opts.json, doc, io);
  return cases.length === 0 ? EXIT_OK : EXIT_FAILURE;
}

/** `diagnose`: its options, their defaults and its help's examples and exit codes. */
const HELP = helpFooter(
  [
    'diagnose results/blog.json',
    'diagnose results/blog.json --json - | jq .cases',
    'diagnose /tmp/instanton-bench-checkpoint-failures/pingperf-afterAppStart-…',
  ],
  'something to explain (a failed or fallback start, or the logs given)',
);

export function define(command: Command, { io, setCode }: CommandContext): void {
  command
    .addHelpText('after', HELP)
    .argument('<results-or-logdir>', 'a results JSON, or a directory with restore.log / checkpoint.log / messages.log')
    .addOption(jsonOption('the cases (each finding with its signature id, cause, remedy and evidence)'))
    .action(async (target: string, opts: { json?: string | boolean }) =>
      setCode(await diagnoseCommand(target, io, opts)),
    );
}
