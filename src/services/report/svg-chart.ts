/**
 * Line charts as static SVG text, for the one-file report (no browser, no plotting library, no
 * network): per series a mean line and, when given, a band (lower..upper) drawn as a translucent
 * polygon; linear axes with "nice" ticks (1-2-5 steps), or a log10 y axis. A non-finite point
 * breaks the line; a dotted series draws its lines dotted and its lone points as rings. Pure; the
 * caller embeds the string in HTML.
 */

export interface ChartSeries {
  label: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  /** Band bounds, same length as x (a point without both is left out of the band). */
  lower?: readonly (number | null)[];
  upper?: readonly (number | null)[];
  /** Dotted line, lone points as rings, a dotted legend key (the report's residual projections P). */
  dotted?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Plot y on a log10 scale (values <= 0 are left out). */
  yLog?: boolean;
  width?: number;
  height?: number;
}

/** Plot area margins in SVG units; the legend takes LEGEND_WIDTH more on the right, outside the plot. */
export const MARGIN = { left: 64, right: 16, top: 30, bottom: 44 };
export const LEGEND_WIDTH = 110;
const LEGEND_CHARS = 17;
/** A dotted series' dash pattern: 2 units drawn, 3 left out. */
const DOTS = '2 3';

/** About `count` round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
  const first = Math.ceil(lo / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (v: number) => Number(v.toFixed(2)).toString();

function tickText(v: number, log: boolean): string {
  if (log) return Number.isInteger(v) ? (Math.abs(v) <= 3 ? String(10 ** v) : `1e${v}`) : '';
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(6)));
}

export function lineChart(series: readonly ChartSeries[], o: ChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const ty = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : o.yLog ? (v > 0 ? Math.log10(v) : NaN) : v);
  const xs = series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = series.flatMap((s) => [...s.y, ...(s.lower ?? []), ...(s.upper ?? [])].map(ty)).filter(Number.isFinite);
  const title = `<text x="${width / 2}" y="18" text-anchor="middle" font-weight="600">${escapeXml(o.title)}</text>`;
  const open = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(o.title)}">`;
  if (xs.length === 0 || ys.length === 0) {
    return `${open}${title}<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`;
  }
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs));
  const yTicks = o.yLog
    ? niceTicks(Math.floor(Math.min(...ys)), Math.ceil(Math.max(...ys)), 4).filter(Number.isInteger)
    : niceTicks(Math.min(...ys), Math.max(...ys));
  const x0 = Math.min(...xs, ...xTicks);
  const x1 = Math.max(...xs, ...xTicks);
  const y0 = Math.min(...ys, ...yTicks);
  const y1 = Math.max(...ys, ...yTicks);
  const right = width - MARGIN.right - LEGEND_WIDTH;
  const sx = linearScale(x0, x1, MARGIN.left, right);
  const sy = linearScale(y0, y1, height - MARGIN.bottom, MARGIN.top);
  const parts: string[] = [open, title];
  const bottom = height - MARGIN.bottom;
  for (const t of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${right}" y1="${fmt(sy(t))}" y2="${fmt(sy(t))}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${fmt(sy(t) + 4)}" text-anchor="end">${tickText(t, !!o.yLog)}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<line x1="${fmt(sx(t))}" x2="${fmt(sx(t))}" y1="${bottom}" y2="${bottom + 4}" stroke="#555"/>`);
    parts.push(`<text x="${fmt(sx(t))}" y="${bottom + 16}" text-anchor="middle">${tickText(t, false)}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${right - MARGIN.left}" height="${bottom - MARGIN.top}" fill="none" stroke="#555"/>`,
  );
  parts.push(`<text x="${(MARGIN.left + right) / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(14 ${(MARGIN.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}${o.yLog ? ' (log scale)' : ''}</text>`,
  );
  series.forEach((s, i) => {
    if (s.lower && s.upper) {
      const band = s.x.flatMap((x, k) => {
        const lo = ty(s.lower![k]);
        const hi = ty(s.upper![k]);
        return Number.isFinite(x) && Number.isFinite(lo) && Number.isFinite(hi) ? [{ x, lo, hi }] : [];
      });
      if (band.length > 1) {
        const pts = [
          ...band.map((p) => `${fmt(sx(p.x))},${fmt(sy(p.hi))}`),
          ...band.reverse().map((p) => `${fmt(sx(p.x))},${fmt(sy(p.lo))}`),
        ];
        parts.push(`<polygon class="band" points="${pts.join(' ')}" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`);
      }
    }
    const dots = s.dotted ? ` stroke-dasharray="${DOTS}"` : '';
    for (const segment of segments(s.x, s.y.map(ty))) {
      const pts = segment.map(([x, y]) => `${fmt(sx(x))},${fmt(sy(y))}`).join(' ');
      const [cx, cy] = [fmt(sx(segment[0][0])), fmt(sy(segment[0][1]))];
      parts.push(
        segment.length > 1
          ? `<polyline class="mean" points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${dots}/>`
          : s.dotted
            ? `<circle class="mean" cx="${cx}" cy="${cy}" r="3.5" fill="none" stroke="${s.color}" stroke-width="1.5"/>`
            : `<circle class="mean" cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`,
      );
    }
    const ly = MARGIN.top + 10 + i * 14;
    const name = s.label.length > LEGEND_CHARS ? `${s.label.slice(0, LEGEND_CHARS - 1)}…` : s.label;
    parts.push(`<line x1="${right + 8}" x2="${right + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"${dots}/>`);
    parts.push(`<text x="${right + 26}" y="${ly}"><title>${escapeXml(s.label)}</title>${escapeXml(name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Runs of consecutive finite points. */
function segments(x: readonly number[], y: readonly number[]): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  x.forEach((xv, k) => {
    if (Number.isFinite(xv) && Number.isFinite(y[k])) current.push([xv, y[k]]);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  });
  if (current.length > 0) out.push(current);
  return out;
}
