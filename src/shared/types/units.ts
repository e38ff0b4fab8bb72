/**
 * "What the units learned" as the Compare view and the report receive it
 * (src/services/units/ computes it from stored weights): for image data the first layer's
 * weights per unit as images; for 2-D data each hidden unit's response over the input plane,
 * the decision boundary of every run (variants x seeds) and where the runs disagree. Plain JSON.
 */

/** One first-layer unit: its incoming weights as an image (row-major, height x width). */
export interface UnitImage {
  unit: number;
  /** L2 norm of the unit's incoming weights. */
  norm: number;
  /** Activation exactly 0 for every validation row; null when there is no validation split. */
  dead: boolean | null;
  weights: number[];
}

/** Which weights a run stored and what that means for best versus final. */
export interface StoredWeightsNote {
  /** "epoch 7 (restored best)". */
  label: string;
  /** One sentence: whether the best and final epochs' weights are both shown, one, or the same. */
  text: string;
}

export interface VariantUnitImages {
  variantId: string;
  label: string;
  runId: string;
  seed: number;
  weights: StoredWeightsNote;
  /** Sorted by norm, largest first. */
  units: UnitImage[];
  /** Largest |weight| of the layer. */
  maxAbs: number;
  deadCount: number | null;
}

export interface UnitResponseLayer {
  layer: number;
  activation: string;
  /** Per unit, the activation output over the grid: [unit][row j (y)][col i (x)]. */
  units: number[][][];
  /** Largest |value| over the layer's maps. */
  maxAbs: number;
}

export interface VariantResponses {
  variantId: string;
  label: string;
  runId: string;
  seed: number;
  weights: StoredWeightsNote;
  layers: UnitResponseLayer[];
}

/** A variant, or seed, without a stored model for this view, and why. */
export interface MissingRun {
  variantId: string;
  label: string;
  seed: number;
  reason: string;
}

export interface BoundaryGrid {
  variants: Array<{ id: string; label: string }>;
  seeds: number[];
  /** [variant][seed]: the predicted class per grid point, or null when the run has no model. */
  classes: Array<Array<number[][] | null>>;
  /** Per grid point: the fraction of the runs drawn that disagree with their majority class. */
  disagreement: number[][] | null;
  runs: number;
  /** The boundary grid's own coordinates (finer than the response maps'). */
  xs: number[];
  ys: number[];
}

export type UnitsLearned =
  | { kind: 'images'; height: number; width: number; seed: number; seeds: number[]; variants: VariantUnitImages[]; missing: MissingRun[] }
  | {
      kind: 'plane';
      seed: number;
      seeds: number[];
      xs: number[];
      ys: number[];
      classNames: string[];
      variants: VariantResponses[];
      grid: BoundaryGrid;
      points: { x: number[]; y: number[]; label: number[] };
      missing: MissingRun[];
    }
  | { kind: 'none'; reason: string };
