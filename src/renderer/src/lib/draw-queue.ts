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
 * Urgent draws (the user changed what the plots show: a scale, a metric) skip that wait, still one
 * per frame. Pure: the frame scheduler, the clock and the timer are handed in.
 */
export interface DrawBudget {
  /** Fraction of the main thread the draws may take, in (0, 1]. */
  share: number;
  now: () => number;
  delay: (callback: () => void, ms: number) => unknown;
}

export class DrawQueue {
  readonly #pending = new Map<object, { draw: () => void; urgent: boolean }>();
  readonly #requestFrame: (callback: () => void) => unknown;
  readonly #budget: DrawBudget | null;
  #waiting = false;
  /** A budget's rest is under way (a frame is asked for when it ends, or by an urgent draw). */
  #resting = false;
  /** Which rest is the current one: a rest ended early leaves a timer that must do nothing. */
  #rest = 0;

  constructor(requestFrame: (callback: () => void) => unknown, budget: DrawBudget | null = null) {
    if (budget && !(budget.share > 0 && budget.share <= 1))
      throw new RangeError(`draw budget share must be in (0, 1], got ${budget.share}`);
    this.#requestFrame = requestFrame;
    this.#budget = budget;
  }

  /**
   * Runs `draw` in a frame of its own, after the draws queued before it; replaces `key`'s pending
   * draw. An urgent draw does not wait for the budget's rest (nor do the draws ahead of it).
   */
  queue(key: object, draw: () => void, urgent = false): void {
    this.#pending.set(key, { draw, urgent: urgent || (this.#pending.get(key)?.urgent ?? false) });
    if (urgent && this.#resting) {
      this.#resting = false;
      this.#waiting = false;
    }
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
    const [key, { draw }] = first.value;
    this.#pending.delete(key);
    const b = this.#budget;
    if (!b) {
      if (this.#pending.size > 0) this.#wait();
      draw();
      return;
    }
    // Resting counts as waiting: a draw queued meanwhile asks for no frame, unless it is urgent.
    this.#waiting = true;
    const start = b.now();
    try {
      draw();
    } finally {
      const restMs = (b.now() - start) * (1 / b.share - 1);
      if ([...this.#pending.values()].some((p) => p.urgent)) {
        this.#waiting = false;
        this.#wait();
      } else {
        this.#resting = true;
        const rest = ++this.#rest;
        b.delay(() => {
          // An urgent draw may have ended this rest already.
          if (rest !== this.#rest || !this.#resting) return;
          this.#resting = false;
          this.#waiting = false;
          if (this.#pending.size > 0) this.#wait();
        }, restMs);
      }
    }
  }
}
