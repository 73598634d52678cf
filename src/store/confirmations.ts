import type { Sql } from './sql.js';

/** What history confirm found for a change point, kept against it in the store. */
export interface StoredConfirmation {
  readonly scenario: string;
  readonly variant: string;
  readonly arm: string;
  readonly hostClass: string;
  readonly metric: string;
  readonly beforeBuild: string;
  readonly afterBuild: string;
  readonly verdict: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly results: string | null;
  readonly createdAt: string;
}

export async function addConfirmation(sql: Sql, c: Omit<StoredConfirmation, 'createdAt'>): Promise<void> {
  await sql.query(
    `INSERT INTO confirmations (scenario, variant, arm, host_class, metric, before_build, after_build, verdict, detail,
       results) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [
      c.scenario,
      c.variant,
      c.arm,
      c.hostClass,
      c.metric,
      c.beforeBuild,
      c.afterBuild,
      c.verdict,
      JSON.stringify(c.detail),
      c.results,
    ],
  );
}

export async function readConfirmations(sql: Sql): Promise<StoredConfirmation[]> {
  const rows = await sql.query<Record<string, unknown>>(
    'SELECT scenario, variant, arm, host_class, metric, before_build, after_build, verdict, detail, results, created_at ' +
      'FROM confirmations ORDER BY created_at, id',
  );
  return rows.map((r) => ({
    scenario: String(r.scenario),
    variant: String(r.variant),
    arm: String(r.arm),
    hostClass: String(r.host_class),
    metric: String(r.metric),
    beforeBuild: String(r.before_build),
    afterBuild: String(r.after_build),
    verdict: String(r.verdict),
    detail: r.detail as Record<string, unknown>,
    results: r.results === null ? null : String(r.results),
    createdAt: new Date(r.created_at as string).toISOString(),
  }));
}
