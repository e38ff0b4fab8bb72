/**
 * Cell values of a CSV: a fast exact decimal parser (the hot path of the loader), what counts as a
 * missing value, and how numbers are written back as class or category names. Pure functions; any
 * thread.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const FLOAT32_MAX = 3.4028234663852886e38;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The value of a plain decimal cell ("-12.5", "3", ".5", "1e-3", surrounding spaces allowed), or
 * NaN for anything else: empty, text, "NaN", "Infinity", hex, or a number beyond float32's range.
 * Digits-only cells with at most 15 significant digits take the fast path: the mantissa is an
 * exact integer and the power of ten is exact, so one division gives the correctly rounded double,
 * the same value as Number(s). Everything else goes through Number() after a syntax check.
 */
export function parseNumber(s: string): number {
  const len = s.length;
  if (len === 0) return NaN;
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < len; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return slowNumber(s);
    }
  }
  if (digits === 0 || digits > 15) return slowNumber(s);
  const v = frac === 0 ? m : m / POW10[frac];
  return neg ? -v : v;
}

function slowNumber(s: string): number {
  const t = s.trim();
  if (!DECIMAL.test(t)) return NaN;
  const v = Number(t);
  return Math.abs(v) <= FLOAT32_MAX ? v : NaN;
}

/** Cells that mean "no value" (compared trimmed and lower-cased). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);
/** Cells that are numbers but not finite; treated like missing values (a network cannot use them). */
const NON_FINITE = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

/**
 * For a cell that parseNumber rejected: is it a missing value (empty, NA, NaN, Infinity, a
 * number too large for float32) rather than text?
 */
export function isMissing(s: string): boolean {
  const t = s.trim().toLowerCase();
  return MISSING_TOKENS.has(t) || NON_FINITE.has(t) || DECIMAL.test(t);
}

/** The shortest decimal that reads back as the same float32 ("0.1" for fround(0.1)). */
export function formatFloat32(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

/**
 * Order of class and category names: number-like names first, by value ("2" before "10"), then
 * the others by UTF-16 code units (locale-independent, so every machine agrees).
 */
export function compareNames(a: string, b: string): number {
  const x = parseNumber(a);
  const y = parseNumber(b);
  const xn = x === x;
  const yn = y === y;
  if (xn && yn) return x - y;
  if (xn !== yn) return xn ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
