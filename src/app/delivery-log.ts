// GitHub may deliver a webhook more than once; the delivery id (`X-GitHub-Delivery`) tells.
// A bounded memory of recent ids; across replicas the use cases' own claims keep work single.

export class DeliveryLog {
  readonly #seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time an id is offered. */
  first(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > this.capacity) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }

  /** Forgets an id whose work failed, so that GitHub's redelivery of it is handled. */
  forget(id: string): void {
    this.#seen.delete(id);
  }
}
