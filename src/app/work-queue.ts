// Webhooks must be answered within 10 seconds, and events for one issue must not race each other
// inside one replica. Work is queued per key (an issue): keys run in parallel, one key's jobs in
// order. A job still waiting absorbs a new one only when it does all of the new one's work (a
// burst of pushes costs one advance, not many); different work is never dropped.

/** What a job does, for absorbing: `covers` names the kinds of work it includes besides its own. */
export interface JobKind {
  readonly name: string;
  readonly covers?: readonly string[];
}

export interface JobOutcome {
  /** The error of the job that did this work, if it failed. */
  readonly error?: unknown;
}

interface Waiting {
  readonly kind: JobKind;
  readonly done: Promise<JobOutcome>;
}

export class WorkQueue {
  readonly #tails = new Map<string, Promise<JobOutcome>>();
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #pending = new Set<Promise<JobOutcome>>();

  constructor(private readonly onError: (key: string, error: unknown, id: string | undefined) => void) {}

  /**
   * Queues `job` under `key`. With a `kind`, a job already waiting whose work includes it (same
   * name, or covering that name) does it instead. Settles when the job (or the one that absorbed
   * it) has run, with its error if it failed; never rejects. `id` (a delivery id) goes to the log.
   */
  push(key: string, job: () => Promise<unknown>, kind?: JobKind, id?: string): Promise<JobOutcome> {
    const waiting = this.#waiting.get(key) ?? [];
    if (kind) {
      const absorbing = waiting.find((w) => w.kind.name === kind.name || w.kind.covers?.includes(kind.name));
      if (absorbing) return absorbing.done;
    }
    const previous = this.#tails.get(key) ?? Promise.resolve({});
    let entry: Waiting | undefined;
    const done = previous.then(async (): Promise<JobOutcome> => {
      if (entry) this.#unwait(key, entry);
      try {
        await job();
        return {};
      } catch (error) {
        this.onError(key, error, id);
        return { error };
      }
    });
    if (kind) {
      entry = { kind, done };
      this.#waiting.set(key, [...waiting, entry]);
    }
    this.#tails.set(key, done);
    this.#pending.add(done);
    void done.finally(() => {
      this.#pending.delete(done);
      if (this.#tails.get(key) === done) this.#tails.delete(key);
    });
    return done;
  }

  #unwait(key: string, entry: Waiting): void {
    const rest = (this.#waiting.get(key) ?? []).filter((w) => w !== entry);
    if (rest.length > 0) this.#waiting.set(key, rest);
    else this.#waiting.delete(key);
  }

  /** Resolves once every queued job, including ones queued meanwhile, has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
