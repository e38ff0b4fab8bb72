/**
 * One Plotly redraw per animation frame, across every plot of the page (Plot.svelte keeps the one
 * queue, on requestAnimationFrame). All requestAnimationFrame callbacks of a frame run as one
 * task, so two plots that became due together (the small multiples and the overlay, after one
 * curves update) used to redraw in one task that was the sum of both: the longest tasks while
 * runs train. Here each frame runs the oldest pending draw only; a plot queued again before its
 * turn keeps its place and draws its newest figure. Pure: the frame scheduler is handed in.
 */
export class DrawQueue {
  readonly #pending = new Map<object, () => void>();
  readonly #requestFrame: (callback: () => void) => unknown;
  #waiting = false;

  constructor(requestFrame: (callback: () => void) => unknown) {
    this.#requestFrame = requestFrame;
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
    if (this.#pending.size > 0) this.#wait();
    draw();
  }
}
