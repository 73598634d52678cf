/**
 * A digest of each field of a run's configuration (the plan: seed, variants, arms, runs, the seeded
 * order...), stored with it as `config.planDigest`. `run --resume` recomputes them: a field edited by
 * hand between an interrupt and the resume is named and refused, since the starts already measured
 * belong to the plan as it was.
 */
import { createHash } from 'node:crypto';
import { ResultsFileError } from '../core/errors.js';
import type { RunConfig } from './types.js';

/** A short digest (sha-256, 16 hex digits) of a JSON value: a plan field's, a whole plan's identity (planId). */
export const jsonDigest = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex')
    .slice(0, 16);

function fieldDigests(config: RunConfig): Record<string, string> {
  const { planDigest: _old, ...fields } = config;
  return Object.fromEntries(
    Object.keys(fields)
      .sort()
      .map((k) => [k, jsonDigest((fields as Record<string, unknown>)[k])]),
  );
}

/** The configuration with its digest (set whenever the tool writes a new configuration). */
export function sealPlan(config: RunConfig): RunConfig {
  return { ...config, planDigest: fieldDigests(config) };
}

/** Refuse a configuration changed since the tool sealed it; files written before the digest pass. */
export function checkPlanSealed(file: string, config: RunConfig): void {
  const stored = config.planDigest;
  if (stored === undefined) return;
  const now = fieldDigests(config);
  const changed = [...new Set([...Object.keys(stored), ...Object.keys(now)])]
    .filter((k) => stored[k] !== now[k])
    .sort();
  if (changed.length > 0)
    throw new ResultsFileError(
      `${file}: ${changed.map((k) => `config.${k}`).join(', ')}: changed since the run planned it (config.planDigest ` +
        'no longer matches); the starts in the file were measured under the plan as it was',
      `undo the edit to ${changed.map((k) => `config.${k}`).join(', ')} and resume, or start a new run with --out another.json ` +
        '(the file is left as it is)',
    );
}
