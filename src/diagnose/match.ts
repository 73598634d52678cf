import { SIGNATURES, type Signature } from './signatures.js';

export interface Finding {
  readonly signature: Signature;
  /** The lines that matched, trimmed, at most a few per signature. */
  readonly evidence: string[];
}

export const MAX_EVIDENCE_LINES = 4;
export const TELLING_LINES = 8;

/** Every signature whose pattern matches a line of the texts, most specific (CRIU) first. */
export function matchSignatures(texts: readonly string[]): Finding[] {
  const lines = texts
    .flatMap((t) => t.split('\n'))
    .map((l) => l.trim())
    .filter(Boolean);
  const findings: Finding[] = [];
  for (const signature of SIGNATURES) {
    const evidence = [...new Set(lines.filter((l) => signature.patterns.some((p) => p.test(l))))].slice(
      0,
      MAX_EVIDENCE_LINES,
    );
    if (evidence.length > 0) findings.push({ signature, evidence });
  }
  return findings;
}

/** For unknown failures: the lines most likely to tell what happened. */
export function tellingLines(texts: readonly string[]): string[] {
  const lines = texts
    .flatMap((t) => t.split('\n'))
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.filter((l) => /\b(Error|ERROR|BUG|FAILED|Exception|fatal|\w{4,5}\d{4}E)\b/.test(l));
  return [...new Set(telling.length > 0 ? telling : lines)].slice(-TELLING_LINES);
}
