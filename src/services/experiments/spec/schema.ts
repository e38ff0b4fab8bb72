/**
 * The experiment file's JSON Schema, built from the config vocabulary (schema-build.ts; the same
 * schema is published as schema/experiment.schema.json) and compiled once with ajv (draft 2020-12,
 * allErrors, verbose errors for readable messages, the `discriminator` keyword so a tagged union
 * reports only the errors of its chosen branch, NaN/Infinity rejected), plus lookups into the schema
 * by JSON pointer.
 */
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { buildExperimentSchema } from './schema-build.js';

export const EXPERIMENT_SCHEMA: AnySchemaObject = buildExperimentSchema();
export const EXPERIMENT_SCHEMA_ID: string = EXPERIMENT_SCHEMA.$id as string;

let ajv: Ajv2020 | null = null;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, verbose: true, discriminator: true, allowUnionTypes: true, strictNumbers: true });
    ajv.addSchema(EXPERIMENT_SCHEMA);
  }
  return ajv;
}

/** The validator of the whole file, or of one definition such as "#/$defs/model". */
export function schemaValidator(fragment = ''): ValidateFunction {
  const key = EXPERIMENT_SCHEMA_ID + fragment;
  const found = instance().getSchema(key);
  if (!found) throw new Error(`experiment schema: no definition at ${fragment}`);
  return found;
}

/** A validator for a schema built at run time (e.g. the leaf of a config path); refs must be absolute. Cached. */
export function compileSchema(schema: AnySchemaObject): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = instance().compile(schema);
    compiled.set(key, v);
  }
  return v;
}

/** A location in the schema: its JSON pointer ("#/$defs/model") and the node there. */
export interface SchemaAt {
  pointer: string;
  node: AnySchemaObject;
}

/** The node at a JSON pointer, following local `$ref`s (a node with a $ref has no other rules in our schema). */
export function schemaAt(pointer: string): SchemaAt | undefined {
  let ptr = pointer;
  for (let i = 0; i < 16; i++) {
    const node = lookup(ptr);
    if (!node) return undefined;
    if (typeof node.$ref !== 'string') return { pointer: ptr, node };
    ptr = node.$ref;
  }
  return undefined;
}

/** The child of a location under one keyword path, e.g. child(at, 'properties', 'lr'), dereferenced. */
export function child(at: SchemaAt, ...keys: (string | number)[]): SchemaAt | undefined {
  return schemaAt(at.pointer + keys.map((k) => '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join(''));
}

function lookup(ref: string): AnySchemaObject | undefined {
  if (!ref.startsWith('#')) throw new Error(`experiment schema: only local refs are supported, got ${ref}`);
  let node: unknown = EXPERIMENT_SCHEMA;
  for (const raw of ref
    .slice(2)
    .split('/')
    .filter((s, i) => s !== '' || i > 0)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return typeof node === 'object' && node !== null ? (node as AnySchemaObject) : undefined;
}

/** A location and, for a tagged union (oneOf), each of its branches instead. */
export function branches(at: SchemaAt | undefined): SchemaAt[] {
  if (!at) return [];
  if (!Array.isArray(at.node.oneOf)) return [at];
  return (at.node.oneOf as unknown[]).map((_, i) => child(at, 'oneOf', i)).filter((b): b is SchemaAt => !!b);
}

/** Property names a location allows (the union over a tagged union's branches), in schema order. */
export function propertyNames(at: SchemaAt | undefined): string[] {
  const names = new Set<string>();
  for (const b of branches(at)) for (const k of Object.keys((b.node.properties as object | undefined) ?? {})) names.add(k);
  return [...names];
}

/** The values a tagged union's discriminator property may take, in branch order. */
export function tagValues(node: AnySchemaObject | undefined): unknown[] {
  const tag = (node?.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (!tag || !Array.isArray(node?.oneOf)) return [];
  return (node.oneOf as AnySchemaObject[]).flatMap((raw) => {
    const b = typeof raw.$ref === 'string' ? schemaAt(raw.$ref)?.node : raw;
    const p = (b?.properties as Record<string, AnySchemaObject> | undefined)?.[tag];
    return p === undefined ? [] : 'const' in p ? [p.const] : ((p.enum as unknown[] | undefined) ?? []);
  });
}
