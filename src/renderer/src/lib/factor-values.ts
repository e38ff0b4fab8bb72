/**
 * Values typed into a compare factor's "other" box (the Compare card): split on commas and spaces,
 * names kept as written, numbers parsed and checked against the factor's range (the config
 * vocabulary's, and for the training-set size the training rows of the previewed data). Every
 * refusal names the factor and says what it takes. Pure.
 */
import type { FactorInfo } from './catalog.js';
import { fmtInt } from './format.js';

export type ParsedValues = { ok: true; values: Array<string | number> } | { ok: false; error: string };

/** `trainRows`: the training split's rows of the data as last previewed (null: not known). */
export function parseFactorValues(info: FactorInfo | undefined, text: string, trainRows: number | null = null): ParsedValues {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (info?.kind !== 'numbers') return { ok: true, values: parts };
  const values: number[] = [];
  const r = info.range ?? {};
  for (const p of parts) {
    const n = Number(p);
    const say = (what: string): ParsedValues => ({ ok: false, error: `${info.label}: "${p}" ${what}.` });
    if (!Number.isFinite(n)) return say('is not a number');
    if (r.integer && !Number.isInteger(n)) return say(`is not a whole number${info.units ? ` of ${info.units}` : ''}`);
    if (r.min !== undefined && n < r.min) return say(`is below ${r.min}; give at least ${r.min}`);
    if (r.max !== undefined && n > r.max) return say(`is above ${fmtInt(r.max)}; give at most ${fmtInt(r.max)}`);
    if (info.key === 'data.trainSize' && trainRows !== null && n > trainRows)
      return say(`is more than the ${fmtInt(trainRows)} training rows of this data; give at most ${fmtInt(trainRows)}`);
    values.push(n);
  }
  return { ok: true, values };
}

/**
 * The values a factor offers as toggles. The training-set size's depend on the data: an eighth,
 * a quarter, half and all of the previewed training rows (none before a preview).
 */
export function factorSuggestions(info: FactorInfo | undefined, trainRows: number | null): ReadonlyArray<string | number> {
  if (!info) return [];
  if (info.key !== 'data.trainSize') return info.suggestions;
  if (trainRows === null || trainRows < 1) return [];
  return [...new Set([8, 4, 2, 1].map((k) => Math.max(1, Math.floor(trainRows / k))))];
}
