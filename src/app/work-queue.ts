// Webhooks must be answered within 10 seconds, and events for one issue must not race each other
// inside one replica. Work is queued per key (an issue): keys run in parallel, one key's jobs in
// order, and a job already waiting for a key absorbs an identical one (a burst of edits or a
// redelivery costs one advance, not many).

export class WorkQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #waiting = new Set<string>();
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  /**
   * Queues `job` under `key`; with a `dedupe` name, a job of that name already waiting wins.
   * The promise settles when the job (or the one that absorbed it) has run; it never rejects.
   */
  push(key: string, job: () => Promise<unknown>, dedupe?: string): Promise<void> {
    const token = dedupe === undefined ? undefined : `${key}\u0000${dedupe}`;
    if (token !== undefined) {
      if (this.#waiting.has(token)) return this.#tails.get(key) ?? Promise.resolve();
      this.#waiting.add(token);
    }
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (token !== undefined) this.#waiting.delete(token);
      try {
        await job();
      } catch (error) {
        this.onError(key, error);
      }
    });
    this.#tails.set(key, next);
    this.#pending.add(next);
    void next.finally(() => {
      this.#pending.delete(next);
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
    return next;
  }

  /** Resolves once every queued job, including ones queued meanwhile, has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
