/**
 * The `csv` data source: spec checks, defaults and loading (see load.ts and docs/data.md).
 * Spec: { "source": "csv", "path": "...", "target"?: name | index, "task"?, "missing"?,
 * "categorical"?, "header"?, "delimiter"? }.
 */
import { describe, type Checker } from '../../config/check.js';
import { nonEmptyString } from '../fields.js';
import { resolveDataPath } from '../files.js';
import type { DataSourceDef } from '../source.js';
import { CSV_CATEGORICAL, CSV_MISSING, CSV_TASKS, type CsvSpec, type ResolvedCsvSpec } from '../spec.js';
import { loadCsv } from './load.js';

const DELIMITERS = [',', ';', '\t', '|', ' '];

export const csvSource: DataSourceDef<CsvSpec, ResolvedCsvSpec> = {
  name: 'csv',
  fields: ['path', 'target', 'task', 'missing', 'categorical', 'header', 'delimiter'],
  fileFields: ['path'],
  defaultPreprocess: 'standardize',
  check(c: Checker, p: string, spec: Record<string, unknown>) {
    nonEmptyString(c, `${p}.path`, spec.path);
    const t = spec.target;
    const isIndex = typeof t === 'number' && Number.isInteger(t) && Math.abs(t) <= 1 << 20;
    if (t !== undefined && !isIndex && !(typeof t === 'string' && t.trim() !== '')) {
      c.fail(`${p}.target`, `must be a column name or a whole-number column index (0-based; -1 is the last column), got ${describe(t)}`);
    }
    if (spec.task !== undefined) c.oneOf(`${p}.task`, spec.task, CSV_TASKS);
    if (spec.missing !== undefined) c.oneOf(`${p}.missing`, spec.missing, CSV_MISSING);
    if (spec.categorical !== undefined) c.oneOf(`${p}.categorical`, spec.categorical, CSV_CATEGORICAL);
    const h = spec.header;
    if (h !== undefined && h !== 'auto' && h !== true && h !== false)
      c.fail(`${p}.header`, `must be "auto", true or false, got ${describe(h)}`);
    const d = spec.delimiter;
    if (d !== undefined && !(typeof d === 'string' && DELIMITERS.includes(d))) {
      c.fail(`${p}.delimiter`, `must be one of ${DELIMITERS.map((x) => JSON.stringify(x)).join(', ')}, got ${describe(d)}`);
    }
  },
  resolve: (spec) => ({
    ...spec,
    target: spec.target ?? -1,
    task: spec.task ?? 'auto',
    missing: spec.missing ?? 'error',
    categorical: spec.categorical ?? 'onehot',
    header: spec.header ?? 'auto',
  }),
  load: (spec, ctx) => loadCsv(resolveDataPath(spec.path, ctx.baseDir), { ...spec, memoryLimitBytes: ctx.memoryLimitBytes }),
};
