/**
 * The first "major.minor" in a version text: a kernel release ("6.1.0-57-cloud-amd64"), CRIU's
 * ("Version: 4.2.1"), glibc's ("glibc 2.43"). Undefined when the text has none.
 */
export function majorMinor(text: string): readonly [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Is the version at least major.minor? Undefined when the text holds no version. */
export function versionAtLeast(text: string, major: number, minor: number): boolean | undefined {
  const v = majorMinor(text);
  return v === undefined ? undefined : v[0] > major || (v[0] === major && v[1] >= minor);
}
