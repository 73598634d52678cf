import path from 'node:path';
import { UsageError } from '../core/errors.js';

/** What identifies a build: `--label key=value` (commit, Liberty version, app version...). */
export const LABEL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
export const MAX_LABEL_CHARS = 200;

export function parseLabels(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const text of values) {
    const eq = text.indexOf('=');
    const key = eq > 0 ? text.slice(0, eq).trim() : '';
    const value = eq > 0 ? text.slice(eq + 1).trim() : '';
    if (!LABEL_KEY.test(key) || value === '' || value.length > MAX_LABEL_CHARS || /[\r\n]/.test(value))
      throw new UsageError(
        `--label ${text}: not KEY=VALUE`,
        `give e.g. --label build=42 --label commit=1a2b3c (a key of letters, digits, _ . -; a value of 1-${MAX_LABEL_CHARS} characters on one line)`,
      );
    if (out[key] !== undefined && out[key] !== value)
      throw new UsageError(`--label ${key}: given twice (${out[key]}, ${value})`, `keep one --label ${key}=...`);
    out[key] = value;
  }
  return out;
}

/** --store as given: a postgres:// URL as it is, a directory resolved against the working directory. */
export const storeLocation = (value: string, cwd: string): string => (isUrl(value) ? value : path.resolve(cwd, value));

/** SCHEME://...: a URL, not a directory (only postgres:// ones are stores). */
export const isUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
