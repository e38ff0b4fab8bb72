/**
 * Colors. Variants use the Okabe-Ito palette (colorblind-safe), the same color in every plot and
 * table; after eight variants the colors repeat with a dash pattern. Layers use a sequential
 * palette (viridis) from the input layer to the output layer. Pure: the theme is an argument.
 */

export type ThemeName = 'light' | 'dark';

/** Okabe & Ito (2008), ordered so the first colors are the most distinct on both themes. */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442'] as const;
const NEUTRAL = { light: '#3a3a3a', dark: '#c8c8c8' } as const;

export const VARIANT_COLOR_COUNT = OKABE_ITO.length + 1;

export function variantColor(index: number, theme: ThemeName): string {
  const i = ((index % VARIANT_COLOR_COUNT) + VARIANT_COLOR_COUNT) % VARIANT_COLOR_COUNT;
  return i < OKABE_ITO.length ? OKABE_ITO[i] : NEUTRAL[theme];
}

const DASHES = ['solid', 'dash', 'dot', 'dashdot'] as const;
export type Dash = (typeof DASHES)[number];

/** Solid for the first eight variants, then dashed, dotted... so colors never collide silently. */
export function variantDash(index: number): Dash {
  return DASHES[Math.floor(Math.max(0, index) / VARIANT_COLOR_COUNT) % DASHES.length];
}

/** Viridis, sampled at 9 stops (matplotlib's definition). */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
}

function rgbToHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** Viridis at t in [0, 1]. */
export function viridis(t: number): string {
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const a = hexToRgb(VIRIDIS[i]);
  const b = hexToRgb(VIRIDIS[i + 1]);
  return rgbToHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/**
 * One color per layer, input -> output. The ends of viridis that vanish into the background are
 * skipped: the pale yellow on light paper, the near-black purple on dark.
 */
export function layerColors(n: number, theme: ThemeName): string[] {
  const [lo, hi] = theme === 'light' ? [0, 0.82] : [0.18, 1];
  if (n <= 0) return [];
  if (n === 1) return [viridis((lo + hi) / 2)];
  return Array.from({ length: n }, (_, i) => viridis(lo + ((hi - lo) * i) / (n - 1)));
}

/** Plotly colorscale for heatmaps of the same palette. */
export function viridisScale(): Array<[number, string]> {
  return VIRIDIS.map((c, i) => [i / (VIRIDIS.length - 1), c]);
}

/** "rgba(r,g,b,a)" without spaces (plotly.js 4 parses only this form reliably). */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r},${g},${b},${Number(alpha.toFixed(3))})`;
}

/** Mixes a color toward another (t = 0 keeps `a`). */
export function mix(a: string, b: string, t: number): string {
  const x = hexToRgb(a);
  const y = hexToRgb(b);
  return rgbToHex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/**
 * Classes (data points, decision regions) take Paul Tol's "muted" scheme, colorblind-safe and
 * apart from the variants' Okabe-Ito colors, so a class is never mistaken for a variant; lifted
 * toward white on the dark theme.
 */
const TOL_MUTED = ['#332288', '#882255', '#117733', '#999933', '#CC6677', '#44AA99', '#DDCC77', '#AA4499', '#88CCEE'] as const;

export function classColor(index: number, theme: ThemeName): string {
  const c = TOL_MUTED[((index % TOL_MUTED.length) + TOL_MUTED.length) % TOL_MUTED.length];
  return theme === 'dark' ? mix(c, '#ffffff', 0.3) : c.toLowerCase();
}

/** WCAG contrast ratio of two colors (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = hexToRgb(hex).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/**
 * A colorscale for decision regions: the heatmap value is class + confidence (in [0, 1)), scaled to
 * [0, 1] over `classes` bands; each band runs from a pale tint (low confidence) to a stronger tint.
 */
export function boundaryColorscale(classes: number, theme: ThemeName): Array<[number, string]> {
  const paper = theme === 'light' ? '#ffffff' : '#191c21';
  const out: Array<[number, string]> = [];
  const k = Math.max(classes, 1);
  for (let c = 0; c < k; c++) {
    const color = classColor(c, theme);
    out.push([c / k, mix(color, paper, 0.92)]);
    out.push([(c + 1) / k - (c + 1 < k ? 1e-6 : 0), mix(color, paper, theme === 'light' ? 0.62 : 0.55)]);
  }
  return out;
}

/** The value a decision-boundary cell gets in that colorscale. */
export function boundaryValue(cls: number, confidence: number, classes: number): number {
  const conf = Math.min(Math.max(confidence, 0), 0.999);
  // Confidence of a classifier is at least 1/classes; stretch that range over the band.
  const floor = classes > 1 ? 1 / classes : 0;
  const t = floor < 1 ? Math.max(0, (conf - floor) / (1 - floor)) : conf;
  return (cls + Math.min(t, 0.999)) / Math.max(classes, 1);
}
