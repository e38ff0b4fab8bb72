/**
 * Validation of every Api call's arguments before it reaches a service: the right number of
 * arguments, each against its JSON Schema in the Api table (src/shared/api.ts, compiled here by
 * ajv), plus limits a schema cannot express for free-form objects (experiment specs, data specs):
 * total size, nesting depth, array lengths, and no prototype-pollution keys anywhere. AppServices
 * runs it on every call, whichever host (IPC, the web transport of `ablate serve`) delivered it.
 * Pure; any thread.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { API, API_METHODS } from '../../shared/api.js';
import { RESERVED_KEYS } from '../experiments/spec/errors.js';

const ajv = new Ajv({ allErrors: false, strict: true });
/** Per method, its parameters' names and compiled schemas, from the Api table. */
const PARAMS = new Map<string, Array<{ name: string; check: ValidateFunction }>>(
  API_METHODS.map((m) => [m, API[m].params.map(([name, schema]) => ({ name, check: ajv.compile(schema.json) }))]),
);

/** Every request method (re-exported for the hosts and tests that list them). */
export { API_METHODS };

const LIMITS = { bytes: 1_000_000, depth: 24, arrayLength: 100_000, keys: 10_000 };
/** The keys an experiment file may not use either (assigning them can reach Object.prototype). */
const FORBIDDEN_KEYS = new Set(RESERVED_KEYS);

/** null when the call is acceptable, otherwise what is wrong with it, in words. */
export function checkApiCall(method: string, args: unknown): string | null {
  const params = Object.prototype.hasOwnProperty.call(API, method) ? PARAMS.get(method) : undefined;
  if (!params) return `unknown method "${String(method).slice(0, 60)}"`;
  if (!Array.isArray(args)) return `${method}: arguments must be a list`;
  if (args.length !== params.length) return `${method} takes ${params.length} argument(s), got ${args.length}`;
  for (let i = 0; i < params.length; i++) {
    const { name, check } = params[i];
    const problem = shapeProblem(args[i]);
    if (problem) return `${method}: argument ${i + 1} (${name}) ${problem}`;
    if (!check(args[i]))
      return `${method}: argument ${i + 1} (${name}) ${ajv.errorsText(check.errors, { dataVar: '' }).replace(/^\s+/, '')}`;
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
