/**
 * Validation of every Api call's arguments before it reaches a service: the right number of
 * arguments, each against a JSON Schema (ajv), plus limits a schema cannot express for free-form
 * objects (experiment specs, data specs): total size, nesting depth, array lengths, and no
 * prototype-pollution keys anywhere. Used by the app's IPC handlers and the test harness alike.
 * Pure; any thread.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { ApiMethod } from '../../shared/api.js';
import { RESERVED_KEYS } from '../experiments/spec/errors.js';

const id = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9][A-Za-z0-9._=,+-]*$' };
const freeObject = { type: 'object' };
const ARGS: Record<ApiMethod, object[]> = {
  appInfo: [],
  listExperiments: [],
  loadExperiment: [id],
  validateExperiment: [freeObject],
  previewData: [freeObject],
  startExperiment: [freeObject],
  cancelRun: [id, id],
  cancelExperiment: [id],
  runMetrics: [id, id, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }],
  runDiagnostics: [id, id],
  compare: [id, { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 2000 }] }],
  decisionBoundary: [id, id, { type: 'integer', minimum: 10, maximum: 200 }],
  exportOnnx: [
    id,
    id,
    {
      type: 'object',
      additionalProperties: false,
      required: ['probabilities', 'opset'],
      properties: { probabilities: { type: 'boolean' }, opset: { enum: [17, 20] } },
    },
  ],
  exportMetrics: [id, { enum: ['csv', 'json'] }],
  examples: [],
  chooseDataFile: [{ enum: ['csv', 'idx-images', 'idx-labels'] }],
  openExperimentFile: [],
  saveFile: [
    { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^/\\\\:*?"<>|\\u0000-\\u001f]+$', not: { pattern: '^\\.\\.?$' } },
    { type: 'string', maxLength: 64 * 1024 * 1024 },
    { enum: ['utf8', 'base64'] },
  ],
  openStoreFolder: [],
};

const ajv = new Ajv({ allErrors: false, strict: true });
const validators = new Map<string, ValidateFunction[]>(Object.entries(ARGS).map(([m, schemas]) => [m, schemas.map((s) => ajv.compile(s))]));

export const API_METHODS = Object.keys(ARGS) as ApiMethod[];

const LIMITS = { bytes: 1_000_000, depth: 24, arrayLength: 100_000, keys: 10_000 };
/** The keys an experiment file may not use either (assigning them can reach Object.prototype). */
const FORBIDDEN_KEYS = new Set(RESERVED_KEYS);

/** null when the call is acceptable, otherwise what is wrong with it, in words. */
export function checkApiCall(method: string, args: unknown): string | null {
  const checks = validators.get(method);
  if (!checks || !Object.prototype.hasOwnProperty.call(ARGS, method)) return `unknown method "${String(method).slice(0, 60)}"`;
  if (!Array.isArray(args)) return `${method}: arguments must be a list`;
  if (args.length !== checks.length) return `${method} takes ${checks.length} argument(s), got ${args.length}`;
  for (let i = 0; i < checks.length; i++) {
    const problem = shapeProblem(args[i]);
    if (problem) return `${method}: argument ${i + 1} ${problem}`;
    if (!checks[i](args[i])) return `${method}: argument ${i + 1} ${ajv.errorsText(checks[i].errors, { dataVar: '' }).replace(/^\s+/, '')}`;
  }
  return null;
}

/** Size, depth, array length and forbidden keys of a JSON-like value. */
function shapeProblem(value: unknown): string | null {
  let keys = 0;
  const walk = (v: unknown, depth: number): string | null => {
    if (depth > LIMITS.depth) return `is nested deeper than ${LIMITS.depth} levels`;
    if (Array.isArray(v)) {
      if (v.length > LIMITS.arrayLength) return `has a list of ${v.length} items (at most ${LIMITS.arrayLength})`;
      for (const item of v) {
        const p = walk(item, depth + 1);
        if (p) return p;
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(k)) return `contains the forbidden key "${k}"`;
        if (++keys > LIMITS.keys) return `has more than ${LIMITS.keys} fields`;
        const p = walk((v as Record<string, unknown>)[k], depth + 1);
        if (p) return p;
      }
    } else if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      return `contains a ${typeof v}, which is not JSON`;
    }
    return null;
  };
  if (typeof value === 'object' && value !== null) {
    const p = walk(value, 0);
    if (p) return p;
    let size = 0;
    try {
      size = JSON.stringify(value).length;
    } catch {
      return 'is not serializable as JSON';
    }
    if (size > LIMITS.bytes) return `is ${size} bytes of JSON (at most ${LIMITS.bytes})`;
  }
  return null;
}
