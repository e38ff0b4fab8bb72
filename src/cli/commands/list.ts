/** `ablate list [DIR]`: the experiments of a store as a table. */
import path from 'node:path';
import { formatTable } from '../../bench/table.js';
import { listExperiments } from '../../services/store/reader.js';
import { parse } from '../args.js';

export async function listCommand(args: string[]): Promise<number> {
  const { positionals } = parse('list', args, {}, 1);
  const root = path.resolve(positionals[0] ?? 'ablate-runs');
  const list = await listExperiments(root);
  if (list.length === 0) {
    console.log(`no experiments in ${root}`);
    return 0;
  }
  const rows = list.map((e) => [
    e.id,
    e.name ?? '(unreadable)',
    e.createdAt?.slice(0, 16).replace('T', ' ') ?? '-',
    `${e.completedRuns}/${e.runCount}`,
    e.error ??
      Object.entries(e.statusSummary)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  ]);
  console.log(formatTable(['id', 'name', 'created', 'complete', 'status'], rows));
  return 0;
}
