/**
 * `ablate status DIR [--json]`: where every run of an experiment stands across all the processes
 * working on it (cluster tasks included): planned, claimed, running (on which host, which epoch),
 * done, diverged, failed, ... DIR is an experiment folder, or a store (every experiment in it).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatTable } from '../../services/text-table.js';
import {
  CLUSTER_STATES,
  clusterStateWord,
  experimentStatus,
  type ExperimentStatus,
  type RunStatusLine,
} from '../../services/cluster/status.js';
import { EXPERIMENT_FILE } from '../../services/store/layout.js';
import { listExperiments } from '../../services/store/reader.js';
import { stateTone, type Tone } from '../../shared/run-state.js';
import { parse } from '../args.js';
import { colorsOn, paintRows } from '../color.js';
import { UsageError } from '../errors.js';

export async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('status', args, { json: { type: 'boolean' } }, 1);
  const dir = path.resolve(positionals[0] ?? 'ablate-runs');
  if (!existsSync(dir)) throw new UsageError(`status: ${dir} does not exist (give an experiment folder or a store)`);
  const dirs = existsSync(path.join(dir, EXPERIMENT_FILE)) ? [dir] : (await listExperiments(dir)).map((e) => e.path);
  const statuses: ExperimentStatus[] = [];
  const errors: Array<{ dir: string; error: string }> = [];
  for (const d of dirs) {
    try {
      statuses.push(await experimentStatus(d));
    } catch (err) {
      errors.push({ dir: d, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ experiments: statuses, errors }, null, 2) + '\n');
    return 0;
  }
  if (statuses.length === 0 && errors.length === 0) console.log(`no experiments in ${dir}`);
  const color = colorsOn(process.stdout);
  for (const s of statuses) console.log(experimentText(s, color) + '\n');
  for (const e of errors) console.log(`${e.dir}: ${e.error}\n`);
  return 0;
}

function experimentText(s: ExperimentStatus, color: boolean): string {
  const counts = CLUSTER_STATES.filter((k) => s.counts[k] > 0)
    .map((k) => `${s.counts[k]} ${clusterStateWord(k)}`)
    .join(', ');
  const who =
    s.processes.length === 0 ? 'no process holds a run' : `held by ${s.processes.map((p) => `${p.host}:${p.pid} (${p.runs})`).join(', ')}`;
  const rows = s.runs.map((r) => [r.runId, clusterStateWord(r.state), where(r), progress(r)]);
  const tones: Tone[] = s.runs.map((r) => (r.state === 'claimed' ? 'active' : stateTone(r.state)));
  return [
    `${s.id}  "${s.name}"`,
    `  ${s.counts.total} runs: ${counts || 'none'}; ${who}`,
    paintRows(formatTable(['run', 'state', 'where', 'progress'], rows), tones, color),
  ].join('\n');
}

function where(r: RunStatusLine): string {
  if (r.holder !== null) return `${r.holder.host} pid ${r.holder.pid}`;
  if (r.staleClaim !== null) return `(${r.staleClaim.host ?? '?'} pid ${r.staleClaim.pid ?? '?'} is gone: ${r.staleClaim.why})`;
  return '';
}

function progress(r: RunStatusLine): string {
  if (r.state === 'running') return r.epochsDone === null ? '' : `${r.epochsDone}/${r.epochs} epochs`;
  return r.detail ?? '';
}
