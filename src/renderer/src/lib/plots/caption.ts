/**
 * Figure captions for exports: what the lines are (mean over which seeds), the interval (95%
 * across seeds by Student's t, on the log scale for losses and the logit scale for accuracies so
 * a band stays in range), the smoothing, and the engine version, so a figure in a paper says how
 * it was made. The caption is drawn under the figure, wrapped to its width.
 */
import { fmtNum } from '../format.js';
import type { Figure, PlotTokens } from './theme.js';

export interface CaptionFacts {
  experiment: string;
  what: string;
  seeds: number[];
  smoothing: number;
  engineVersion: string;
  band: boolean;
}

export function captionText(f: CaptionFacts): string {
  const seeds = f.seeds.length === 0 ? 'no seeds' : `${f.seeds.length} seed${f.seeds.length === 1 ? '' : 's'} (${f.seeds.join(', ')})`;
  const parts = [`${f.what} — ${f.experiment}.`];
  parts.push(
    f.band
      ? `Lines: mean over ${seeds} (runs that ended healthy); bands: 95% confidence interval across seeds (Student's t, on the log scale for losses and norms, on the logit scale for accuracies and fractions, so bands stay in range).`
      : `Runs: ${seeds}.`,
  );
  parts.push(f.smoothing > 0 ? `Smoothing: EMA weight ${fmtNum(f.smoothing, 2)} (raw mean drawn faint).` : 'No smoothing.');
  parts.push(`Ablate engine ${f.engineVersion}.`);
  return parts.join(' ');
}

/** Greedy word wrap to lines of at most `width` characters. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A copy of the figure with the caption under it (bottom margin grown to fit), at a fixed size. */
export function withCaption(fig: Figure, caption: string, t: PlotTokens, size: { width: number; height: number }): Figure {
  const charsPerLine = Math.max(40, Math.floor((size.width - 40) / 6.6));
  const lines = wrapText(caption, charsPerLine);
  const extra = 16 + lines.length * 15;
  const layout = { ...fig.layout };
  const margin = { ...((layout.margin as Record<string, number>) ?? {}) };
  margin.b = (margin.b ?? 48) + extra;
  layout.margin = margin;
  layout.width = size.width;
  layout.height = size.height + extra;
  layout.autosize = false;
  const annotations = [...((layout.annotations as unknown[]) ?? [])];
  annotations.push({
    text: lines.map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;')).join('<br>'),
    xref: 'paper',
    yref: 'paper',
    x: 0,
    y: 0,
    xanchor: 'left',
    yanchor: 'top',
    yshift: -((margin.b ?? 48) - extra) + 4 - 8,
    align: 'left',
    showarrow: false,
    font: { size: 11, color: t.muted },
  });
  layout.annotations = annotations;
  return { data: fig.data, layout };
}
