/**
 * The shape of the config vocabulary (index.ts): one entry per field of the experiment file, keyed
 * by its path ("train.optimizer.beta2"; "[]" stands for every element of a list:
 * "model.hidden[].width"). Types only.
 */

/** A default that depends on a sibling field, e.g. weight decay on the optimizer's name. */
export interface DefaultBy<T> {
  by: string;
  values: Readonly<Record<string, T>>;
  /** For sibling values not listed. */
  otherwise?: T;
}

interface Common {
  /** What the field means, one or two sentences (the schema's description, the form's hint). */
  description?: string;
  /** The field must be present (in its object, or in every branch of a union that has it). */
  required?: boolean;
  /** Only in these branches of the enclosing union (by the union's tag values); default: all. */
  in?: readonly string[];
  /** The default in words, when it is not a value ("train.epochs", "chosen by the scheduler"). */
  defaultText?: string;
  /** Emit this node once under the schema's $defs with this name and refer to it. */
  def?: string;
}

export interface NumberField extends Common {
  type: 'integer' | 'number';
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  default?: number | DefaultBy<number>;
  /** null is also allowed (and means something the description says). */
  nullable?: boolean;
  /** Unit of the value, for labels ("epochs", "rows"). */
  units?: string;
}

export interface BooleanField extends Common {
  type: 'boolean';
  default?: boolean;
}

export interface StringField extends Common {
  type: 'string';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface EnumField extends Common {
  type: 'enum';
  values: readonly (string | number | boolean)[];
  default?: string | boolean | DefaultBy<string>;
}

export interface ConstField extends Common {
  type: 'const';
  value: string | number;
}

/** A closed object (unknown keys are errors); its fields are the entries below its path. */
export interface ObjectField extends Common {
  type: 'object';
  /** The object may also be null (early stopping: null means off). */
  nullable?: boolean;
  /** At most this many keys (objects with free keys, such as compare). */
  maxProperties?: number;
  /** Free keys matching these patterns take this definition (compare's config paths). */
  patternProperties?: Readonly<Record<string, string>>;
}

/** An object whose fields depend on one tag field ("name", "kind", "source"): a tagged union. */
export interface UnionField extends Common {
  type: 'union';
  tag: string;
  /** The branches in order; a branch may take several tag values that share their fields. */
  branches: readonly { tags: readonly string[]; description?: string }[];
}

export interface ListField extends Common {
  type: 'array';
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  /** Fixed-length list with these element types (a [lo, hi] range). */
  tuple?: readonly ('number' | 'integer' | 'string')[];
  default?: readonly number[];
}

/** A use of a named definition (DEFINITIONS in index.ts), with this use's own words and default. */
export interface RefField extends Common {
  type: 'ref';
  ref: string;
  default?: number | string | boolean;
}

/** Several allowed forms (the seeds: a list or {count, start}); each form is a definition. */
export interface OneOfField extends Common {
  type: 'oneOf';
  forms: readonly string[];
}

/** JSON Schema written as is, for what the other kinds do not say (a free-form value). */
export interface RawField extends Common {
  type: 'raw';
  schema: Readonly<Record<string, unknown>>;
}

export type Field =
  | NumberField
  | BooleanField
  | StringField
  | EnumField
  | ConstField
  | ObjectField
  | UnionField
  | ListField
  | RefField
  | OneOfField
  | RawField;

export type Vocabulary = Readonly<Record<string, Field>>;
