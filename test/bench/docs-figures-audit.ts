/**
 * Which figures of README.md and docs/*.md no check of the docs test reads (node --import tsx
 * test/bench/docs-figures-audit.ts [--all]): runs test/unit/docs/readme-figures.test.ts with DOCS_AUDIT_FILE set (every
 * text a check compares with a page is recorded), then lists, page by page, each number outside code blocks (three
 * digits or more, a decimal, or a thousands-grouped number) that stands in none of those texts. A listed number is a
 * place to look: a figure to recompute from a committed file, or to remove; versions, JEP numbers, ports, uids and
 * defaults are listed too (they are not measured). A number that a check reads by coincidence is not listed, so a
 * short list is a lower bound of what is unchecked, not a proof. `--all` prints every line; default: the counts and
 * the first 15 lines of each page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { docNumbers, docPages } from '../support/doc-numbers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-docs-audit-'));
const file = path.join(dir, 'checked.txt');
const vitest = await execa('npx', ['vitest', 'run', 'test/unit/docs/readme-figures.test.ts'], {
  env: { DOCS_AUDIT_FILE: file },
  reject: false,
});
if (vitest.exitCode !== 0) console.log('note: the docs test failed; the list below reads what its passing checks read');
const checked = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as string)
  .join('\n');
rmSync(dir, { recursive: true, force: true });

let total = 0;
let unchecked = 0;
for (const page of docPages()) {
  const found = docNumbers(page);
  const missed = found.filter((n) => !checked.includes(n.number));
  total += found.length;
  unchecked += missed.length;
  console.log(`${page}: ${found.length} number(s), ${missed.length} read by no check`);
  const byLine = new Map<number, string[]>();
  for (const m of missed) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m.number]);
  const lines = [...byLine].map(([line, numbers]) => `  ${page}:${line}  ${numbers.join(' ')}`);
  for (const l of process.argv.includes('--all') ? lines : lines.slice(0, 15)) console.log(l);
}
console.log(`all pages: ${total} number(s), ${unchecked} read by no check`);
