import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { matchSignatures, tellingLines, type Finding } from '../../diagnose/match.js';
import { readResults } from '../../report/results-read.js';
import type { RunRecord } from '../../report/results-types.js';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';

const LOG_FILES = /^(restore|checkpoint|dump|messages|console|checkpoint-console)\.log$|^output\.txt$/;

export interface Case {
  readonly what: string;
  readonly findings: Finding[];
  readonly telling: string[];
}

export function runTexts(run: RunRecord): string[] {
  return [run.error ?? '', ...(run.restore?.evidence ?? []), run.restore?.restoreLog ?? '', ...(run.outputTail ?? [])];
}

/** Cases to explain in a results file: every failed, timed-out or fallback start. */
export function diagnoseRuns(runs: readonly RunRecord[], warnings: readonly string[] = []): Case[] {
  const cases: Case[] = runs
    .filter((r) => r.status !== 'ok' || r.restore?.verified === false)
    .map((r) => {
      const texts = runTexts(r);
      const findings = matchSignatures(texts);
      return { what: `${r.scenario} ${r.variant} ${r.warmup ? 'warmup' : 'run'} ${r.iteration}: ${r.status}`, findings, telling: findings.length === 0 ? tellingLines(texts) : [] };
    });
  const envFindings = matchSignatures(warnings);
  if (envFindings.length > 0) cases.push({ what: 'environment warnings', findings: envFindings, telling: [] });
  return cases;
}

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

export function formatCases(cases: readonly Case[]): string {
  return cases
    .map((c) => {
      const parts = [`• ${c.what}`];
      for (const f of c.findings) {
        parts.push(`  ${f.signature.title} [${f.signature.id}]`, ...f.evidence.map((l) => `    | ${l.slice(0, 220)}`), `    cause:  ${f.signature.cause}`, `    remedy: ${f.signature.remedy}`);
      }
      if (c.findings.length === 0) parts.push('  no known signature; the most telling lines:', ...c.telling.map((l) => `    | ${l.slice(0, 220)}`));
      return parts.join('\n');
    })
    .join('\n\n');
}

export async function diagnoseCommand(target: string, io: CliIo): Promise<number> {
  const abs = path.resolve(io.cwd, target);
  const info = await stat(abs).catch(() => undefined);
  let cases: Case[];
  if (info?.isDirectory()) {
    const texts = await logDirTexts(abs);
    const findings = matchSignatures(texts);
    cases = findings.length > 0 || texts.length === 0 ? [{ what: abs, findings, telling: findings.length === 0 ? tellingLines(texts) : [] }] : [];
    if (texts.length === 0) io.err(`diagnose: no restore.log, checkpoint.log, dump.log, messages.log or console.log under ${abs}`);
  } else {
    const results = await readResults(abs);
    cases = diagnoseRuns(results.runs, results.warnings);
  }
  if (cases.length === 0) {
    io.out('diagnose: nothing to explain: every start was ok and every restore verified.');
    return EXIT_OK;
  }
  io.out(formatCases(cases));
  return EXIT_FAILURE;
}
