/**
 * Which run the ONNX export offers first: the best run of the best variant, ranked on the metrics
 * of the weights each run kept (weightsOf: what the exported model holds). Validation accuracy
 * when every candidate has one, else validation loss, else training loss. The best variant has
 * the best mean over its seeds; within it the best seed wins. Runs that diverged, failed or were
 * cancelled are never offered first. Returns the run and a sentence saying why. Pure.
 */
import type { RunView } from '../../../shared/api.js';
import { weightsOf } from '../../../shared/run-weights.js';
import { fmtNum } from './format.js';
import type { VariantGroup } from './runs.js';

export interface OnnxPick {
  runId: string;
  why: string;
}

type Ranked = { run: RunView; value: number };

const METRICS = [
  { key: 'valAccuracy', label: 'validation accuracy', higher: true },
  { key: 'valLoss', label: 'validation loss', higher: false },
  { key: 'trainLoss', label: 'training loss', higher: false },
] as const;

function keptValue(run: RunView, key: (typeof METRICS)[number]['key']): number | null {
  if (!run.summary || (run.status !== 'completed' && run.status !== 'early_stopped')) return null;
  const v = weightsOf(run.summary).metrics?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function defaultOnnxRun(groups: readonly VariantGroup[]): OnnxPick | null {
  const all = groups.flatMap((g) => g.runs);
  if (all.length === 0) return null;
  for (const m of METRICS) {
    const ranked = groups
      .map((g) => ({ g, runs: g.runs.map((run) => ({ run, value: keptValue(run, m.key) })).filter((r): r is Ranked => r.value !== null) }))
      .filter((x) => x.runs.length > 0);
    const candidates = ranked.flatMap((x) => x.runs);
    // A metric some finished runs lack (accuracy of a regression) cannot rank them all.
    if (candidates.length === 0 || candidates.length < all.filter((r) => keptValue(r, 'trainLoss') !== null).length) continue;
    const better = (a: number, b: number) => (m.higher ? a > b : a < b);
    const mean = (rs: Ranked[]) => rs.reduce((s, r) => s + r.value, 0) / rs.length;
    let best = ranked[0];
    for (const x of ranked) if (better(mean(x.runs), mean(best.runs))) best = x;
    let top = best.runs[0];
    for (const r of best.runs) if (better(r.value, top.value)) top = r;
    const n = best.runs.length;
    const variantPart =
      ranked.length > 1
        ? `the best variant (${best.g.variant.label}: mean ${m.label} ${fmtNum(mean(best.runs), 4)} over ${n} seed${n === 1 ? '' : 's'})`
        : best.g.variant.label;
    const why =
      n > 1
        ? `Best seed of ${variantPart}: ${m.label} ${fmtNum(top.value, 4)}`
        : `Best of ${ranked.length > 1 ? variantPart : 'the finished runs'}: ${m.label} ${fmtNum(top.value, 4)}`;
    return { runId: top.run.runId, why };
  }
  return { runId: all[0].runId, why: 'The first finished run: no run has metrics to rank by' };
}
