/**
 * The Compare tab's aggregation worker: keeps every run's curve records (plain numbers, fed as
 * runs report them) and answers queries with each variant's mean, band and seed lines
 * (lib/plots/aggregate.ts), so the statistics over thousands of steps never block the page.
 * Messages are the `CurvesRequest` / `CurvesReply` of lib/plots/curves-protocol.ts.
 */
import { aggregateCurves, type CurveRun } from '../lib/plots/aggregate';
import type { CurvesReply, CurvesRequest } from '../lib/plots/curves-protocol';
import { addCurveRecords, emptyRunCurves } from '../lib/plots/run-records';

const runs = new Map<string, CurveRun>();
/** Runs that count in the curves (running, or ended healthy). */
let included = new Set<string>();

const scope = self as unknown as { onmessage: ((e: MessageEvent<CurvesRequest>) => void) | null; postMessage(m: CurvesReply): void };

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'runs') {
    for (const r of m.runs) {
      const known = runs.get(r.runId);
      if (!known) runs.set(r.runId, { runId: r.runId, variantId: r.variantId, seed: r.seed, data: emptyRunCurves() });
    }
    included = new Set(m.runs.filter((r) => r.included).map((r) => r.runId));
  } else if (m.type === 'records') {
    const run = runs.get(m.runId);
    if (run) addCurveRecords(run.data, m.records);
  } else if (m.type === 'query') {
    const list = [...runs.values()].filter((r) => included.has(r.runId));
    scope.postMessage({ type: 'curves', id: m.id, curves: [...aggregateCurves(list, m.query)] });
  }
};
