/**
 * The containers an engine instance started and has not removed yet, so that Ctrl-C can
 * remove them (house rule 6). Engines extend this; removal is theirs.
 */
export abstract class TrackedContainers {
  private readonly live = new Set<string>();

  abstract removeContainer(name: string): Promise<void>;

  track(name: string): void {
    this.live.add(name);
  }

  untrack(name: string): void {
    this.live.delete(name);
  }

  liveContainers(): string[] {
    return [...this.live];
  }

  /** Remove every tracked container (Ctrl-C); never throws. */
  async removeLiveContainers(): Promise<void> {
    await Promise.allSettled(this.liveContainers().map((name) => this.removeContainer(name)));
  }
}
