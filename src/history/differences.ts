/**
 * A recorded difference between builds, in words a team acts on: "from build 7 cold starts began from a clean state
 * (before: the primed image)".
 */
const COLD_STATES: Readonly<Record<string, string>> = {
  clean: 'a clean state (Liberty --clean, -Xshare:off)',
  primed: 'the primed image',
};

export function describeDifference(build: string, key: string, was: string, is: string): string {
  const shown = (v: string) => (v === '' ? 'not recorded' : v);
  if (key === 'cold state')
    return `from build ${build} cold starts began from ${COLD_STATES[is] ?? is} (before: ${COLD_STATES[was] ?? was})`;
  if (key.startsWith('label ')) return `from build ${build} ${key.slice(6)}=${shown(is)} (before: ${shown(was)})`;
  return `from build ${build} ${key} is ${shown(is)} (before: ${shown(was)})`;
}
