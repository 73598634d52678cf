/**
 * The containers an engine instance started and has not removed yet, so that Ctrl-C can
 * remove them (house rule 6). Engines extend this; removal is theirs.
 */
export abstract class TrackedContainers {
  private readonly live = new Set<string>();
  /**
   * Every container this instance ever started: its own, never "foreign load", even while podman is still tearing one
   * down.
   */
  private readonly started = new Set<string>();

  abstract removeContainer(name: string): Promise<void>;

  track(name: string): void {
    this.live.add(name);
    this.started.add(name);
  }

  /** The names of every container this instance started, removed or not. */
  ownContainers(): string[] {
    return [...this.started];
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
