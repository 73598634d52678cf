/**
 * The one SQL seam of the results store: PGlite (PostgreSQL compiled to WASM, in this process, a directory as its
 * store) and a PostgreSQL server (node-postgres) take the same statements, so the embedded default and a team's shared
 * store are one code path.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Statements without parameters, several at once (migrations). */
  exec(text: string): Promise<void>;
  /** `fn` in one transaction: all of it or nothing. */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/** An open store: its SQL, what it is (for messages, never a password), and how to let it go. */
export interface StoreHandle {
  readonly sql: Sql;
  /** "embedded store results/history" or "PostgreSQL store postgres://perf@db:5432/bench". */
  readonly describe: string;
  readonly kind: 'embedded' | 'postgres';
  close(): Promise<void>;
}

/** Multi-row VALUES placeholders for `rows` rows of `width` columns: ($1,$2),($3,$4)... */
export function valuesList(rows: number, width: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r += 1)
    out.push(`(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(',')})`);
  return out.join(',');
}
