/**
 * Exports an experiment's metrics for other tools: CSV with one row per run and epoch (run,
 * variant, seed, status and every epoch metric), or JSON with each run's summary and epoch
 * records. Reads the store; main thread.
 */
import { epochsOf, type EpochCache, type EpochRecord } from '../experiments/epochs.js';
import type { LoadedExperiment } from '../store/reader.js';

const EPOCH_FIELDS = ['epoch', 'lr', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'penalty', 'steps', 'seconds'] as const;

export async function exportMetrics(
  loaded: LoadedExperiment,
  format: 'csv' | 'json',
  cache?: EpochCache,
): Promise<{ fileName: string; text: string }> {
  const id = loaded.experiment.id;
  const runs = await Promise.all(
    loaded.runs.map(async (r) => ({ run: r, epochs: r.config ? await epochsOf(r, cache).catch((): EpochRecord[] => []) : [] })),
  );
  if (format === 'json') {
    const body = runs.map(({ run, epochs }) => ({
      runId: run.runId,
      variant: run.config?.variant ?? null,
      seed: run.config?.seed ?? null,
      summary: run.summary,
      epochs: epochs.map(({ kind: _kind, ...e }) => e),
    }));
    return { fileName: `${id}-metrics.json`, text: JSON.stringify({ experiment: loaded.experiment, runs: body }, null, 2) + '\n' };
  }
  const header = ['experiment', 'run', 'variant', 'seed', 'status', ...EPOCH_FIELDS];
  const lines = [header.join(',')];
  for (const { run, epochs } of runs) {
    for (const e of epochs) {
      const cells = [
        id,
        run.runId,
        run.config?.variant.id ?? '',
        String(run.config?.seed ?? ''),
        run.summary?.status ?? 'incomplete',
        ...EPOCH_FIELDS.map((f) => numberCell(e[f])),
      ];
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return { fileName: `${id}-metrics.csv`, text: lines.join('\n') + '\n' };
}

function numberCell(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
}

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
