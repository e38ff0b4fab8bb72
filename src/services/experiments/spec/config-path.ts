/**
 * Config paths as compare keys: a dotted path into the base `model` or `train`, with `[n]` for one
 * list element and `[*]` for every element, e.g. "train.optimizer.momentum" or
 * "model.hidden[*].dropout". A path is checked against the JSON Schema (every field must exist;
 * a list step needs a list), and each value against the schema of the field it sets, so a bad
 * value is reported at the value. Applying a path to a variant's config happens in factor order;
 * missing objects on the way are created ("train.penalties.l2" works without a base penalties),
 * missing list elements are an error. Whether the result is a valid run config is checked later,
 * per variant. Pure; the schema is compiled once (schema.ts).
 */
import { shownJson } from '../../../engine/index.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { joinPath, quoteList, RESERVED_KEYS, suggestion } from './errors.js';
import { branches, child, compileSchema, EXPERIMENT_SCHEMA_ID, propertyNames, schemaAt, schemaValidator, type SchemaAt } from './schema.js';
import { schemaIssues } from './schema-messages.js';

export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

export interface ConfigPath {
  text: string;
  steps: PathStep[];
  /** The field's own name (the last key), for labels: "dropout", "momentum". */
  field: string;
  /** Checks one value against the schema of the field; returns messages (empty when fine). */
  check(value: unknown): string[];
}

const ROOTS = ['model', 'train'];
const STEP = /^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[(0|[1-9][0-9]{0,5})\]|\[\*\])/;

/** Parses and resolves a path against the schema; a string is the reason it is not a valid path. */
export function parseConfigPath(text: string): ConfigPath | string {
  const first = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? '';
  if (!ROOTS.includes(first)) return `a config path starts with ${quoteList(ROOTS)}, got ${shownJson(text)}`;
  const steps: PathStep[] = [{ kind: 'key', key: first }];
  for (let rest = text.slice(first.length); rest.length > 0;) {
    const m = STEP.exec(rest);
    if (!m) return `cannot read the config path at ${shownJson(rest)}: write fields as .name and list elements as [0] or [*]`;
    steps.push(
      m[1] !== undefined ? { kind: 'key', key: m[1] } : m[2] !== undefined ? { kind: 'index', index: Number(m[2]) } : { kind: 'all' },
    );
    rest = rest.slice(m[0].length);
  }
  if (steps.length < 2)
    return `a config path names a field inside ${first}, such as "${first}.${first === 'model' ? 'hidden[*].width' : 'batchSize'}"`;
  let at: SchemaAt[] = [schemaAt(`#/properties/${first}`)!];
  let walked = first;
  for (const step of steps.slice(1)) {
    const next: SchemaAt[] = [];
    if (step.kind === 'key') {
      if (RESERVED_KEYS.includes(step.key)) return `${shownJson(step.key)} is a reserved name, not a field`;
      for (const b of at.flatMap(branches)) {
        const props = b.node.properties as object | undefined;
        const c = props && Object.hasOwn(props, step.key) ? child(b, 'properties', step.key) : undefined;
        if (c && !next.some((n) => n.pointer === c.pointer)) next.push(c);
      }
      if (next.length === 0) {
        const allowed = at.flatMap(propertyNames);
        if (allowed.length === 0) return `${walked} has no fields, so ${text} does not exist`;
        return `${walked} has no field "${step.key}"; allowed: ${[...new Set(allowed)].join(', ')}${suggestion(step.key, allowed)}`;
      }
      walked = joinPath(walked, step.key);
    } else {
      for (const a of at) {
        const isList = a.node.type === 'array' || (Array.isArray(a.node.type) && a.node.type.includes('array'));
        const items = isList ? child(a, 'items') : undefined;
        if (items) next.push(items);
      }
      if (next.length === 0) return `${walked} is not a list, so ${step.kind === 'all' ? '[*]' : `[${step.index}]`} cannot follow it`;
      walked += step.kind === 'all' ? '[*]' : `[${step.index}]`;
    }
    at = next;
  }
  const validator = leafValidator(at);
  const field = [...steps].reverse().find((s): s is { kind: 'key'; key: string } => s.kind === 'key')!.key;
  return {
    text,
    steps,
    field,
    check: (value) =>
      validator(value) ? [] : schemaIssues(validator.errors, value, '').map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
  };
}

/** One validator for the field; a field present in several branches of a union accepts any of them. */
function leafValidator(at: SchemaAt[]): ValidateFunction {
  if (at.length === 1) return schemaValidator(at[0].pointer);
  const tags = at.map((a) => ('const' in a.node ? [a.node.const] : Array.isArray(a.node.enum) ? (a.node.enum as unknown[]) : null));
  if (tags.every((t) => t !== null)) return compileSchema({ enum: tags.flat() });
  return compileSchema({ anyOf: at.map((a) => ({ $ref: EXPERIMENT_SCHEMA_ID + a.pointer })) });
}

/**
 * Sets the path to `value` in a config ({model, train}); each element `[*]` reaches gets its own
 * copy. Returns why it could not (a list element that does not exist), or null.
 */
export function applyConfigPath(config: object, path: ConfigPath, value: unknown): string | null {
  const visit = (node: unknown, i: number, where: string): string | null => {
    const step = path.steps[i];
    const last = i === path.steps.length - 1;
    if (step.kind === 'key') {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return `${where} is not an object`;
      const obj = node as Record<string, unknown>;
      const here = joinPath(where, step.key);
      if (last) {
        obj[step.key] = structuredClone(value);
        return null;
      }
      if (obj[step.key] === undefined || obj[step.key] === null) {
        if (path.steps[i + 1].kind !== 'key') return `${here} does not exist, so ${path.text} cannot be set`;
        obj[step.key] = {};
      }
      return visit(obj[step.key], i + 1, here);
    }
    if (!Array.isArray(node)) return `${where} is not a list`;
    const indices = step.kind === 'all' ? node.map((_, k) => k) : [step.index];
    for (const k of indices) {
      if (k >= node.length)
        return `${where}[${k}] does not exist: ${where} has ${node.length} ${node.length === 1 ? 'element' : 'elements'}`;
      if (last) node[k] = structuredClone(value);
      else {
        const err = visit(node[k], i + 1, `${where}[${k}]`);
        if (err) return err;
      }
    }
    return null;
  };
  return visit(config, 0, '');
}
