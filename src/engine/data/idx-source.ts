/**
 * The `idx` data source: a user's IDX images/labels pair (see idx.ts for the format and checks).
 * Spec: { "source": "idx", "images": "...", "labels": "...", "classNames"?: [...] }.
 */
import type { Checker } from '../config/check.js';
import { nonEmptyString, optionalStringList } from './fields.js';
import { resolveDataPath } from './files.js';
import { loadIdxPair } from './idx-pair.js';
import type { DataSourceDef } from './source.js';
import type { IdxSpec } from './spec.js';

export const idxSource: DataSourceDef<IdxSpec> = {
  name: 'idx',
  fields: ['images', 'labels', 'classNames'],
  fileFields: ['images', 'labels'],
  defaultPreprocess: 'none',
  check(c: Checker, p: string, spec: Record<string, unknown>) {
    nonEmptyString(c, `${p}.images`, spec.images);
    nonEmptyString(c, `${p}.labels`, spec.labels);
    optionalStringList(c, `${p}.classNames`, spec.classNames, 256);
  },
  resolve: (spec) => spec,
  load: (spec, ctx) =>
    loadIdxPair(resolveDataPath(spec.images, ctx.baseDir), resolveDataPath(spec.labels, ctx.baseDir), {
      classNames: spec.classNames,
      memoryLimitBytes: ctx.memoryLimitBytes,
    }),
};
