/**
 * Whether a search's objective can be measured at all: a run without a validation split has no
 * validation metrics, one without a test split no test metrics, and a regression head (linear) no
 * accuracy. A search on such a metric would rank no trial (random, sobol) or propose blindly
 * (bayes, every trial counting as bad), so the file is refused at search.objective.metric. Pure.
 */
import type { FieldIssue } from '../spec/errors.js';
import type { ExperimentSpec } from '../types.js';
import { DEFAULT_OBJECTIVE } from './trials.js';

const DEFAULT_SPLIT = { validation: 0.1, test: 0.1 };

export function objectiveIssues(spec: Pick<ExperimentSpec, 'data' | 'model' | 'search'>): FieldIssue[] {
  if (!spec.search) return [];
  const metric = (spec.search.objective ?? DEFAULT_OBJECTIVE).metric;
  const path = spec.search.objective ? 'search.objective.metric' : 'search';
  const split = { ...DEFAULT_SPLIT, ...spec.data.split };
  const objective = spec.search.objective ? metric : `the default objective ${metric}`;
  if (/^(weights|best|final)\.val/.test(metric) && split.validation === 0)
    return [
      {
        path,
        message: `${objective} needs a validation split, but data.split.validation is 0; give it one (e.g. 0.1) or search on another metric`,
      },
    ];
  if (metric.startsWith('test.') && split.test === 0)
    return [
      { path, message: `${objective} needs a test split, but data.split.test is 0; give it one (e.g. 0.1) or search on another metric` },
    ];
  if (/Accuracy$|\.accuracy$/.test(metric) && spec.model.head === 'linear')
    return [{ path, message: `${objective}: a regression (linear head) has no accuracy; search on a loss` }];
  return [];
}
