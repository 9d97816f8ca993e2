// Per-key debounce of the lint-as-you-type runs (one timer per document or notebook): the last call within
// the delay wins, and cancel/dispose drop what is still waiting.

/** How long typing must pause before a document (or notebook) is linted again. */
export const DEBOUNCE_MS = 250;

export class Debouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly delayMs = DEBOUNCE_MS) {}

  /** Runs `run` once `key` has had no schedule call for the delay (an earlier pending run is dropped). */
  schedule(key: string, run: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
      }, this.delayMs),
    );
  }

  /** Drops the pending run of `key`, if any. */
  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
