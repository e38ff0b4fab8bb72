/**
 * Reads and checks an experiment file; every problem is reported at once as one ExperimentError
 * whose issues name the field path (errors.ts has the style) and what is allowed.
 *
 * Order of checks, each on the parts the previous ones left sound, cheap limits before expensive
 * checks (limits.ts), so the work is bounded by the limits, never by the input:
 *  0. The text's size (parseExperiment), then the number of values and the nesting; past a limit
 *     nothing else runs.
 *  1. JSON syntax with line and column, keys written twice (parseExperiment only; json-text.ts);
 *     reserved keys (__proto__, constructor, prototype) anywhere stop everything else.
 *  2. The JSON Schema (schema/experiment.schema.json) via ajv, except `compare` and `seeds`, which
 *     ajv never sees: the semantic checks below report them with better words, and check lengths
 *     before uniqueness (ajv's uniqueItems is quadratic on a list of seeds).
 *  3. validateDataSpec on data and validateRunConfig on the base model + train (cross-field rules:
 *     residual widths, batch norm with batch size 1, Nesterov without momentum...), and whether the
 *     model fits in a run's memory (model-size.ts).
 *  4. Seeds; every compare factor and value; the search space (search/space.ts) and whether its
 *     objective can be measured (search/objective.ts); the grid size; the baseline names a variant.
 *  5. Every variant's config (schema + validateRunConfig + model size), within MAX_GRID_LAYERS; a
 *     problem names the variant(s).
 * Nothing here throws anything but ExperimentError. Pure (no file access).
 */
import { ConfigError, describe, validateDataSpec, validateRunConfig, type ResolvedRunConfig, shownJson } from '../../../engine/index.js';
import type { ExperimentSpec } from '../types.js';
import { ExperimentError, quoteList, reservedKeyIssues, suggestion, type FieldIssue } from './errors.js';
import { experimentFactors, factorPath, gridSize, variantConfig, variantGrid, type GridVariant } from './grid.js';
import { readJsonText } from './json-text.js';
import { fileSizeIssue, MAX_GRID_LAYERS, MAX_RUNS, MAX_VARIANTS, structureIssues, utf8Length } from './limits.js';
import { modelSizeIssue } from './model-size.js';
import type { EditableConfig } from './presets.js';
import { schemaValidator } from './schema.js';
import { schemaIssues } from './schema-messages.js';
import { checkSeeds, expandSeeds } from './seeds.js';
import { halvingIssues } from '../search/halving.js';
import { objectiveIssues } from '../search/objective.js';

export { ExperimentError, MAX_RUNS, MAX_VARIANTS };

/** Parses the text of an experiment file (a leading byte order mark is ignored) and validates it. */
export function parseExperiment(text: string, fileName: string): ExperimentSpec {
  const tooBig = fileSizeIssue(utf8Length(text));
  if (tooBig) throw new ExperimentError(fileName, [tooBig]);
  const read = readJsonText(text);
  if (!read.ok) throw new ExperimentError(fileName, [read.issue]);
  const { issues, spec } = checkExperiment(read.value);
  const all = [...read.duplicates, ...issues];
  if (all.length > 0 || !spec) throw new ExperimentError(fileName, all);
  return spec;
}

/** Validates an already parsed experiment (from the UI or a test); returns it without `$schema`. */
export function validateExperiment(value: unknown, fileName: string): ExperimentSpec {
  const { issues, spec } = checkExperiment(value);
  if (issues.length > 0 || !spec) throw new ExperimentError(fileName, issues);
  return spec;
}

function checkExperiment(value: unknown): { issues: FieldIssue[]; spec?: ExperimentSpec } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { issues: [{ path: '', message: `an experiment is a JSON object {...}, got ${describe(value)}` }] };
  }
  const structure = structureIssues(value);
  if (structure.length > 0) return { issues: structure };
  const reserved = reservedKeyIssues(value);
  if (reserved.length > 0) return { issues: reserved };
  const doc = value as Record<string, unknown>;
  const validate = schemaValidator();
  // compare and seeds: the semantic checks below report everything about them, with better words,
  // cheap limits first; ajv sees stand-ins that pass, so their presence is still checked.
  // search.space likewise (search/space.ts reads it, naming the factor and the range).
  validate({
    ...doc,
    ...('seeds' in doc ? { seeds: [0] } : {}),
    ...('compare' in doc ? { compare: {} } : {}),
    ...searchStandIn(doc.search),
  });
  const issues = schemaIssues(validate.errors, doc);
  const dirty = new Set(issues.map((i) => /^[^.[]*/.exec(i.path)![0]));

  if (!dirty.has('data') && doc.data !== undefined) issues.push(...engineIssues(() => validateDataSpec(doc.data, 'data')));

  const seedIssues = doc.seeds === undefined ? [] : checkSeeds(doc.seeds);
  issues.push(...seedIssues);
  const seeds = doc.seeds !== undefined && seedIssues.length === 0 ? expandSeeds(doc.seeds as ExperimentSpec['seeds']) : null;

  let baseOk = !dirty.has('model') && !dirty.has('train') && doc.model !== undefined && doc.train !== undefined;
  const threads = (doc.execution as { threadsPerRun?: number } | undefined)?.threadsPerRun;
  if (baseOk) {
    const baseIssues = configIssues({ model: doc.model, train: doc.train, seed: seeds?.[0] ?? 0 }, threads);
    issues.push(...baseIssues);
    baseOk = baseIssues.length === 0;
  }

  const searched = doc.search !== undefined && !dirty.has('search');
  const { factors, issues: factorIssues } = experimentFactors(
    { compare: doc.compare, search: searched ? doc.search : undefined },
    seeds ?? [],
  );
  issues.push(...factorIssues);
  if (factorIssues.length === 0) {
    const size = gridSize(factors);
    const runs = size * (seeds?.length ?? 1);
    const [where, what] = searched ? ['search.trials', 'compare variants x trials'] : ['compare', 'variants'];
    if (size > MAX_VARIANTS) issues.push({ path: where, message: `makes ${size} ${what}; the limit is ${MAX_VARIANTS}` });
    else if (runs > MAX_RUNS)
      issues.push({ path: where, message: `makes ${size} variants x ${seeds?.length} seeds = ${runs} runs; the limit is ${MAX_RUNS}` });
    else {
      const grid = variantGrid(factors);
      if (baseOk)
        issues.push(
          ...variantIssues(doc as unknown as EditableConfig, grid, factors.map(factorPath), {
            seed: seeds?.[0] ?? 0,
            seedCount: seeds?.length ?? 1,
            threads,
          }),
        );
      if (typeof doc.baseline === 'string' && !dirty.has('baseline')) issues.push(...baselineIssues(doc.baseline, grid));
    }
  }

  if (searched && factorIssues.length === 0 && baseOk && !dirty.has('data'))
    issues.push(...objectiveIssues(doc as unknown as ExperimentSpec), ...halvingIssues(doc as unknown as ExperimentSpec));

  const range = (doc.diagnostics as { histogramRange?: unknown } | undefined)?.histogramRange;
  if (!dirty.has('diagnostics') && Array.isArray(range) && !(range[0] < range[1])) {
    issues.push({ path: 'diagnostics.histogramRange', message: `must be [lo, hi] with lo below hi, got ${shownJson(range)}` });
  }
  if (issues.length > 0) return { issues };
  const { $schema: _schema, ...spec } = doc;
  return { issues, spec: spec as unknown as ExperimentSpec };
}

