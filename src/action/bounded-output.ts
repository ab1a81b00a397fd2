// A gate may print gigabytes; we keep the last `limit` characters and count the rest.

export class BoundedOutput {
  #chunks: string[] = [];
  #kept = 0;
  #dropped = 0;

  constructor(private readonly limit = 256 * 1024) {}

  push(chunk: string): void {
    this.#chunks.push(chunk);
    this.#kept += chunk.length;
    while (this.#kept > this.limit && this.#chunks.length > 1) {
      const first = this.#chunks.shift() as string;
      this.#kept -= first.length;
      this.#dropped += first.length;
    }
    if (this.#kept > this.limit) {
      const only = this.#chunks[0] as string;
      this.#chunks[0] = only.slice(only.length - this.limit);
      this.#dropped += only.length - this.limit;
      this.#kept = this.limit;
    }
  }

  /** Characters that did not fit and were dropped from the start. */
  get dropped(): number {
    return this.#dropped;
  }

  text(): string {
    return this.#chunks.join('');
  }
}
