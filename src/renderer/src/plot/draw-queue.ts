/**
 * One Plotly redraw per animation frame, across every plot of the page. All requestAnimationFrame
 * callbacks of a frame run as one task, so two plots that became due together (the small
 * multiples and the overlay, after one curves update) used to redraw in one task that was the
 * sum of both: the longest tasks while runs train. Here each frame runs the oldest pending draw
 * only; a plot queued again before its turn keeps its place and draws its newest figure.
 */
const pending = new Map<object, () => void>();
let frame = 0;

function next(): void {
  frame = 0;
  const first = pending.entries().next();
  if (first.done) return;
  const [key, draw] = first.value;
  pending.delete(key);
  if (pending.size > 0) frame = requestAnimationFrame(next);
  draw();
}

/** Runs `draw` in a frame of its own, after the draws queued before it; replaces `key`'s pending draw. */
export function queueDraw(key: object, draw: () => void): void {
  pending.set(key, draw);
  if (frame === 0) frame = requestAnimationFrame(next);
}

/** Forgets `key`'s pending draw (the plot is gone). */
export function cancelDraw(key: object): void {
  pending.delete(key);
}

/** Draws still waiting for a frame (for tests). */
export function pendingDraws(): number {
  return pending.size;
}