/** What ajv sees of `search`: the space replaced by an empty one, which search/space.ts checks instead. */
function searchStandIn(search: unknown): { search?: unknown } {
  if (typeof search !== 'object' || search === null || Array.isArray(search) || !('space' in search)) return {};
  return { search: { ...search, space: {} } };
}

/** Runs an engine validator and returns its ConfigError issues (the engine uses the same path style). */
function engineIssues(check: () => unknown): FieldIssue[] {
  try {
    check();
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => ({ path: i.path === 'config' ? '' : i.path, message: i.message }));
    throw e;
  }
}

/** validateRunConfig's issues, then whether the valid config fits in a run's memory. */
function configIssues(config: unknown, threads: number | undefined): FieldIssue[] {
  let resolved: ResolvedRunConfig | null = null;
  const found = engineIssues(() => (resolved = validateRunConfig(config)));
  if (found.length > 0 || !resolved) return found;
  const tooBig = modelSizeIssue(resolved, threads);
  return tooBig ? [tooBig] : [];
}

interface VariantContext {
  seed: number;
  seedCount: number;
  threads: number | undefined;
}

/**
 * Checks each variant's config; identical problems of several variants are reported once, naming
 * them. Stops when the runs would hold more than MAX_GRID_LAYERS hidden layers in all.
 */
function variantIssues(base: EditableConfig, grid: GridVariant[], paths: string[], run: VariantContext): FieldIssue[] {
  const groups = new Map<string, { path: string; message: string; variants: string[] }>();
  const add = (path: string, message: string, variant: string) => {
    const key = `${path}\u0000${message}`;
    const g = groups.get(key) ?? { path, message, variants: [] };
    g.variants.push(variant);
    groups.set(key, g);
  };
  let layers = 0;
  for (const { variant, levels } of grid) {
    const { config, error, failed } = variantConfig(base, levels);
    if (error) {
      add(paths[failed], error, variant.id);
      continue;
    }
    layers += (Array.isArray(config.model?.hidden) ? config.model.hidden.length : 0) * run.seedCount;
    if (layers > MAX_GRID_LAYERS) {
      return [
        {
          path: 'compare',
          message: `makes runs that hold more than ${MAX_GRID_LAYERS} hidden layers in all (runs x hidden layers per run); use fewer variants, seeds or layers`,
        },
      ];
    }
    const found = [...sectionIssues(config, 'model'), ...sectionIssues(config, 'train')];
    // The variant's data (data factors) was checked value by value when its factors were read.
    const { data: _data, ...runConfig } = config;
    if (found.length === 0) found.push(...configIssues({ ...runConfig, seed: run.seed }, run.threads));
    for (const i of found) add(i.path, i.message, variant.id);
  }
  return [...groups.values()].map(({ path, message, variants }) => {
    const names = variants.slice(0, 3).map((v) => shownJson(v));
    const more = variants.length > 3 ? ` and ${variants.length - 3} more` : '';
    return { path, message: `in variant${variants.length > 1 ? 's' : ''} ${names.join(', ')}${more}: ${message}` };
  });
}

function sectionIssues(config: EditableConfig, section: 'model' | 'train'): FieldIssue[] {
  const validate = schemaValidator(`#/$defs/${section}`);
  return validate(config[section]) ? [] : schemaIssues(validate.errors, config[section], section);
}

function baselineIssues(baseline: string, grid: GridVariant[]): FieldIssue[] {
  const ids = grid.map((g) => g.variant.id);
  if (ids.includes(baseline)) return [];
  const shown = ids.length > 8 ? `${quoteList(ids.slice(0, 8))} and ${ids.length - 8} more` : quoteList(ids);
  return [
    {
      path: 'baseline',
      message: `${shownJson(baseline)} is not a variant of this experiment; variants: ${shown}${suggestion(baseline, ids)}`,
    },
  ];
}
