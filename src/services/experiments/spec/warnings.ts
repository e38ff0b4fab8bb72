/**
 * Warnings of a valid experiment: settings that are allowed but unusual, reported next to the
 * validation result and never stopping a run (a teacher may diverge a network on purpose). Today:
 * a learning rate far outside the usual range of its optimizer (the config vocabulary's ranges,
 * with their sources). Each warning names its field; one that only some variants have names them,
 * as errors do. Expects a spec that passed validateExperiment. Pure.
 */
import { learningRateWarning } from '../../../engine/index.js';
import type { ExperimentSpec } from '../types.js';
import type { FieldIssue } from './errors.js';
import { experimentFactors, variantConfig, variantGrid } from './grid.js';

export function experimentWarnings(spec: ExperimentSpec): FieldIssue[] {
  const grid = variantGrid(experimentFactors(spec).factors);
  const groups = new Map<string, string[]>();
  for (const { variant, levels } of grid) {
    const { optimizer } = variantConfig(spec, levels).config.train;
    const warning = learningRateWarning(optimizer.name, optimizer.lr);
    if (warning) groups.set(warning, [...(groups.get(warning) ?? []), variant.id]);
  }
  return [...groups.entries()].map(([message, variants]) => {
    if (variants.length === grid.length) return { path: 'train.optimizer.lr', message };
    const names = variants.slice(0, 3).map((v) => JSON.stringify(v));
    const more = variants.length > 3 ? ` and ${variants.length - 3} more` : '';
    return { path: 'train.optimizer.lr', message: `in variant${variants.length > 1 ? 's' : ''} ${names.join(', ')}${more}: ${message}` };
  });
}
