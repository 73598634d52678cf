/** JVM_ARGS made of several parts (the scenario's own first), skipping absent ones. */
export function joinJvmArgs(...parts: ReadonlyArray<string | undefined>): string {
  return parts.filter(Boolean).join(' ');
}
