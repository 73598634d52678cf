import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A number as the pages quote a figure: three digits or more, a decimal, or thousands grouped with commas. */
const NUMBER = /(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d{3,})(?!\w)/g;

/** README.md and every docs/*.md, the pages whose figures the docs test checks. */
export function docPages(): string[] {
  return [
    'README.md',
    ...readdirSync(path.resolve('docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
}

/** Each number a page quotes outside its code blocks, with its line (1-based). */
export function docNumbers(page: string): Array<{ line: number; number: string }> {
  let fence = false;
  const out: Array<{ line: number; number: string }> = [];
  readFileSync(path.resolve(page), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.startsWith('```')) {
        fence = !fence;
        return;
      }
      if (!fence) for (const m of text.matchAll(NUMBER)) out.push({ line: i + 1, number: m[1] as string });
    });
  return out;
}
