/**
 * Turns a filled ColumnStore into a Dataset once the whole file is read: decides which columns
 * are numeric and which hold text, the task (classification or regression), which rows to drop,
 * the one-hot layout of categorical columns and the class indices; then copies the kept cells
 * into shared arrays, releasing each store chunk as soon as it is copied.
 * The rules (also in docs/data.md):
 *  - a column is text when more of its non-missing cells are text than numbers, else numeric;
 *  - task "auto": text target, or at most AUTO_MAX_CLASSES distinct whole numbers -> classification;
 *  - class and category names are sorted (compareNames: numbers by value, then text), so indices do
 *    not depend on row order and integer labels 0..k-1 keep their value as index;
 *  - text in a numeric column and missing cells follow `missing` (drop the row, or error);
 *  - text feature columns are one-hot encoded (one 0/1 column per category) or rejected.
 * Single-threaded; called once per load.
 */
import { DataError, quoteInput } from '../../errors.js';
import { sharedFloat32, sharedInt32, type Dataset, type Targets } from '../dataset.js';
import { checkDatasetMemory } from '../limits.js';
import { MAX_DISTINCT_TEXT, columnLabel, type CellNote, type ColumnStore } from './columns.js';
import { compareNames, formatFloat32 } from './number.js';

export const AUTO_MAX_CLASSES = 20;

export interface AssembleOptions {
  file: string;
  names: string[];
  targetIndex: number;
  task: 'auto' | 'classification' | 'regression';
  missing: 'error' | 'drop';
  categorical: 'onehot' | 'error';
  headerHow: string;
  /** The dataset memory ceiling (limits.ts). */
  memoryLimitBytes: number;
}

interface Categories {
  names: string[];
  /** Per store row: category index, -1 for dropped rows. */
  index: Int32Array;
}

