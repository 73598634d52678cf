import type { CheckpointContents } from './start-types.js';

/**
 * What the checkpoint holds that can matter at restore, one line each (shown when the image
 * is built): files open under the server's directories, and sockets.
 */
export function restoreRelevantLines(c: CheckpointContents | undefined): string[] {
  if (!c?.serverFiles || !c.sockets) return [];
  // One line per path: a file open twice (two descriptors) counts once, for writing if either writes.
  const byPath = new Map<string, NonNullable<CheckpointContents['serverFiles']>[number]>();
  for (const f of c.serverFiles) if (!byPath.has(f.path) || f.access !== 'read') byPath.set(f.path, f);
  const files = [...byPath.values()];
  const written = files.filter((f) => f.access !== 'read');
  const read = files.filter((f) => f.access === 'read');
  const fmt = (f: NonNullable<CheckpointContents['serverFiles']>[number]): string =>
    `${f.path}${f.sizeBytes !== undefined ? ` (${f.sizeBytes} bytes)` : ''}`;
  const listening = c.sockets.filter((s) => s.state === 'listening');
  const connected = c.sockets.filter((s) => s.state !== 'listening' && s.state !== 'closed');
  const closed = c.sockets.length - listening.length - connected.length;
  return [
    `files open under the server's directories: ` +
      `${files.length === 0 ? 'none' : `${written.length} for writing${written.length > 0 ? ` (${written.map(fmt).join(', ')})` : ''}, ${read.length} for reading${read.length > 0 ? ` (${read.slice(0, 5).map(fmt).join(', ')}${read.length > 5 ? `, … ${read.length - 5} more` : ''})` : ''}`}; ` +
      `a restore needs each at the same path and size`,
    `sockets: ${listening.length} ` +
      `listening${listening.length > 0 ? ` (${listening.map((s) => `${s.protocol} ${s.local}`).join(', ')})` : ''}, ` +
      `${connected.length} ` +
      `connected` +
      `${connected.length > 0 ? ` (${connected.map((s) => `${s.protocol} ${s.local} -> ${s.remote ?? '?'} ${s.state}`).join(', ')})` : ''}, ` +
      `${closed} unbound or closed`,
  ];
}
