/**
 * The Export tab's actions: figures to SVG/PNG (Plotly.toImage on the same figure builders, white
 * paper, a caption naming seeds, interval, smoothing and engine version), metrics as CSV/JSON, and
 * a run's model to ONNX with its validation report. Every file goes through `api.saveFile`.
 */
import type { Api, ValidationReport } from '../../../shared/api';
import { slug } from '../lib/format';
import { captionText, withCaption } from '../lib/plots/caption';
import { PAPER_TOKENS } from '../lib/plots/theme';
import { loadPlotly } from '../plot/plotly';
import { buildFigure, figureUsesBand, figureWhat, type FigureKind } from './figures';
import type { ExperimentSession } from './session.svelte';
import type { ToastState } from './toasts.svelte';

export interface OnnxResult {
  runId: string;
  path: string;
  report: ValidationReport;
}

export const FIGURE_SIZES = {
  column: { label: 'One column (3.5 in)', width: 700, height: 460 },
  page: { label: 'Full width (7 in)', width: 1400, height: 760 },
  slide: { label: 'Slide (16:9)', width: 1280, height: 640 },
} as const;
export type FigureSize = keyof typeof FIGURE_SIZES;

export class ExportState {
  figureKind = $state<FigureKind>('small-multiples');
  size = $state<FigureSize>('page');
  /** Caption text; null follows the generated one. */
  captionOverride = $state<string | null>(null);
  busy = $state<string | null>(null);

  onnxRunId = $state<string | null>(null);
  opset = $state<17 | 20>(17);
  probabilities = $state(true);
  onnxBusy = $state(false);
  onnxResult = $state.raw<OnnxResult | null>(null);
  onnxError = $state<string | null>(null);

  readonly #api: Api;
  readonly #session: ExperimentSession;
  readonly #toasts: ToastState;
  readonly #engineVersion: () => string;

  constructor(api: Api, session: ExperimentSession, toasts: ToastState, engineVersion: () => string) {
    this.#api = api;
    this.#session = session;
    this.#toasts = toasts;
    this.#engineVersion = engineVersion;
  }

  caption(): string {
    if (this.captionOverride !== null) return this.captionOverride;
    const s = this.#session;
    const kind = this.figureKind;
    const perSeed = !figureUsesBand(kind);
    const seed = s.compare.seed ?? s.seeds[0];
    return captionText({
      experiment: s.view?.experiment.spec.name ?? s.id,
      what: figureWhat(kind, s),
      seeds: perSeed && seed !== undefined ? [seed] : s.seeds,
      smoothing: kind === 'small-multiples' || kind === 'overlay' ? s.compare.smoothing : 0,
      engineVersion: s.view?.experiment.engineVersion ?? this.#engineVersion(),
      band: !perSeed,
    });
  }

  async saveFigure(format: 'svg' | 'png'): Promise<void> {
    const s = this.#session;
    const fig = buildFigure(this.figureKind, s, { tokens: PAPER_TOKENS, still: true, maxPoints: 2000 });
    if (!fig) return;
    const size = FIGURE_SIZES[this.size];
    const withText = withCaption(fig, this.caption(), PAPER_TOKENS, size);
    this.busy = format;
    try {
      const Plotly = await loadPlotly();
      const url = await Plotly.toImage(withText as never, {
        format,
        width: size.width,
        height: withText.layout.height as number,
        scale: format === 'png' ? 2 : 1,
      });
      const name = `${slug(s.view?.experiment.spec.name ?? s.id)}-${this.figureKind}.${format}`;
      const content = format === 'png' ? url.slice(url.indexOf(',') + 1) : svgText(url);
      const r = await this.#api.saveFile(name, content, format === 'png' ? 'base64' : 'utf8');
      if (this.#toasts.check(r, 'Could not save the figure') && r.value) this.#toasts.push('success', `Saved to ${r.value.path}`);
    } catch (e) {
      this.#toasts.push('error', `Could not render the figure: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.busy = null;
    }
  }

  async saveMetrics(format: 'csv' | 'json'): Promise<void> {
    this.busy = format;
    try {
      const r = await this.#api.exportMetrics(this.#session.id, format);
      if (!this.#toasts.check(r, 'Could not export the metrics')) return;
      const saved = await this.#api.saveFile(r.value.fileName, r.value.text, 'utf8');
      if (this.#toasts.check(saved, 'Could not save the metrics') && saved.value)
        this.#toasts.push('success', `Saved to ${saved.value.path}`);
    } finally {
      this.busy = null;
    }
  }

  /** The one-file report (HTML, figures inside), saved where the user chooses. */
  async saveReport(): Promise<void> {
    this.busy = 'report';
    try {
      const r = await this.#api.exportReport(this.#session.id);
      if (!this.#toasts.check(r, 'Could not write the report')) return;
      const saved = await this.#api.saveFile(r.value.fileName, r.value.text, 'utf8');
      if (this.#toasts.check(saved, 'Could not save the report') && saved.value)
        this.#toasts.push('success', `Saved to ${saved.value.path}`);
    } finally {
      this.busy = null;
    }
  }

  async exportOnnx(): Promise<void> {
    const runId = this.onnxRunId;
    if (!runId || this.onnxBusy) return;
    this.onnxBusy = true;
    this.onnxError = null;
    try {
      const r = await this.#api.exportOnnx(this.#session.id, runId, { probabilities: this.probabilities, opset: this.opset });
      if (r.ok) this.onnxResult = { runId, ...r.value };
      else this.onnxError = r.error;
    } finally {
      this.onnxBusy = false;
    }
  }
}

/** Plotly returns SVG as a data URL (URI-encoded or base64). */
export function svgText(url: string): string {
  const comma = url.indexOf(',');
  const head = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return head.includes(';base64') ? atob(body) : decodeURIComponent(body);
}