export function assembleCsv(store: ColumnStore, o: AssembleOptions): Dataset {
  const { file, names, targetIndex: t } = o;
  if (store.rows === 0)
    throw new DataError(`${file}: no data rows${o.headerHow === 'detected' || o.headerHow === 'given' ? ' after the header' : ''}`);
  if (store.width < 2) throw new DataError(`${file}: only one column; a dataset needs at least one feature column besides the target`);
  const isText = Array.from({ length: store.width }, (_, c) => store.text[c] > store.numeric[c]);

  // 1. The task.
  let classification: boolean;
  let why: string;
  if (o.task === 'regression') {
    if (isText[t])
      throw new DataError(
        `${file}: target ${columnLabel(names, t)} holds text (e.g. ${quoteInput(store.firstText[t]!.value)} on line ${store.firstText[t]!.line}); regression needs numbers: use task "classification"`,
      );
    [classification, why] = [false, 'task: regression'];
  } else if (o.task === 'classification') {
    [classification, why] = [true, 'task: classification'];
  } else if (isText[t]) {
    [classification, why] = [true, 'auto: the target holds text'];
  } else if (store.targetAllIntegers && store.targetValues.size <= AUTO_MAX_CLASSES) {
    [classification, why] = [
      true,
      `auto: the target holds ${store.targetValues.size} distinct whole numbers (at most ${AUTO_MAX_CLASSES})`,
    ];
  } else {
    [classification, why] = [
      false,
      `auto: the target holds ${store.targetAllIntegers ? `more than ${AUTO_MAX_CLASSES} distinct` : 'fractional'} numbers`,
    ];
  }

  // 2. Text cells in numeric columns: an error, or rows to drop.
  const badText = [...names.keys()].filter((c) => !isText[c] && store.text[c] > 0);
  if (o.missing === 'error' && badText.length > 0) {
    const c = earliest(badText, store.firstText);
    const note = store.firstText[c]!;
    throw new DataError(
      `${file}: line ${note.line}, ${columnLabel(names, c)}: ${quoteInput(note.value)} is not a number, but the column is numeric ` +
        `(${store.numeric[c]} of ${store.numeric[c] + store.text[c]} values are numbers); fix the value or set missing: "drop" to drop such rows`,
    );
  }
  const catCols = [...names.keys()].filter((c) => c !== t && isText[c]);
  if (o.categorical === 'error' && catCols.length > 0) {
    const c = catCols[0];
    const note = store.firstText[c]!;
    throw new DataError(
      `${file}: ${columnLabel(names, c)} holds text (e.g. ${quoteInput(note.value)} on line ${note.line}); set categorical: "onehot" to one-hot encode it, or remove the column`,
    );
  }

  // 3. Which rows survive (missing cells anywhere, text in numeric columns).
  const codes = new Map<number, Int32Array>();
  for (let c = 0; c < store.width; c++) if (isText[c]) codes.set(c, store.textCodesByRow(c));
  const keep = new Uint8Array(store.rows).fill(1);
  let kept = store.rows;
  const flagged = [...names.keys()].filter((c) => store.missing[c] > 0 || (!isText[c] && store.text[c] > 0));
  if (flagged.length > 0) {
    for (let r = 0; r < store.rows; r++) {
      for (const c of flagged) {
        const v = store.get(r, c);
        if (v !== v && (!isText[c] || codes.get(c)![r] < 0)) {
          keep[r] = 0;
          kept--;
          break;
        }
      }
    }
  }
  if (kept === 0) {
    const c = earliest(flagged, store.firstMissing) ?? flagged[0];
    const note = store.firstMissing[c] ?? store.firstText[c]!;
    throw new DataError(
      `${file}: every row has a missing or non-numeric value and was dropped (the first: line ${note.line}, ${columnLabel(names, c)}: ${quoteInput(note.value)})`,
    );
  }

  // 4. Categories (sorted names) for one-hot columns and class targets.
  const cats = new Map<number, Categories>();
  for (const c of catCols) {
    const cat = categorize(store, c, keep, codes.get(c));
    if (cat.names.length > MAX_DISTINCT_TEXT)
      throw new DataError(
        `${file}: ${columnLabel(names, c)} has more than ${MAX_DISTINCT_TEXT} distinct values; too many to one-hot encode: remove the column`,
      );
    cats.set(c, cat);
  }
  let tClass: Categories | undefined;
  if (classification) {
    tClass = categorize(store, t, keep, codes.get(t));
    if (tClass.names.length > MAX_DISTINCT_TEXT)
      throw new DataError(
        `${file}: target ${columnLabel(names, t)} has ${tClass.names.length} distinct values, more than ${MAX_DISTINCT_TEXT} classes: use task "regression"`,
      );
    if (tClass.names.length < 2)
      throw new DataError(
        `${file}: target ${columnLabel(names, t)} has a single class (${quoteInput(tClass.names[0])}) in the kept rows; classification needs at least 2 classes`,
      );
  }

  // 5. Feature layout, then one pass over the store chunks (each released once copied).
  const featureNames: string[] = [];
  const numSrc: number[] = [];
  const numDst: number[] = [];
  const oneHot: { dst: number; index: Int32Array }[] = [];
  for (let c = 0; c < store.width; c++) {
    if (c === t) continue;
    const cat = cats.get(c);
    if (cat) {
      oneHot.push({ dst: featureNames.length, index: cat.index });
      for (const name of cat.names) featureNames.push(`${names[c]}=${name}`);
    } else {
      numSrc.push(c);
      numDst.push(featureNames.length);
      featureNames.push(names[c]);
    }
  }
  const d = featureNames.length;
  checkDatasetMemory(file, (kept * d + kept) * 4, `${kept} rows of ${d} features (float32, after one-hot encoding)`, o.memoryLimitBytes);
  const features = sharedFloat32(kept * d);
  const labels = tClass ? sharedInt32(kept) : undefined;
  const values = tClass ? undefined : sharedFloat32(kept);
  const src = Int32Array.from(numSrc);
  const dst = Int32Array.from(numDst);
  const m = src.length;
  const w = store.width;
  let out = 0;
  for (let k = 0; k < store.chunks.length; k++) {
    const chunk = store.chunks[k]!;
    const first = k * store.rowsPerChunk;
    const last = Math.min(store.rows, first + store.rowsPerChunk);
    for (let r = first; r < last; r++) {
      if (!keep[r]) continue;
      const from = (r - first) * w;
      const to = out * d;
      for (let j = 0; j < m; j++) features[to + dst[j]] = chunk[from + src[j]];
      for (let h = 0; h < oneHot.length; h++) features[to + oneHot[h].dst + oneHot[h].index[r]] = 1;
      if (labels) labels[out] = tClass!.index[r];
      else values![out] = chunk[from + t];
      out++;
    }
    store.chunks[k] = null;
  }
  const targets: Targets = tClass
    ? { kind: 'class', labels: labels!, classNames: tClass.names }
    : { kind: 'vector', values: values!, width: 1, names: [names[t]] };

  const dropped = store.rows - kept;
  const oneHotText = catCols.map((c) => `${names[c]} (${cats.get(c)!.names.length})`).join(', ');
  return {
    name: file.split(/[\\/]/).pop() ?? file,
    n: kept,
    d,
    features,
    featureNames,
    targets,
    provenance:
      `CSV ${file}: ${store.rows} data rows${dropped ? `, ${dropped} dropped for missing or non-numeric values` : ''}; ` +
      `header ${o.headerHow}; target ${quoteInput(names[t])} as ${classification ? 'classification' : 'regression'} (${why})` +
      (oneHotText ? `; one-hot: ${oneHotText}` : ''),
    source: 'csv',
  };
}

/** The column whose note has the smallest line. */
function earliest(cols: number[], notes: (CellNote | undefined)[]): number {
  let best = cols[0];
  for (const c of cols) if (notes[c] && (!notes[best] || notes[c]!.line < notes[best]!.line)) best = c;
  return best;
}

/** Distinct values of a column over the kept rows, named and sorted by compareNames. */
function categorize(store: ColumnStore, c: number, keep: Uint8Array, codes: Int32Array | undefined): Categories {
  const textNames = store.dict[c] ? [...store.dict[c]!.keys()] : [];
  const byName = new Map<string, number>();
  const numberNames = new Map<number, string>();
  const raw = new Int32Array(store.rows).fill(-1);
  for (let r = 0; r < store.rows; r++) {
    if (!keep[r]) continue;
    let name: string;
    if (codes && codes[r] >= 0) {
      name = textNames[codes[r]];
    } else {
      const v = store.get(r, c);
      let s = numberNames.get(v);
      if (s === undefined) {
        if (numberNames.size > MAX_DISTINCT_TEXT) continue; // reported by the caller as too many classes
        s = formatFloat32(v);
        numberNames.set(v, s);
      }
      name = s;
    }
    let k = byName.get(name);
    if (k === undefined) {
      k = byName.size;
      byName.set(name, k);
    }
    raw[r] = k;
  }
  const sorted = [...byName.keys()].sort(compareNames);
  const remap = new Int32Array(sorted.length);
  sorted.forEach((name, i) => (remap[byName.get(name)!] = i));
  for (let r = 0; r < raw.length; r++) if (raw[r] >= 0) raw[r] = remap[raw[r]];
  return { names: sorted, index: raw };
}
