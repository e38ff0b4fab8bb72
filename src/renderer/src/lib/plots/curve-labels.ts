/**
 * Labels at the ends of the overlay's lines: spread apart so no two overlap, and when there are
 * more than the plot's height can hold, the ones that do not fit are left out (the variant legend
 * names every line) rather than drawn on top of each other. Pure.
 */

/**
 * Positions in [0, 1] (input order) at least `gap` apart, as near the wanted ones as the order
 * allows; null for labels left out. When not all fit, the labels of `keep` (indices) come first,
 * then every other label in order of its position, as many as fit.
 */
export function placeLabels(ys: readonly number[], gap: number, keep: readonly number[] = []): Array<number | null> {
  // A little slack: a set that fills [0, 1] exactly takes the spreading many passes to settle.
  const fit = Math.max(1, Math.floor(0.95 / gap) + 1);
  let chosen = ys.map((_, i) => i);
  if (ys.length > fit) {
    const rest = chosen.filter((i) => !keep.includes(i));
    const step = rest.length / Math.max(1, fit - keep.length);
    const picked = keep.slice(0, fit);
    for (let k = 0; picked.length < fit && k < rest.length; k++) {
      const i = rest[Math.floor(k * step)];
      if (i !== undefined && !picked.includes(i)) picked.push(i);
    }
    chosen = picked;
  }
  const spread = spreadLabels(
    chosen.map((i) => ys[i]),
    gap,
  );
  const out: Array<number | null> = ys.map(() => null);
  chosen.forEach((i, k) => (out[i] = spread[k]));
  return out;
}

/**
 * Spreads label positions (normalized to [0, 1]) so neighbours are at least `gap` apart, keeping
 * their order and staying inside [0, 1] (when they can all fit). Returns positions in input order.
 */
export function spreadLabels(ys: readonly number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y: Number.isFinite(y) ? y : 0.5, i })).sort((a, b) => a.y - b.y);
  const pos = order.map((o) => o.y);
  for (let pass = 0; pass < 200; pass++) {
    let moved = false;
    for (let k = 1; k < pos.length; k++) {
      const overlap = gap - (pos[k] - pos[k - 1]);
      if (overlap > 1e-9) {
        pos[k - 1] -= overlap / 2;
        pos[k] += overlap / 2;
        moved = true;
      }
    }
    const lo = pos.length ? Math.min(0, pos[0]) : 0;
    const hi = pos.length ? Math.max(1, pos[pos.length - 1]) : 1;
    if (lo < 0) for (let k = 0; k < pos.length; k++) pos[k] -= lo;
    if (hi > 1) for (let k = 0; k < pos.length; k++) pos[k] -= hi - 1;
    if (!moved && lo >= 0 && hi <= 1) break;
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, k) => (out[o.i] = pos[k]));
  return out;
}
