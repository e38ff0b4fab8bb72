/**
 * Builds the experiment file's JSON Schema (draft 2020-12) from the config vocabulary
 * (src/engine/config/vocabulary): objects are closed, tagged unions carry ajv's `discriminator`,
 * entries marked `def` and the shared definitions go under $defs, and each description ends with the
 * field's default. `npm run schema` writes it to schema/experiment.schema.json, the published file;
 * test/config-vocabulary.test.ts fails when that file differs from this build. Pure.
 */
import type { AnySchemaObject } from 'ajv/dist/2020.js';
import { DEFINITIONS, fieldsOf, VOCABULARY, type DefaultBy, type Field } from '../../../engine/index.js';

export const SCHEMA_ID = 'https://ablate.dev/schema/experiment-v1.json';
const TABLE: Readonly<Record<string, Field>> = VOCABULARY;
const DEFS: Readonly<Record<string, Field>> = DEFINITIONS;

export function buildExperimentSchema(): AnySchemaObject {
  const defs: Record<string, AnySchemaObject> = {};
  const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
  const define = (name: string, make: () => AnySchemaObject) => {
    if (!(name in defs)) {
      defs[name] = {}; // reserved first: definitions may refer to themselves through their fields
      defs[name] = make();
    }
    return ref(name);
  };
  const node = (key: string): AnySchemaObject => {
    const f = TABLE[key];
    return f.def ? define(f.def, () => body(key, f)) : body(key, f);
  };
  const properties = (key: string, tag?: string, skip?: string) =>
    Object.fromEntries(
      fieldsOf(key, tag)
        .filter((n) => n !== skip)
        .map((n) => [n, node(childKey(key, n))]),
    );
  const required = (key: string, tag?: string) => fieldsOf(key, tag).filter((n) => TABLE[childKey(key, n)].required);

  function body(key: string, f: Field): AnySchemaObject {
    const out: AnySchemaObject = {};
    const description = describe(f);
    if (description) out.description = description;
    switch (f.type) {
      case 'integer':
      case 'number':
        out.type = f.nullable ? [f.type, 'null'] : f.type;
        if (f.min !== undefined) out[f.minExclusive ? 'exclusiveMinimum' : 'minimum'] = f.min;
        if (f.max !== undefined) out[f.maxExclusive ? 'exclusiveMaximum' : 'maximum'] = f.max;
        if (typeof f.default === 'number') out.default = f.default;
        return out;
      case 'boolean':
        out.type = 'boolean';
        if (f.default !== undefined) out.default = f.default;
        return out;
      case 'string':
        out.type = 'string';
        if (f.minLength !== undefined) out.minLength = f.minLength;
        if (f.maxLength !== undefined) out.maxLength = f.maxLength;
        if (f.pattern !== undefined) out.pattern = f.pattern;
        return out;
      case 'enum':
        out.enum = [...f.values];
        if (f.default !== undefined && typeof f.default !== 'object') out.default = f.default;
        return out;
      case 'const':
        out.const = f.value;
        return out;
      case 'raw':
        return { ...out, ...f.schema };
      case 'ref': {
        const use: AnySchemaObject = { ...out, ...define(f.ref, () => body(f.ref, DEFS[f.ref])) };
        if (f.default !== undefined) use.default = f.default;
        return use;
      }
      case 'oneOf':
        out.oneOf = f.forms.map((form) => body(form, TABLE[form]));
        return out;
      case 'array': {
        out.type = 'array';
        if (f.tuple) {
          out.prefixItems = f.tuple.map((type) => ({ type }));
          out.items = false;
          out.minItems = f.tuple.length;
          out.maxItems = f.tuple.length;
        } else {
          if (f.minItems !== undefined) out.minItems = f.minItems;
          if (f.maxItems !== undefined) out.maxItems = f.maxItems;
          if (f.uniqueItems) out.uniqueItems = true;
          if (TABLE[`${key}[]`]) out.items = node(`${key}[]`);
        }
        if (f.default !== undefined) out.default = [...f.default];
        return out;
      }
      case 'object': {
        out.type = f.nullable ? ['object', 'null'] : 'object';
        out.additionalProperties = false;
        if (f.maxProperties !== undefined) out.maxProperties = f.maxProperties;
        const req = required(key);
        if (req.length > 0) out.required = req;
        out.properties = properties(key);
        if (f.patternProperties) {
          out.patternProperties = Object.fromEntries(
            Object.entries(f.patternProperties).map(([pattern, name]) => [pattern, define(name, () => body(name, DEFS[name]))]),
          );
        }
        return out;
      }
      case 'union':
        out.type = 'object';
        out.required = [f.tag];
        out.discriminator = { propertyName: f.tag };
        out.oneOf = f.branches.map((b) => {
          const branch: AnySchemaObject = {};
          if (b.description) branch.description = b.description;
          branch.type = 'object';
          branch.additionalProperties = false;
          branch.required = [f.tag, ...required(key, b.tags[0]).filter((n) => n !== f.tag)];
          branch.properties = {
            [f.tag]: b.tags.length === 1 ? { const: b.tags[0] } : { enum: [...b.tags] },
            ...properties(key, b.tags[0], f.tag),
          };
          return branch;
        });
        return out;
    }
  }

  const root = body('', TABLE['']);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'Ablate experiment (version 1)',
    ...root,
    $defs: defs,
  };
}

function childKey(key: string, name: string): string {
  return key === '' ? name : `${key}.${name}`;
}

/** The description, then the default: "Momentum in [0, 1). Default 0." */
function describe(f: Field): string {
  const text = f.description ?? '';
  const d = 'default' in f ? f.default : undefined;
  let tail = '';
  if (d !== undefined && typeof d === 'object' && !Array.isArray(d)) tail = `Default ${byText(d as DefaultBy<unknown>)}.`;
  else if (d !== undefined) tail = `Default ${Array.isArray(d) ? `[${d.join(', ')}]` : valueText(d)}.`;
  else if (f.defaultText) tail = `Default: ${f.defaultText}.`;
  return [text, tail].filter(Boolean).join(' ');
}

/** "0 (adamw: 0.01)" when one value is the common case, else "leaky_relu 0.01, elu 1". */
function byText(d: DefaultBy<unknown>): string {
  const entries = Object.entries(d.values);
  const counts = new Map<unknown, number>();
  for (const [, v] of entries) counts.set(v, (counts.get(v) ?? 0) + 1);
  const [common, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  if (n < 2) return `by ${d.by}: ${entries.map(([k, v]) => `${k} ${valueText(v)}`).join(', ')}`;
  const others = entries.filter(([, v]) => v !== common).map(([k, v]) => `${k}: ${valueText(v)}`);
  return `${valueText(common)}${others.length ? ` (${others.join(', ')})` : ''}`;
}

/** Small numbers as people write them (1e-4, not 0.0001). */
function valueText(v: unknown): string {
  return typeof v === 'number' && v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}
