/**
 * Argument schemas for the Api table (api.ts): each is a plain JSON Schema, which the back end's
 * guard (src/services/app/api-guard.ts) compiles with ajv, that also carries the TypeScript type
 * of the values it accepts. The table's argument types are derived from these schemas, so what a
 * method is declared to take and what the guard lets through cannot drift apart.
 * Pure data; no dependencies (the preload and the renderer bundle it).
 */

/** A JSON Schema object (ajv strict mode: only standard keywords). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A JSON Schema for values of type `T`. `T` exists for the type checker only. */
export interface Schema<T> {
  readonly json: JsonSchema;
  /** Never set: it only carries `T`. */
  readonly type?: T;
}

/** The type of the values a schema accepts. */
export type TypeOf<S> = S extends Schema<infer T> ? T : never;

const schema = <T>(json: JsonSchema): Schema<T> => ({ json });

/** Keywords a string schema may add (minLength, maxLength, pattern, not, ...). */
type StringKeywords = { minLength?: number; maxLength?: number; pattern?: string; not?: JsonSchema };

export const string = (keywords: StringKeywords = {}): Schema<string> => schema({ type: 'string', ...keywords });

export const integer = (minimum: number, maximum: number): Schema<number> => schema({ type: 'integer', minimum, maximum });

export const boolean: Schema<boolean> = schema({ type: 'boolean' });

/** A list of at most `maxItems` values, each accepted by `items`. */
export const array = <T>(items: Schema<T>, maxItems: number): Schema<T[]> => schema({ type: 'array', items: items.json, maxItems });

/** One of the listed values. */
export const oneOf = <const V extends readonly (string | number)[]>(...values: V): Schema<V[number]> => schema({ enum: values });

export const nullable = <T>(inner: Schema<T>): Schema<T | null> => schema({ anyOf: [{ type: 'null' }, inner.json] });

/** An object with exactly these properties, all required. */
export const object = <P extends Record<string, Schema<unknown>>>(properties: P): Schema<{ [K in keyof P]: TypeOf<P[K]> }> =>
  schema({
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties),
    properties: Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, s.json])),
  });

/**
 * Any JSON object (an experiment or data spec): the guard bounds its size, depth and keys, and the
 * service that receives it validates it in depth with the wording the user sees.
 */
export const jsonObject: Schema<unknown> = schema({ type: 'object' });
