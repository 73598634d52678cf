/**
 * Prints how long each test file took, slowest first, after the whole run (vitest reporter, beside
 * the default one): CI's time budget is mostly the e2e files', and this says which one to make cheaper.
 */
interface FileLike {
  readonly filepath?: string;
  readonly name: string;
  readonly result?: { readonly duration?: number; readonly state?: string };
  readonly projectName?: string;
}

export default class FileTimesReporter {
  onFinished(files: readonly FileLike[] = []): void {
    const rows = files
      .map((f) => ({ name: f.name, ms: f.result?.duration ?? 0, state: f.result?.state ?? '?' }))
      .sort((a, b) => b.ms - a.ms);
    if (rows.length === 0) return;
    const total = rows.reduce((s, r) => s + r.ms, 0);
    const lines = [
      '',
      `test file times (${rows.length} files, ${(total / 60_000).toFixed(1)} min in all), slowest first:`,
      ...rows.map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(8)} s  ${r.state.padEnd(5)} ${r.name}`),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
