// A gate may print gigabytes; we keep the last `limit` characters and count the rest. What is
// kept is masked before it is cut, so a secret that straddles the cut cannot survive as a piece.

export class BoundedOutput {
  #chunks: string[] = [];
  #kept = 0;
  #dropped = 0;

  constructor(
    private readonly limit = 256 * 1024,
    private readonly mask: (text: string) => string = (text) => text,
  ) {}

  push(chunk: string): void {
    this.#chunks.push(chunk);
    this.#kept += chunk.length;
    // Cut only once twice the limit has piled up: masking and joining stay linear overall.
    if (this.#kept > 2 * this.limit) this.#cut();
  }

  #cut(): void {
    const masked = this.mask(this.#chunks.join(''));
    const kept = masked.length > this.limit ? masked.slice(masked.length - this.limit) : masked;
    this.#dropped += masked.length - kept.length;
    this.#chunks = [kept];
    this.#kept = kept.length;
  }

  /** Characters that did not fit and were dropped from the start. */
  get dropped(): number {
    if (this.#kept > this.limit) this.#cut();
    return this.#dropped;
  }

  /** The last `limit` characters, masked. */
  text(): string {
    this.#cut();
    return this.#chunks.join('');
  }
}
