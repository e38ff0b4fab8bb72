/**
 * One Plotly redraw per animation frame, across every plot of the page (Plot.svelte keeps the one
 * queue, on requestAnimationFrame). All requestAnimationFrame callbacks of a frame run as one
 * task, so two plots that became due together (the small multiples and the overlay, after one
 * curves update) used to redraw in one task that was the sum of both: the longest tasks while
 * runs train. Here each frame runs the oldest pending draw only; a plot queued again before its
 * turn keeps its place and draws its newest figure.
 *
 * With a `share`, the draws of all plots together take at most that fraction of the main thread:
 * after a draw of d ms the next waits d × (1 / share − 1) ms. Many small plots (the small
 * multiples, one per variant) then cannot keep the page busy between them while runs train.
 * Pure: the frame scheduler, the clock and the timer are handed in.
 */
export interface DrawBudget {
  /** Fraction of the main thread the draws may take, in (0, 1]. */
  share: number;
  now: () => number;
  delay: (callback: () => void, ms: number) => unknown;
}

export class DrawQueue {
  readonly #pending = new Map<object, () => void>();
  readonly #requestFrame: (callback: () => void) => unknown;
  readonly #budget: DrawBudget | null;
  #waiting = false;

  constructor(requestFrame: (callback: () => void) => unknown, budget: DrawBudget | null = null) {
    if (budget && !(budget.share > 0 && budget.share <= 1))
      throw new RangeError(`draw budget share must be in (0, 1], got ${budget.share}`);
    this.#requestFrame = requestFrame;
    this.#budget = budget;
  }

  /** Runs `draw` in a frame of its own, after the draws queued before it; replaces `key`'s pending draw. */
  queue(key: object, draw: () => void): void {
    this.#pending.set(key, draw);
    this.#wait();
  }

  /** Forgets `key`'s pending draw (the plot is gone). */
  cancel(key: object): void {
    this.#pending.delete(key);
  }

  /** Draws still waiting for a frame. */
  get size(): number {
    return this.#pending.size;
  }

  #wait(): void {
    if (this.#waiting) return;
    this.#waiting = true;
    this.#requestFrame(() => this.#next());
  }

  #next(): void {
    this.#waiting = false;
    const first = this.#pending.entries().next();
    if (first.done) return;
    const [key, draw] = first.value;
    this.#pending.delete(key);
    const b = this.#budget;
    if (!b) {
      if (this.#pending.size > 0) this.#wait();
      draw();
      return;
    }
    // Waiting (a frame or the rest) counts as waiting: a draw queued meanwhile asks for no frame.
    this.#waiting = true;
    const start = b.now();
    try {
      draw();
    } finally {
      const rest = (b.now() - start) * (1 / b.share - 1);
      b.delay(() => {
        this.#waiting = false;
        if (this.#pending.size > 0) this.#wait();
      }, rest);
    }
  }
}
