// The server's memory of past requests that makes scenarios stateful: how many requests each counter key has
// seen ("fail the first N"), and the arrival times inside each storm window. The key is the scenario with its
// options, and with faults per call also the method, path and body hash of the logical call. And, for the
// `share` option, which calls the faults apply to: a seeded random choice per scenario key.

/** mulberry32: a small, fast generator of numbers in [0, 1) that gives the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultCounters {
  private readonly counts = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();
  /** Per counter key: the faults leave this call alone (chosen at its first attempt). */
  private readonly spared = new Map<string, boolean>();
  /** Per scenario key: the generator that chooses the calls under `share`. */
  private readonly dice = new Map<string, () => number>();

  /** Counts a request under `key`; returns how many came before it. */
  next(key: string): number {
    const seen = this.counts.get(key) ?? 0;
    this.counts.set(key, seen + 1);
    return seen;
  }

  /** Forgets a key: the next request under it counts from zero (a logical call that got through). */
  forget(key: string): void {
    this.counts.delete(key);
    this.spared.delete(key);
  }

  /**
   * Whether the faults leave this request alone under `share`: each choice draws the next number of the
   * scenario key's generator (seeded with `seed`, else at random) and spares when it is >= share. With
   * `perCall` the choice is made at a call's first attempt and kept for its retries; else every request draws.
   */
  spare(key: string, scenarioKey: string, share: number, seed: number | undefined, perCall: boolean): boolean {
    if (perCall) {
      const known = this.spared.get(key);
      if (known !== undefined) return known;
    }
    let die = this.dice.get(scenarioKey);
    if (!die) {
      die = seededRandom(seed ?? Math.floor(Math.random() * 2 ** 32));
      this.dice.set(scenarioKey, die);
    }
    const spared = die() >= share;
    if (perCall) this.spared.set(key, spared);
    return spared;
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
    this.spared.clear();
    this.dice.clear();
  }
}
