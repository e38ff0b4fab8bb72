/**
 * Worker entry for budgeted validation tests (test/helpers/budget.ts): validates an experiment
 * given as text (parseExperiment, as the CLI reads a file) or as a parsed value (validateExperiment,
 * as the app's main process receives it), expands it when valid (as the runner does), and answers
 * with the outcome and the time it took.
 */
import { parentPort } from 'node:worker_threads';
import { expandExperiment } from '../../src/services/experiments/spec/expand.js';
import { parseExperiment, validateExperiment } from '../../src/services/experiments/spec/validate.js';

export interface ValidateInput {
  text?: string;
  value?: unknown;
}

export interface ValidateOutcome {
  ok: boolean;
  /** Error class name and message (first 4000 characters) when not ok. */
  name?: string;
  message?: string;
  runs?: number;
  ms: number;
}

parentPort!.on('message', ({ id, input }: { id: number; input: ValidateInput }) => {
  const start = performance.now();
  let outcome: Omit<ValidateOutcome, 'ms'>;
  try {
    const spec = input.text !== undefined ? parseExperiment(input.text, 'budget.json') : validateExperiment(input.value, 'budget.json');
    outcome = { ok: true, runs: expandExperiment(spec, 'budget.json').runs.length };
  } catch (e) {
    const err = e as Error;
    outcome = { ok: false, name: err.name, message: String(err.message).slice(0, 4000) };
  }
  parentPort!.postMessage({ id, ms: performance.now() - start, ...outcome });
});
