import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

/** A real jar at `file` (the JDK's jar tool) holding one small file, with the manifest lines given. */
export async function makeJar(file: string, manifest: string): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'ib-jar-'));
  try {
    await mkdir(path.join(work, 'classes'));
    await writeFile(path.join(work, 'classes', 'x.txt'), 'x');
    await writeFile(path.join(work, 'MANIFEST.MF'), manifest);
    await execa('jar', [
      '--create',
      '--file',
      file,
      '--manifest',
      path.join(work, 'MANIFEST.MF'),
      '-C',
      path.join(work, 'classes'),
      '.',
    ]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
