/**
 * Shape checks of the JSON files the store reads back (experiment.json, config.json,
 * summary.json). They check the fields the store and its readers rely on, not every field of the
 * type, and name the file and the field when one is wrong (verify.ts decides whether a run is
 * complete). Pure functions, main thread.
 */
import type { RunStatus } from '../../engine/index.js';
import type { RunSummary, StoredExperiment } from '../experiments/types.js';
import { StoreError } from './errors.js';
import { isObject } from './files.js';
import type { StoredRunConfig } from './layout.js';

const STATUSES: readonly RunStatus[] = ['completed', 'early_stopped', 'pruned', 'diverged', 'cancelled', 'failed'];

function requireFields(
  file: string,
  what: string,
  v: unknown,
  fields: Record<string, 'string' | 'number' | 'object'>,
): Record<string, unknown> {
  if (!isObject(v)) throw new StoreError(file, `is not ${what}: expected a JSON object`);
  for (const [key, type] of Object.entries(fields)) {
    const ok = type === 'object' ? isObject(v[key]) : typeof v[key] === type;
    if (!ok) throw new StoreError(file, `is not ${what}: field "${key}" should be ${type === 'object' ? 'an object' : `a ${type}`}`);
  }
  return v;
}

export function parseStoredExperiment(file: string, v: unknown): StoredExperiment {
  const rec = requireFields(file, 'an experiment record', v, {
    id: 'string',
    spec: 'object',
    engineVersion: 'string',
    createdAt: 'string',
    specHash: 'string',
  });
  if (typeof (rec.spec as Record<string, unknown>).name !== 'string')
    throw new StoreError(file, 'is not an experiment record: field "spec.name" should be a string');
  return rec as unknown as StoredExperiment;
}

export function parseRunConfig(file: string, v: unknown): StoredRunConfig {
  return requireFields(file, 'a run config', v, {
    runId: 'string',
    variant: 'object',
    seed: 'number',
    config: 'object',
  }) as unknown as StoredRunConfig;
}

export function parseSummary(file: string, v: unknown): RunSummary {
  const rec = requireFields(file, 'a run summary', v, { runId: 'string', status: 'string' });
  if (!(STATUSES as readonly unknown[]).includes(rec.status)) {
    throw new StoreError(file, `is not a run summary: status ${JSON.stringify(rec.status)} is not one of ${STATUSES.join(', ')}`);
  }
  return rec as unknown as RunSummary;
}
