import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The features of the Open Liberty release in use, read from its own feature manifests
 * (wlp/lib/features/*.mf), so the InstantOn check follows the release instead of a hand-kept
 * list. Liberty marks each feature that supports checkpoint with the manifest header
 * `WLP-InstantOn-Enabled: true`; the server refuses a checkpoint (CWWKC0456E) when an enabled
 * feature lacks it (Open Liberty docs, "InstantOn limitations and known problems").
 */
export interface LibertyFeature {
  readonly shortName: string;
  readonly symbolicName: string;
  readonly isPublic: boolean;
  readonly instantOn: boolean;
  /** Symbolic names of the features it includes (Subsystem-Content of type osgi.subsystem.feature). */
  readonly includes: readonly string[];
}

export interface FeatureCatalog {
  /** Public features by lower-case short name (server.xml names are case-insensitive). */
  readonly byShortName: ReadonlyMap<string, LibertyFeature>;
  readonly bySymbolicName: ReadonlyMap<string, LibertyFeature>;
}

/** A manifest's headers, continuation lines (a leading space) joined. */
export function parseManifest(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith(' ') && current !== undefined) {
      headers.set(current, `${headers.get(current) ?? ''}${raw.slice(1)}`);
      continue;
    }
    const colon = raw.indexOf(':');
    if (colon <= 0) continue;
    current = raw.slice(0, colon).trim();
    headers.set(current, raw.slice(colon + 1).trim());
  }
  return headers;
}

/** Split a manifest list at commas outside quotes. */
function splitClauses(value: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '"') quoted = !quoted;
    else if (value[i] === ',' && !quoted) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((c) => c.length > 0);
}

export function featureFromManifest(text: string): LibertyFeature | undefined {
  const h = parseManifest(text);
  const symbolic = h.get('Subsystem-SymbolicName');
  if (!symbolic || h.get('Subsystem-Type') !== 'osgi.subsystem.feature') return undefined;
  const [symbolicName = '', ...attrs] = symbolic.split(';').map((s) => s.trim());
  const includes = splitClauses(h.get('Subsystem-Content') ?? '')
    .filter((c) => /type\s*=\s*"osgi\.subsystem\.feature"/.test(c))
    .map((c) => (c.split(';')[0] ?? '').trim());
  return {
    shortName: h.get('IBM-ShortName') ?? symbolicName,
    symbolicName,
    isPublic: attrs.some((a) => /^visibility:=\s*public$/.test(a)),
    instantOn: (h.get('WLP-InstantOn-Enabled') ?? '').toLowerCase() === 'true',
    includes,
  };
}

export function catalogOf(features: readonly LibertyFeature[]): FeatureCatalog {
  return {
    byShortName: new Map(features.filter((f) => f.isPublic).map((f) => [f.shortName.toLowerCase(), f])),
    bySymbolicName: new Map(features.map((f) => [f.symbolicName, f])),
  };
}

/** The catalog of an unpacked release (the directory holding wlp/). */
export async function readFeatureCatalog(libertyDir: string): Promise<FeatureCatalog> {
  const dir = path.join(libertyDir, 'wlp', 'lib', 'features');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.mf'));
  const features = await Promise.all(
    names.map(async (n) => featureFromManifest(await readFile(path.join(dir, n), 'utf8'))),
  );
  return catalogOf(features.filter((f): f is LibertyFeature => f !== undefined));
}

/** The features a server.xml names in its featureManager elements (comments ignored), and the files it includes. */
export function serverXmlFeatures(xml: string): { features: string[]; includes: string[] } {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  const features: string[] = [];
  for (const block of text.matchAll(/<featureManager\b[^>]*>([\s\S]*?)<\/featureManager>/g)) {
    for (const f of (block[1] ?? '').matchAll(/<feature\b[^>]*>\s*([^<\s]+)\s*<\/feature>/g))
      features.push(f[1] as string);
  }
  const includes = [...text.matchAll(/<include\b[^>]*\blocation\s*=\s*"([^"]+)"/g)].map((m) => m[1] as string);
  return { features, includes };
}

