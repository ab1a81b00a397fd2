// The demo's terminal: plain lines, sections, and a live view that redraws in place.

export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function section(title: string, text: string): void {
  say(`\n── ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}\n`);
  say(text.trimEnd());
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export async function poll(tick: () => void, until: () => boolean, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!until() && performance.now() < deadline) {
    tick();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  tick();
}

/** Redraws in place on a terminal; elsewhere (CI logs) prints a frame only when it changed. */
export class LiveTerminal {
  #last: string[] = [];

  show(lines: string[]): void {
    if (lines.join('\n') === this.#last.join('\n')) return;
    if (process.stdout.isTTY && this.#last.length > 0) process.stdout.write(`\x1b[${this.#last.length}F\x1b[J`);
    else if (this.#last.length > 0 && !this.#changedBeyondClock(lines)) return;
    process.stdout.write(`${lines.join('\n')}\n`);
    this.#last = lines;
  }

  /** Off a terminal, a frame that differs only in the elapsed time is not worth a print. */
  #changedBeyondClock(lines: string[]): boolean {
    return lines.slice(1).join('\n') !== this.#last.slice(1).join('\n');
  }
}
