import { withoutBom } from '../core/neutralise.js';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { statIfExists } from '../core/read-if-exists.js';
import { HOST_PROFILE_SCHEMA, hostProfileSchema, type HostProfile } from './profile.js';

/** One host profile file, schema-checked: a bad one is refused naming the file, the field and the fix. */
export async function readProfile(file: string): Promise<HostProfile> {
  let doc: unknown;
  try {
    doc = JSON.parse(withoutBom(await readFile(file, 'utf8')));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such host profile` : `${file}: not a JSON host profile (${code ?? 'bad JSON'})`,
      'write one with: instanton-bench hosts probe --out FILE',
    );
  }
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== HOST_PROFILE_SCHEMA)
    throw new UsageError(
      `${file}: schemaVersion ${version} is a host profile of another instanton-bench (this one reads ${HOST_PROFILE_SCHEMA})`,
      'probe the host again with this version: instanton-bench hosts probe --out FILE',
    );
  const parsed = hostProfileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${file}: ${issue.path.join('.') || '(the file)'}: expected ${issue.message}`,
      'a host profile is what instanton-bench hosts probe --out FILE writes',
    );
  }
  return parsed.data as unknown as HostProfile;
}

/** Profiles from files and directories (every *.json in it, sorted). */
export async function readProfiles(targets: readonly string[], cwd: string): Promise<HostProfile[]> {
  const out: HostProfile[] = [];
  for (const target of targets) {
    const abs = path.resolve(cwd, target);
    const info = await statIfExists(abs);
    if (info?.isDirectory()) {
      const files = (await readdir(abs)).filter((f) => f.endsWith('.json')).sort();
      if (files.length === 0)
        throw new UsageError(
          `--hosts ${target}: no *.json host profile in the directory`,
          'hosts probe --out DIR/NAME.json',
        );
      for (const f of files) out.push(await readProfile(path.join(abs, f)));
    } else out.push(await readProfile(abs));
  }
  return out;
}
