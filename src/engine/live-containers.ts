/**
 * The containers this process has started and not yet removed, so that a signal handler
 * can remove them (house rule 6) before the harness exits.
 */
const live = new Set<string>();

export function trackContainer(name: string): void {
  live.add(name);
}

export function untrackContainer(name: string): void {
  live.delete(name);
}

export function liveContainers(): string[] {
  return [...live];
}
