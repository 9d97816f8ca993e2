// The server's memory of past requests that makes scenarios stateful: how many requests each counter key has
// seen ("fail the first N"), and the arrival times inside each storm window. The key is the scenario with its
// options, and with faults per call also the method, path and body hash of the logical call.

export class FaultCounters {
  private readonly counts = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();

  /** Counts a request under `key`; returns how many came before it. */
  next(key: string): number {
    const seen = this.counts.get(key) ?? 0;
    this.counts.set(key, seen + 1);
    return seen;
  }

  /** Forgets a key: the next request under it counts from zero (a logical call that got through). */
  forget(key: string): void {
    this.counts.delete(key);
  }

  /** The arrival times under `key` newer than `since`, kept as the live window (push to add one). */
  window(key: string, since: number): number[] {
    const times = (this.windows.get(key) ?? []).filter((t) => t > since);
    this.windows.set(key, times);
    return times;
  }

  clear(): void {
    this.counts.clear();
    this.windows.clear();
  }
}
