import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/design.md's folder map is the layer order: a folder imports only folders below it. Every import between
 * src/'s folders is checked against the map as written, so the map cannot drift from the code.
 */
const SRC = path.resolve('src');
/** A static import's or a dynamic import's relative specifier. */
const IMPORT = /(?:from |import\()'(\.\.?\/[^']+)'/g;

function layerOrder(): string[] {
  const doc = readFileSync(path.resolve('docs/design.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Folders, bottom to top'));
  const block = section.slice(section.indexOf('```') + 3, section.indexOf('```', section.indexOf('```') + 3));
  return block
    .split('\n')
    .map((l) => /^([a-z][a-z-]*)\s/.exec(l)?.[1])
    .filter((f): f is string => f !== undefined);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the layer order docs/design.md states', () => {
  it('names every folder of src/ once', () => {
    const order = layerOrder();
    const folders = readdirSync(SRC).filter((f) => statSync(path.join(SRC, f)).isDirectory());
    expect([...order].sort()).toEqual([...folders].sort());
  });

  it('matches the imports: each folder imports only folders below it in the map', () => {
    const order = layerOrder();
    const upward: string[] = [];
    for (const file of files(SRC)) {
      const from = path.relative(SRC, file).split(path.sep)[0] as string;
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = path
          .relative(SRC, path.resolve(path.dirname(file), m[1] as string))
          .split(path.sep)[0] as string;
        if (target === from || !order.includes(target)) continue;
        if (order.indexOf(target) < order.indexOf(from)) upward.push(`${path.relative(SRC, file)} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no import cycle between the files of one folder (types two files share go in a file of their own)', () => {
    const inFolder = new Map<string, string[]>();
    for (const file of files(SRC))
      inFolder.set(
        file,
        [...readFileSync(file, 'utf8').matchAll(IMPORT)]
          .map((m) => path.resolve(path.dirname(file), (m[1] as string).replace(/\.js$/, '.ts')))
          .filter((t) => path.dirname(t) === path.dirname(file)),
      );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, stack: string[]): void => {
      state.set(file, 'open');
      for (const next of inFolder.get(file) ?? []) {
        if (state.get(next) === 'open')
          cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(SRC, f)).join(' -> '));
        else if (!state.has(next)) visit(next, [...stack, next]);
      }
      state.set(file, 'done');
    };
    for (const file of inFolder.keys()) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it('no module re-exports names it imports (import each from the module that declares it)', () => {
    const reexports = files(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^export (?:type )?\{[^}]*\}(?: from '[^']+')?;/gm)].map(
        (m) => `${path.relative(SRC, file)}: ${m[0]}`,
      ),
    );
    expect(reexports).toEqual([]);
  });
});