export interface FeatureVerdict {
  /** As written in server.xml. */
  readonly feature: string;
  readonly status: 'ok' | 'refused' | 'unknown' | 'user-feature' | 'depends-on-version';
  /**
   * For a refused feature: the checkpoint-capable public features it includes that carry its name (ejb-3.2 ->
   * ejbLite-3.2).
   */
  readonly replacements?: readonly string[];
  /** For a refused feature: the nearest later version of it that can be checkpointed (jaxrs-2.0 -> jaxrs-2.1). */
  readonly laterVersion?: string;
  /** For a versionless feature: the versions that cannot be checkpointed. */
  readonly refusedVersions?: readonly string[];
}

const baseName = (shortName: string): string => shortName.replace(/-[0-9.]+$/, '').toLowerCase();

/** Capable public features reachable from a refused one, preferring those that extend its name (ejbLite for ejb). */
function replacementsFor(catalog: FeatureCatalog, feature: LibertyFeature): string[] {
  const found = new Set<LibertyFeature>();
  const seen = new Set<string>();
  const walk = (f: LibertyFeature): void => {
    for (const sym of f.includes) {
      if (seen.has(sym)) continue;
      seen.add(sym);
      const child = catalog.bySymbolicName.get(sym);
      if (!child) continue;
      if (child.isPublic && child.instantOn) found.add(child);
      else if (!child.isPublic) walk(child);
    }
  };
  walk(feature);
  const base = baseName(feature.shortName);
  const named = [...found].filter((f) => baseName(f.shortName).startsWith(base));
  return named.map((f) => f.shortName).sort();
}

const versionOf = (shortName: string): number[] =>
  (/-([0-9.]+)$/.exec(shortName)?.[1] ?? '').split('.').filter(Boolean).map(Number);
const compareVersions = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};

/** The lowest checkpoint-capable version above a refused one, of the same feature. */
function laterVersionOf(catalog: FeatureCatalog, feature: LibertyFeature): string | undefined {
  const base = baseName(feature.shortName);
  const mine = versionOf(feature.shortName);
  if (mine.length === 0) return undefined;
  return [...catalog.byShortName.values()]
    .filter(
      (f) =>
        f.instantOn &&
        baseName(f.shortName) === base &&
        versionOf(f.shortName).length > 0 &&
        compareVersions(versionOf(f.shortName), mine) > 0,
    )
    .sort((a, b) => compareVersions(versionOf(a.shortName), versionOf(b.shortName)))[0]?.shortName;
}

function refusal(catalog: FeatureCatalog, name: string, feature: LibertyFeature): FeatureVerdict {
  const later = laterVersionOf(catalog, feature);
  return {
    feature: name,
    status: 'refused',
    replacements: replacementsFor(catalog, feature),
    ...(later ? { laterVersion: later } : {}),
  };
}

/** Which of the named features the release can checkpoint. */
export function checkFeatures(catalog: FeatureCatalog, names: readonly string[]): FeatureVerdict[] {
  return names.map((name): FeatureVerdict => {
    if (name.includes(':')) return { feature: name, status: 'user-feature' };
    const feature = catalog.byShortName.get(name.toLowerCase());
    const versionless = baseName(name) === name.toLowerCase();
    if (feature && !versionless) {
      if (feature.instantOn) return { feature: name, status: 'ok' };
      return refusal(catalog, name, feature);
    }
    // A versionless feature (servlet, mpHealth): Liberty picks the version from the platform.
    const versions = [...catalog.byShortName.values()].filter(
      (f) => baseName(f.shortName) === name.toLowerCase() && f.shortName.toLowerCase() !== name.toLowerCase(),
    );
    if (versions.length === 0) {
      if (!feature) return { feature: name, status: 'unknown' };
      return feature.instantOn ? { feature: name, status: 'ok' } : refusal(catalog, name, feature);
    }
    const refused = versions
      .filter((f) => !f.instantOn)
      .map((f) => f.shortName)
      .sort();
    if (refused.length === 0) return { feature: name, status: 'ok' };
    if (refused.length === versions.length) return { feature: name, status: 'refused', replacements: [] };
    return { feature: name, status: 'depends-on-version', refusedVersions: refused };
  });
}
