/** Messages between the Compare tab and its aggregation worker (plot/curves.worker.ts). */
import type { CurveQuery, VariantCurves } from './aggregate.js';
import type { CurveRecord } from './run-records.js';

export type CurvesRequest =
  /** The experiment's runs, and which count (running, or ended healthy). */
  | { type: 'runs'; runs: Array<{ runId: string; variantId: string; seed: number; included: boolean }> }
  | { type: 'records'; runId: string; records: CurveRecord[] }
  | { type: 'query'; id: number; query: CurveQuery };

export type CurvesReply = { type: 'curves'; id: number; curves: Array<[string, VariantCurves]> };
