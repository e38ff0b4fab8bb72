/**
 * Number, time and size formatting for the UI: one place decides how a loss, an interval or a
 * duration reads, so tables, tooltips, captions and exports agree. Pure; no locale surprises
 * (numbers use "." and thin grouping by ",", dates are ISO-like in local time).
 */

const DASH = '—';

/** A value with `digits` significant digits; very small or large magnitudes in exponent form. */
export function fmtNum(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH;
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  let text: string;
  if (abs < 1e-3 || abs >= 1e6) {
    text = v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  } else if (Number.isInteger(v) && abs >= 10 ** (digits - 1)) {
    text = groupThousands(String(v));
  } else {
    text = Number(v.toPrecision(digits)).toString();
    if (abs >= 1000) text = groupThousands(text);
  }
  return text.replace(/^-/, '−');
}

function groupThousands(text: string): string {
  const [int, frac] = text.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A whole number with thousands grouping: 12345 -> "12,345". */
export function fmtInt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return groupThousands(String(Math.round(v))).replace(/^-/, '−');
}

/** Short counts: 950 -> "950", 10000 -> "10k", 1234567 -> "1.2M". */
export function fmtShort(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const abs = Math.abs(v);
  if (abs < 1000) return fmtNum(v, 3);
  if (abs < 1e6) return `${trim(v / 1e3)}k`;
  if (abs < 1e9) return `${trim(v / 1e6)}M`;
  return `${trim(v / 1e9)}G`;
}

function trim(v: number): string {
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Number(v.toFixed(1)));
}

/** A fraction in [0, 1] as a percentage: 0.9784 -> "97.8%". */
export function fmtPercent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${(v * 100).toFixed(digits)}%`.replace(/^-/, '−');
}

/** Seconds as "0.4 s", "45 s", "3 min 20 s", "1 h 12 min". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return DASH;
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) {
    const s = Math.round(seconds - m * 60);
    return s === 0 || m >= 10 ? `${m} min` : `${m} min ${s} s`;
  }
  const h = Math.floor(m / 60);
  const rest = m - h * 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

/** An estimate in words: "about 4 min", "under a minute". */
export function fmtEstimate(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  if (seconds < 60) return 'under a minute';
  return `about ${fmtDuration(seconds < 600 ? Math.round(seconds / 60) * 60 : seconds)}`;
}

/** Bytes as "812 B", "4.2 kB", "1.3 MB". */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return DASH;
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${Number((bytes / 1e3).toFixed(1))} kB`;
  if (bytes < 1e9) return `${Number((bytes / 1e6).toFixed(1))} MB`;
  return `${Number((bytes / 1e9).toFixed(2))} GB`;
}

/** Local date and time, "2025-11-29 15:53". */
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "1 run", "3 runs"; irregular plurals as a third argument. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${fmtInt(n)} ${n === 1 ? word : many}`;
}

/** A mean with its interval: "0.123 [0.110, 0.136]"; just the mean when there are no bounds. */
export function fmtInterval(iv: { mean: number; lower: number | null; upper: number | null } | null | undefined, digits = 3): string {
  if (!iv) return DASH;
  const mean = fmtNum(iv.mean, digits);
  if (iv.lower === null || iv.upper === null) return mean;
  return `${mean} [${fmtNum(iv.lower, digits)}, ${fmtNum(iv.upper, digits)}]`;
}

/** A signed difference: "+0.012", "−0.4". */
export function fmtSigned(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH;
  return v > 0 ? `+${fmtNum(v, digits)}` : fmtNum(v, digits);
}

/** Upper-cases the first letter. */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

/** A file-system friendly slug of a name: "Why ReLU beat sigmoid" -> "why-relu-beat-sigmoid". */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, 60) || 'experiment';
}
