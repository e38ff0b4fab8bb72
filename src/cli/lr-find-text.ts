/**
 * The learning-rate range test as `ablate lr-find` prints it: the settings and rules, then per
 * variant the loss against the rate at about a dozen steps (log-spaced in the rate, the lowest
 * smoothed loss and the last step included), why it stopped, the lowest smoothed loss and the
 * steepest descent, and the suggested rate with its rule.
 */
import type { LrRangeOptions, LrRangeResult } from '../engine/index.js';
import type { LrFindResult } from '../services/experiments/lr-find.js';
import { formatTable } from '../services/text-table.js';
import { fmt } from './progress.js';

const RULE_WORDS = {
  'minimum/10': 'the rate of the lowest smoothed loss divided by 10',
};

const rate = (v: number | null) => (v === null ? '-' : v.toExponential(2));

/** About `rows` points evenly spaced in step (so in log rate), plus the lowest smoothed loss and the last point. */
function sampled(r: LrRangeResult, rows = 12): LrRangeResult['points'] {
  const pts = r.points;
  const keep = new Set<number>();
  for (let k = 0; k < rows; k++) keep.add(Math.round((k * (pts.length - 1)) / Math.max(1, rows - 1)));
  const m = r.minimum ? pts.findIndex((p) => p.lr === r.minimum!.lr) : -1;
  if (m >= 0) keep.add(m);
  return [...keep].sort((a, b) => a - b).map((i) => pts[i]);
}

export function printLrFind(name: string, result: LrFindResult, o: LrRangeOptions): void {
  const perStep = Math.pow(o.end / o.start, 1 / (o.steps - 1));
  console.log(
    `${name}: learning-rate range test at seed ${result.seed}, ${result.kernels} kernels, batches from the ${result.trainRows} training rows.\n` +
      `The rate rises exponentially from ${rate(o.start)} to ${rate(o.end)} over ${o.steps} optimizer steps (x${perStep.toFixed(3)} a step); ` +
      `the loss is smoothed by a bias-corrected moving average (beta ${o.beta}); the test stops when the smoothed loss exceeds ${o.factor} x its lowest value or turns NaN.`,
  );
  for (const v of result.variants) {
    const r = v.result;
    console.log(`\n${v.label}:`);
    const min = r.minimum;
    console.log(
      formatTable(
        ['step', 'rate', 'loss', 'smoothed loss'],
        sampled(r).map((p) => [String(p.step), rate(p.lr), fmt(p.loss), fmt(p.smoothed) + (min && p.lr === min.lr ? '  (lowest)' : '')]),
      ).replace(/^/gm, '  '),
    );
    console.log(`  Stopped: ${r.stopReason}${r.explosionLr !== null ? ` (rate ${rate(r.explosionLr)})` : ''}.`);
    if (min) {
      const steep = r.steepest === null ? 'none before the minimum' : rate(r.steepest);
      console.log(
        `  Lowest smoothed loss ${fmt(min.smoothed)} at rate ${rate(min.lr)}; steepest descent of the smoothed loss at ${steep} (noisy: not the rule).`,
      );
    }
    console.log(
      r.suggestion
        ? `  Suggested rate: ${rate(r.suggestion.lr)} (rule "${r.suggestion.rule}": ${RULE_WORDS[r.suggestion.rule]}).`
        : '  No suggestion: no finite loss was recorded.',
    );
  }
}
