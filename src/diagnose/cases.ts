import type { RunRecord } from '../results/types.js';
import { matchSignatures, tellingLines, type Finding } from './match.js';
import { crashInstruction, describeCrashInstruction } from './crash-instruction.js';

export interface Case {
  readonly what: string;
  readonly findings: Finding[];
  readonly telling: string[];
  /** A JVM that died of a signal: the instruction at its pc, in words. */
  readonly instruction?: string;
}

export function runTexts(run: RunRecord): string[] {
  return [
    run.error ?? '',
    ...(run.restore?.evidence ?? []),
    run.restore?.restoreLog ?? '',
    run.restore?.hsErr ?? '',
    ...(run.outputTail ?? []),
  ];
}

/** Cases to explain in a results file: every failed, timed-out or fallback start. */
export function diagnoseRuns(runs: readonly RunRecord[], warnings: readonly string[] = []): Case[] {
  const cases: Case[] = runs
    .filter((r) => r.status !== 'ok' || r.restore?.verified === false)
    .map((r) => {
      const texts = runTexts(r);
      const findings = matchSignatures(texts);
      const crash = r.restore?.hsErr ? crashInstruction(r.restore.hsErr) : undefined;
      const where = [r.host ? `on ${r.host}` : '', r.restoreHost ? `restore host emulated: ${r.restoreHost}` : '']
        .filter(Boolean)
        .join(', ');
      return {
        what:
          `${r.arm !== undefined ? `[${r.arm}] ` : ''}${r.scenario} ${r.variant} ${r.warmup ? 'warmup' : 'run'} ` +
          `${r.iteration}: ${r.status}${where ? ` (${where})` : ''}`,
        findings,
        telling: findings.length === 0 ? tellingLines(texts) : [],
        ...(crash ? { instruction: describeCrashInstruction(crash) } : {}),
      };
    });
  const envFindings = matchSignatures(warnings);
  if (envFindings.length > 0) cases.push({ what: 'environment warnings', findings: envFindings, telling: [] });
  return cases;
}

/**
 * One finding as the tool prints it everywhere (diagnose, a failed checkpoint build): title, evidence, cause, remedy.
 */
export function formatFinding(f: Finding, indent = '  '): string[] {
  return [
    `${indent}${f.signature.title} [${f.signature.id}]`,
    ...f.evidence.map((l) => `${indent}  | ${l.slice(0, 220)}`),
    `${indent}  cause:  ${f.signature.cause}`,
    `${indent}  remedy: ${f.signature.remedy}`,
  ];
}

export function formatCases(cases: readonly Case[]): string {
  return cases
    .map((c) => {
      const parts = [`• ${c.what}`];
      for (const f of c.findings) parts.push(...formatFinding(f));
      if (c.instruction) parts.push(`  ${c.instruction}`);
      if (c.findings.length === 0)
        parts.push(
          '  no known signature; the most telling lines:',
          ...c.telling.map((l) => `    | ${l.slice(0, 220)}`),
        );
      return parts.join('\n');
    })
    .join('\n\n');
}
