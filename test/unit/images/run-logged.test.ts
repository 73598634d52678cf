import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BuildError } from '../../../src/core/errors.js';
import { silentReporter } from '../../../src/images/progress.js';
import { runLogged } from '../../../src/images/run-logged.js';

describe('a failed build step', () => {
  it("shows the tool's own error lines, keeps the whole output in a log it names, and suggests --verbose", async () => {
    const script = [
      ...Array.from({ length: 40 }, (_, i) => `echo "[DEBUG] class realm entry ${i}"`),
      'echo "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-war-plugin:2.2:war (default-war) on project demo: Execution default-war failed"',
      ...Array.from({ length: 30 }, (_, i) => `echo "urls[${i}] = file:/root/.m2/x${i}.jar"`),
      'exit 1',
    ].join('; ');
    const error = await runLogged('sh', ['-c', script], {
      timeoutMs: 10_000,
      reporter: silentReporter(),
      what: 'Maven build of demo',
      remedy: 'fix it',
      errorLines: /^\[ERROR\]/,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    const message = (error as BuildError).message;
    expect(message).toContain('its error lines');
    expect(message).toContain('| [ERROR] Failed to execute goal org.apache.maven.plugins:maven-war-plugin:2.2:war');
    expect(message).not.toContain('urls[');
    const log = /full log: (\S+)/.exec(message)?.[1] as string;
    const text = await readFile(log, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(71);
    expect((error as BuildError).remedy).toMatch(/--verbose/);
  });
});
