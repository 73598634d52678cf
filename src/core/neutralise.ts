/**
 * Data from a results file or a scenario (names, labels, error text) made harmless for the output it
 * reaches: a spreadsheet must not run a CSV cell as a formula, and summary.md or compare's markdown must
 * not carry raw HTML or break its tables. HTML escapes everything where it is written (report/html.ts).
 */

/**
 * Cells a spreadsheet would evaluate (OWASP's CSV injection guidance: a leading `=`, `+`, `-`, `@`, tab or
 * carriage return) become text: a leading apostrophe, the whole cell quoted. Numbers never come here.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvTextCell(value: string): { value: string; quoted: boolean } | string {
  return FORMULA_START.test(value) ? { value: `'${value}`, quoted: true } : value;
}

/**
 * Markdown text with no raw HTML (no tag can open without `<`, written as an entity) and no table breaks
 * (`|` escaped, line ends made spaces).
 */
export function markdownText(value: string): string {
  return value
    .replace(/</g, '&lt;')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** Every string in a JSON-shaped value passed through `f` (keys too: they reach tables as names). */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** A byte-order mark some editors write at the head of a UTF-8 file, dropped before JSON.parse. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Escape text for HTML and XML (element content and quoted attributes). */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
