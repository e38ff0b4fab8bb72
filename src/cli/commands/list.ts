/**
 * `ablate list [DIR]`: the experiments of a store as a table, each with its runs counted over its
 * whole plan (runs that never started included) in the run-state model's words.
 */
import path from 'node:path';
import { formatTable } from '../../services/text-table.js';
import { experimentCounts } from '../../services/experiments/run-states.js';
import { listExperiments } from '../../services/store/reader.js';
import { countsText, experimentState, finishedText, type StateCounts, type Tone } from '../../shared/run-state.js';
import { parse } from '../args.js';
import { colorsOn, paintRows } from '../color.js';

export async function listCommand(args: string[]): Promise<number> {
  const { positionals } = parse('list', args, {}, 1);
  const root = path.resolve(positionals[0] ?? 'ablate-runs');
  const list = await listExperiments(root);
  if (list.length === 0) {
    console.log(`no experiments in ${root}`);
    return 0;
  }
  const rows: string[][] = [];
  const tones: Tone[] = [];
  for (const e of list) {
    let counts: StateCounts | null = null;
    let error = e.error;
    if (!error) counts = await experimentCounts(e.path).catch((err: Error) => ((error = err.message), null));
    rows.push([
      e.id,
      e.name ?? '(unreadable)',
      e.createdAt?.slice(0, 16).replace('T', ' ') ?? '-',
      counts ? finishedText(counts) : '-',
      error ?? countsText(counts!),
    ]);
    const state = counts ? experimentState(counts) : 'bad';
    tones.push(state === 'bad' ? 'bad' : state === 'done' ? 'ok' : 'idle');
  }
  console.log(paintRows(formatTable(['id', 'name', 'created', 'runs', 'states'], rows), tones, colorsOn(process.stdout)));
  return 0;
}
