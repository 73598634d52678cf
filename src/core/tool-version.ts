import { readFileSync } from 'node:fs';

/** The package's own version (package.json), for --version and the results file: never restated by hand. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
