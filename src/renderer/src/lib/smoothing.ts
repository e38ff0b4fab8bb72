/**
 * Exponential moving average for noisy curves, debiased like TensorBoard's smoothing slider so the
 * first points are not pulled toward zero. Display only: the raw series is kept and drawn faint.
 * Non-finite values (a diverged run) pass through and do not poison later points.
 */

/** weight in [0, 1): 0 returns a copy, 0.9 is heavy smoothing. */
export function ema(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return values.slice();
  const out: number[] = new Array(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out[i] = last / (1 - w ** n);
  }
  return out;
}

/** The slider's readout. */
export function smoothingLabel(weight: number): string {
  return weight <= 0 ? 'off' : String(Number(weight.toFixed(2)));
}
