/**
 * "What the units learned" of a stored experiment, from the runs' stored weights and the
 * engine's predictor: for image data (an image shape that covers every feature) the first
 * layer's units as images per variant, for one seed; for 2-D classification data every hidden
 * unit's response map per variant (that seed) and the decision boundary of every run (variants x
 * seeds) with the map of where they disagree. Runs without a stored model are listed with the
 * reason, never drawn. weights.bin keeps one set of weights per run; each variant says which
 * epoch that is and whether it is the best, the final, or both. Main thread (reads files).
 */
import type { PredictableModel, PreparedData } from '../../engine/index.js';
import { weightsLabel, weightsOf } from '../../shared/run-weights.js';
import type { MissingRun, StoredWeightsNote, UnitsLearned } from '../../shared/types/units.js';
import type { RunSummary } from '../experiments/types.js';
import type { LoadedExperiment, LoadedRun } from '../store/reader.js';
import { loadTrainedModel } from '../trained-model.js';
import { firstLayerUnits, imageShapeOf } from './first-layer.js';
import { disagreement, gridClasses, planeGrid, unitResponses } from './plane.js';

export const BOUNDARY_RESOLUTION = 60;
export const RESPONSE_RESOLUTION = 40;

/** Four significant digits: the views draw colours, and the JSON of MNIST's 784 x 128 weights stays small. */
const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : v);

