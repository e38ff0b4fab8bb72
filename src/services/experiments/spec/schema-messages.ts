/**
 * Turns ajv's error objects into one readable issue per problem, in the path style of errors.ts:
 * the field's path, what is allowed (the values of an enum, the expected type and range, the known
 * fields of an object) and what was found. Needs ajv's `verbose` errors (parentSchema and data).
 * Messages follow the engine's Checker wording, so a schema error and a semantic error read alike.
 */
import type { AnySchemaObject, ErrorObject } from 'ajv/dist/2020.js';
import { describe, shownJson } from '../../../engine/index.js';
import { joinPath, quoteList, suggestion, type FieldIssue } from './errors.js';
import { tagValues } from './schema.js';

/** What besides the named factors a compare key may be (for unknown-factor messages). */
export const COMPARE_HINT =
  'a data factor ("data.preprocess", "data.trainSize" or "data.noise"), or a config path starting with "model." or "train." such as "model.hidden[*].dropout" or "train.optimizer.momentum"';

/**
 * `data` is the value that was validated (the root of every instancePath), `base` the path of that
 * value in the experiment file ("" for the file itself).
 */
export function schemaIssues(errors: ErrorObject[] | null | undefined, data: unknown, base = ''): FieldIssue[] {
  const list = errors ?? [];
  const located = list.map((e) => ({ e, at: locate(data, e.instancePath, base) }));
  // A value of the wrong type also fails its range or pattern: only the type error is useful.
  const typed = new Set(located.filter(({ e }) => e.keyword === 'type').map(({ at }) => at.path));
  const tooLong = new Set(located.filter(({ e }) => e.keyword === 'maxItems').map(({ at }) => at.path));
  // A missing tag of a tagged union is reported by the discriminator, with the allowed values.
  const tagged = new Set(
    located.filter(({ e }) => e.keyword === 'discriminator').map(({ e, at }) => joinPath(at.path, String(e.params.tag))),
  );
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const { e, at } of located) {
    if (e.keyword !== 'type' && typed.has(at.path)) continue;
    // A list over its length limit is reported by its length only, not item by item.
    if ((e.keyword === 'items' && tooLong.has(at.path)) || [...tooLong].some((list) => at.path.startsWith(`${list}[`))) continue;
    if (e.keyword === 'required' && tagged.has(joinPath(at.path, String(e.params.missingProperty)))) continue;
    const issue = convert(e, at);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) out.push(issue);
    seen.add(key);
  }
  return out;
}

interface Location {
  path: string;
  parent: string;
}

/** Converts a JSON pointer into a path, telling list indices from keys by walking the data. */
function locate(data: unknown, pointer: string, base: string): Location {
  let path = base;
  let parent = base;
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    parent = path;
    if (Array.isArray(cur)) {
      path = joinPath(path, Number(seg));
      cur = cur[Number(seg)];
    } else {
      path = joinPath(path, seg);
      cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return { path, parent };
}

function convert(e: ErrorObject, at: Location): FieldIssue {
  const parent = (e.parentSchema ?? {}) as AnySchemaObject;
  const params = e.params as Record<string, unknown>;
  const got = `got ${describe(e.data)}`;
  const here = (message: string): FieldIssue => ({ path: at.path, message });
  switch (e.keyword) {
    case 'required':
      return { path: joinPath(at.path, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties as object | undefined) ?? {});
      const path = joinPath(at.path, name);
      if (parent.patternProperties) {
        return { path, message: `is not a known factor; allowed: ${allowed.join(', ')}, ${COMPARE_HINT}${suggestion(name, allowed)}` };
      }
      return {
        path,
        message: `is not a known field${branchOf(parent, e.data)}; allowed: ${allowed.join(', ')}${suggestion(name, allowed)}`,
      };
    }
    case 'type':
      return here(`must be ${typeText(e.schema as string | string[], parent)}, ${got}`);
    case 'enum': {
      const allowed = e.schema as unknown[];
      return here(`must be one of ${quoteList(allowed)}, ${got}${suggestion(e.data, allowed.map(String))}`);
    }
    case 'const':
      if (at.path === 'version') return here(`must be 1 (this version of Ablate reads experiment format version 1), ${got}`);
      return here(`must be ${JSON.stringify(e.schema)}, ${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return here(`must be ${rangeText(parent)}, ${got}`);
    case 'minItems':
    case 'maxItems': {
      const length = Array.isArray(e.data) ? e.data.length : 0;
      if (parent.minItems !== undefined && parent.minItems === parent.maxItems)
        return here(`must list exactly ${String(parent.minItems)} items, got ${length}`);
      if (e.keyword === 'minItems' && params.limit === 1) return here('must not be an empty list');
      return here(`must list ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} items, got ${length}`);
    }
    case 'minLength':
      return here(params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`);
    case 'maxLength':
      return here(`must be at most ${String(params.limit)} characters long, got ${String((e.data as string).length)}`);
    case 'uniqueItems': {
      const [first, dup] = [Number(params.j), Number(params.i)].sort((a, b) => a - b);
      const value = Array.isArray(e.data) ? e.data[dup] : undefined;
      return {
        path: joinPath(at.path, dup),
        message: `repeats ${joinPath(at.path, first)} (${shownJson(value)}); each value may appear only once`,
      };
    }
    case 'discriminator': {
      const tag = String(params.tag);
      const allowed = tagValues(parent);
      const value = params.tagValue;
      const path = joinPath(at.path, tag);
      if (value === undefined) return { path, message: `is required; one of ${quoteList(allowed)}` };
      return { path, message: `must be one of ${quoteList(allowed)}, got ${describe(value)}${suggestion(value, allowed.map(String))}` };
    }
    case 'pattern':
      return here(`must match the pattern ${String(e.schema)}, ${got}`);
    case 'items':
      return here(`must list at most ${String(params.limit)} items`);
    case 'false schema':
      return here('is not allowed here');
    case 'oneOf':
    case 'anyOf':
      return here(`does not match any allowed form${parent.description ? ` (${String(parent.description)})` : ''}, ${got}`);
    default:
      return here(e.message ?? `is invalid (${e.keyword})`);
  }
}

/** " for name \"adam\"" when an object is one branch of a tagged union. */
function branchOf(schema: AnySchemaObject, value: unknown): string {
  const props = (schema.properties ?? {}) as Record<string, AnySchemaObject>;
  for (const [key, p] of Object.entries(props)) {
    const v = (value as Record<string, unknown> | null)?.[key];
    if (('const' in p || Array.isArray(p.enum)) && typeof v === 'string') return ` for ${key} ${shownJson(v)}`;
  }
  return '';
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function typeText(type: string | string[], parent: AnySchemaObject): string {
  const types = Array.isArray(type) ? type : [type];
  if (types.length === 1 && (types[0] === 'number' || types[0] === 'integer')) return rangeText(parent);
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

/** "a whole number at least 1 and at most 1024", from a schema's type and bounds (engine wording). */
export function rangeText(s: AnySchemaObject): string {
  const integer = s.type === 'integer' || (Array.isArray(s.type) && s.type.includes('integer'));
  const kind = integer ? 'a whole number' : 'a number';
  const lo = s.exclusiveMinimum !== undefined ? `above ${s.exclusiveMinimum}` : s.minimum !== undefined ? `at least ${s.minimum}` : '';
  const hi = s.exclusiveMaximum !== undefined ? `below ${s.exclusiveMaximum}` : s.maximum !== undefined ? `at most ${s.maximum}` : '';
  return [kind, [lo, hi].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}
