import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/design.md's folder map is the layer order: a folder imports only folders below it. Every import between
 * src/'s folders is checked against the map as written, so the map cannot drift from the code.
 */
const SRC = path.resolve('src');

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
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
        const target = path
          .relative(SRC, path.resolve(path.dirname(file), m[1] as string))
          .split(path.sep)[0] as string;
        if (target === from || !order.includes(target)) continue;
        if (order.indexOf(target) < order.indexOf(from)) upward.push(`${path.relative(SRC, file)} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