export async function unitsLearned(loaded: LoadedExperiment, prepared: PreparedData, seed: number | null): Promise<UnitsLearned> {
  const plan = loaded.plan;
  if (!plan || plan.length === 0) return { kind: 'none', reason: 'the experiment file cannot be expanded into runs' };
  // Data factors give variants their own inputs (another preprocessing, other points): their units
  // and boundaries live in different input spaces, and one picture over one data set would mislead.
  const dataFactors = Object.keys(loaded.experiment.spec.compare ?? {}).filter((k) => k.startsWith('data.'));
  if (dataFactors.length > 0) {
    return {
      kind: 'none',
      reason: `its variants train on different data (${dataFactors.join(', ')}), and this view draws every variant over one data set`,
    };
  }
  const image = imageShapeOf(prepared);
  const plane = prepared.dataset.d === 2 && prepared.dataset.targets.kind === 'class';
  if (!image && !plane) {
    return {
      kind: 'none',
      reason: `${prepared.dataset.name} is neither images (an image shape covering all ${prepared.dataset.d} features) nor 2-D: there is no picture of its units`,
    };
  }
  const byId = new Map(loaded.runs.map((r) => [r.runId, r]));
  const seeds = [...new Set(plan.map((p) => p.seed))];
  const chosen = seed !== null && seeds.includes(seed) ? seed : seeds[0];
  const variantIds = [...new Set(plan.map((p) => p.variantId))];
  const labelOf = (id: string) => loaded.runs.find((r) => r.config?.variant.id === id)?.config?.variant.label ?? id;
  const missing: MissingRun[] = [];
  const models = new Map<string, { run: LoadedRun; model: PredictableModel }>();
  const modelOf = async (variantId: string, s: number) => {
    const ref = plan.find((p) => p.variantId === variantId && p.seed === s);
    const run = ref ? byId.get(ref.runId) : undefined;
    const miss = (reason: string) => (missing.push({ variantId, label: labelOf(variantId), seed: s, reason }), null);
    if (!ref) return miss('not in the plan');
    if (!run) return miss('has not started');
    const hit = models.get(run.runId);
    if (hit) return hit;
    try {
      const m = { run, model: (await loadTrainedModel(run)).model };
      models.set(run.runId, m);
      return m;
    } catch (err) {
      return miss(String((err as Error).message ?? err).replace(/^.*?: (?=run |the run )/, ''));
    }
  };
  const variantsOf = async <T>(f: (run: LoadedRun, model: PredictableModel) => T) => {
    const out: Array<T & { variantId: string; label: string; runId: string; seed: number; weights: StoredWeightsNote }> = [];
    for (const id of variantIds) {
      const m = await modelOf(id, chosen);
      if (m)
        out.push({
          variantId: id,
          label: labelOf(id),
          runId: m.run.runId,
          seed: chosen,
          weights: storedWeights(m.run.summary!),
          ...f(m.run, m.model),
        });
    }
    return out;
  };

  if (image) {
    const variants = await variantsOf((_run, model) => {
      const u = firstLayerUnits(model, prepared);
      return {
        units: u.units.map((x) => ({ ...x, norm: round(x.norm), weights: x.weights.map(round) })),
        maxAbs: u.maxAbs,
        deadCount: u.deadCount,
      };
    });
    return { kind: 'images', height: image[0], width: image[1], seed: chosen, seeds, variants, missing };
  }

  const responseGrid = planeGrid(prepared, RESPONSE_RESOLUTION);
  const variants = await variantsOf((_run, model) => ({
    layers: unitResponses(model, responseGrid).map((l) => ({ ...l, units: l.units.map((u) => u.map((row) => row.map(round))) })),
  }));
  const grid = planeGrid(prepared, BOUNDARY_RESOLUTION);
  const classes: Array<Array<number[][] | null>> = [];
  for (const id of variantIds) {
    const row: Array<number[][] | null> = [];
    for (const s of seeds) {
      const m =
        s === chosen ? (models.get(plan.find((p) => p.variantId === id && p.seed === s)?.runId ?? '') ?? null) : await modelOf(id, s);
      row.push(m ? gridClasses(m.model, grid) : null);
    }
    classes.push(row);
  }
  const drawn = classes.flat().filter((c): c is number[][] => c !== null);
  const t = prepared.dataset.targets as { labels: Int32Array; classNames: string[] };
  const n = Math.min(2000, prepared.dataset.n);
  const idx = Array.from({ length: n }, (_, k) => Math.floor((k * prepared.dataset.n) / n));
  return {
    kind: 'plane',
    seed: chosen,
    seeds,
    xs: responseGrid.xs,
    ys: responseGrid.ys,
    classNames: t.classNames,
    variants,
    grid: {
      variants: variantIds.map((id) => ({ id, label: labelOf(id) })),
      seeds,
      classes,
      disagreement: drawn.length > 0 ? disagreement(drawn) : null,
      runs: drawn.length,
      xs: grid.xs,
      ys: grid.ys,
    },
    points: {
      x: idx.map((i) => prepared.features[2 * i]),
      y: idx.map((i) => prepared.features[2 * i + 1]),
      label: idx.map((i) => t.labels[i]),
    },
    missing: dedupe(missing),
  };
}

/** Which epoch's weights a run stored, and whether that is its best, its final, or both. */
export function storedWeights(s: RunSummary): StoredWeightsNote {
  const w = weightsOf(s);
  const label = weightsLabel(w);
  const last = s.final?.epoch ?? null;
  const best = s.bestEpoch;
  if (w.epoch === null) return { label, text: 'The run stopped inside an epoch: its weights are of no epoch.' };
  if (best === null || last === null) return { label, text: `Only the weights of ${label} are stored (no best epoch was recorded).` };
  if (best === last) return { label, text: `The best epoch is the final one (epoch ${best + 1}): these weights are both.` };
  if (w.restored) {
    return {
      label,
      text: `Only the best epoch's weights (epoch ${best + 1}, restored) are stored; the final epoch's (epoch ${last + 1}) are not kept.`,
    };
  }
  return {
    label,
    text: `Only the final epoch's weights (epoch ${last + 1}) are stored; the best epoch's (epoch ${best + 1}) are not kept (one set per run).`,
  };
}

function dedupe(m: MissingRun[]): MissingRun[] {
  const seen = new Set<string>();
  return m.filter((x) => !seen.has(`${x.variantId}|${x.seed}`) && (seen.add(`${x.variantId}|${x.seed}`), true));
}
