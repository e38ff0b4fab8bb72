/**
 * The experiment being designed. One `$state` spec object drives both the form and the saved
 * JSON (TensorFlow Playground's lesson): fields read and write it through dotted paths, the JSON
 * view is `JSON.stringify` of it, Save writes exactly that text. Validation runs in the back end
 * (debounced) and each FieldError is shown under the field registered for its path; errors no
 * field claims are listed in their card. The data preview also drives the model's input and
 * output size, so the network always fits the data.
 */
import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { Api, DataPreview, ExperimentSpec, FieldError, RunTimeEstimate } from '../../../shared/api';
import { slug } from '../lib/format';
import { getPath, pathWithin, setPath } from '../lib/paths';
import { defaultSpec, fitToData, normalizeSpec, runCount, runLine } from '../lib/spec';
import type { HiddenLayer } from '../lib/catalog';
import type { ToastState } from './toasts.svelte';

export type CardId = 'data' | 'network' | 'training' | 'compare' | 'seeds';

/** Top-level spec keys shown by each card (errors there without a field are listed in the card). */
export const CARD_PREFIXES: Record<CardId | 'general', readonly string[]> = {
  general: ['version', 'name', 'description'],
  data: ['data'],
  network: ['model'],
  training: ['train', 'diagnostics'],
  compare: ['compare', 'baseline'],
  seeds: ['seeds', 'execution'],
};

const VALIDATE_MS = 250;
const PREVIEW_MS = 400;
/** The estimate calibrates on the pool: only once the spec has been valid and unchanged this long. */
const ESTIMATE_MS = 1500;

export class DesignState {
  spec = $state<ExperimentSpec>(defaultSpec());
  /** The stored experiment this draft came from, and its spec as JSON (to tell edits apart). */
  sourceId = $state<string | null>(null);
  sourceJson = $state<string | null>(null);
  /** False until the user creates, opens or edits a draft (the welcome screen shows before). */
  touched = $state(false);

  errors = $state.raw<FieldError[]>([]);
  /** Allowed but unusual settings of a valid experiment (severity 'warning'), by path. */
  warnings = $state.raw<FieldError[]>([]);
  validating = $state(false);
  /** The validation call itself failed (back end unreachable). */
  validationFailure = $state<string | null>(null);
  validatedJson = $state<string | null>(null);

  preview = $state.raw<DataPreview | null>(null);
  previewLoading = $state(false);
  previewError = $state<string | null>(null);
  /** What the last preview changed in the model, in words. */
  fitNote = $state<string | null>(null);
  /**
   * The data spec (as JSON) whose preview was answered and fitted into the model (or failed),
   * null while a loaded draft waits for its first. Until it is the current data's, the model may
   * still have the previous data's inputs and outputs, which validation does not check.
   */
  previewedData = $state<string | null>(null);

  /** Time estimates by timing-relevant spec (calibrated on this machine), and whether one is being made. */
  readonly estimates = new SvelteMap<string, RunTimeEstimate>();
  estimating = $state(false);

  collapsed = $state<Record<CardId, boolean>>({ data: false, network: false, training: true, compare: false, seeds: true });
  starting = $state(false);

  /** Registered field paths (a path may be rendered more than once). */
  readonly fields = new SvelteMap<string, number>();

  json: string = $derived(JSON.stringify(this.spec, null, 2));
  modified: boolean = $derived(this.sourceJson !== null && this.sourceJson !== this.json);
  runs: number = $derived(runCount(this.spec));
  /** The model has been fitted to the current data (its preview answered), or the preview failed. */
  dataChecked: boolean = $derived(this.previewedData === JSON.stringify(this.spec.data));
  /** Validation is current and found nothing, and the model fits the current data. */
  valid: boolean = $derived(
    this.validatedJson === this.json && this.errors.length === 0 && this.validationFailure === null && this.dataChecked,
  );

  /** Owner field of each error: the longest registered path containing it (undefined: none). */
  owners: Array<string | undefined> = $derived(
    this.errors.map((e) => {
      let best: string | undefined;
      for (const path of this.fields.keys()) if (pathWithin(e.path, path) && (best === undefined || path.length > best.length)) best = path;
      return best;
    }),
  );

  readonly #api: Api;
  readonly #toasts: ToastState;
  readonly #disposeEffects: () => void;
  #validateSeq = 0;
  #estimateSeq = 0;
  #previewSeq = 0;

  constructor(api: Api, toasts: ToastState) {
    this.#api = api;
    this.#toasts = toasts;
    this.#disposeEffects = $effect.root(() => {
      $effect(() => {
        const text = this.json;
        const timer = setTimeout(() => void this.#validate(text), VALIDATE_MS);
        return () => clearTimeout(timer);
      });
      $effect(() => {
        if (!this.valid) return;
        const text = this.json;
        const timer = setTimeout(() => void this.#estimate(text), ESTIMATE_MS);
        return () => clearTimeout(timer);
      });
      $effect(() => {
        const data = JSON.stringify(this.spec.data);
        const timer = setTimeout(() => void this.#loadPreview(data), PREVIEW_MS);
        return () => clearTimeout(timer);
      });
    });
  }

  dispose(): void {
    this.#disposeEffects();
  }

  get(path: string): unknown {
    return getPath(this.spec, path);
  }

  set(path: string, value: unknown): void {
    setPath(this.spec, path, value);
    this.touched = true;
  }

  /** Claims errors at `path` for a field; returns the release (call from an $effect). */
  register(path: string): () => void {
    untrack(() => this.fields.set(path, (this.fields.get(path) ?? 0) + 1));
    return () =>
      untrack(() => {
        const n = (this.fields.get(path) ?? 1) - 1;
        if (n <= 0) this.fields.delete(path);
        else this.fields.set(path, n);
      });
  }

  /** The spec the current errors were found in (null before the first validation). */
  validatedSpec: unknown = $derived(this.validatedJson === null ? null : JSON.parse(this.validatedJson));

  /**
   * An error is stale once the value it is about has changed since validation: it is not shown
   * beside the new value (which gets its own error, if any, when validation catches up).
   */
  isStale(e: FieldError): boolean {
    if (this.validatedSpec === null || e.path === '') return false;
    return JSON.stringify(getPath(this.validatedSpec, e.path)) !== JSON.stringify(getPath(this.spec, e.path));
  }

  errorsFor(path: string): FieldError[] {
    return this.errors.filter((e, i) => this.owners[i] === path && !this.isStale(e));
  }

  /** The back end's warnings at exactly `path`, as text. */
  warningsAt(path: string): string | null {
    const found = this.warnings.filter((w) => w.path === path).map((w) => w.message);
    return found.length > 0 ? found.join('; ') : null;
  }

  /** Errors of a card that no field claims. */
  unplacedErrors(card: CardId | 'general'): FieldError[] {
    return this.errors.filter(
      (e, i) => this.owners[i] === undefined && CARD_PREFIXES[card].some((p) => pathWithin(e.path, p) || e.path === p),
    );
  }

  cardErrorCount(card: CardId): number {
    return this.errors.filter((e) => CARD_PREFIXES[card].some((p) => pathWithin(e.path, p))).length;
  }

  /** Errors that belong to no card (empty path, unknown top-level keys). */
  get strayErrors(): FieldError[] {
    const all = Object.values(CARD_PREFIXES).flat();
    return this.errors.filter((e, i) => this.owners[i] === undefined && !all.some((p) => pathWithin(e.path, p)));
  }

  runLine(): string {
    const known = this.estimates.get(timeKey(this.spec));
    return runLine(this.spec, known ?? (this.valid && this.estimating ? 'estimating' : undefined));
  }

  /** Asks the back end how long the spec takes here (it calibrates on the pool), once per timing-relevant spec. */
  async #estimate(text: string): Promise<void> {
    const spec = JSON.parse(text) as ExperimentSpec;
    const key = timeKey(spec);
    if (this.estimates.has(key)) return;
    const seq = ++this.#estimateSeq;
    this.estimating = true;
    const r = await this.#api.estimateExperiment(spec);
    if (seq !== this.#estimateSeq) return;
    this.estimating = false;
    if (r.ok) this.estimates.set(key, r.value);
  }

  // ---- drafts -------------------------------------------------------------------------------

  newDraft(): void {
    this.#load(defaultSpec(), null);
    this.touched = true;
  }

  /** Loads a spec (an example, a file, a stored experiment) as the draft. */
  load(spec: unknown, sourceId: string | null = null): void {
    this.#load(normalizeSpec(spec), sourceId);
    this.touched = true;
  }

  #load(spec: ExperimentSpec, sourceId: string | null): void {
    this.spec = spec;
    this.sourceId = sourceId;
    this.sourceJson = sourceId === null ? null : JSON.stringify(spec, null, 2);
    // The same text as the last validated one (New on a fresh default draft): the validation
    // effect will not run again, so its result stands; clearing it left "Checking…" for good.
    if (JSON.stringify(spec, null, 2) !== this.validatedJson) {
      this.errors = [];
      this.validatedJson = null;
    }
    this.fitNote = null;
    // Same data, another model: the preview effect runs again and fits it; wait for that.
    this.previewedData = null;
  }

  duplicate(): void {
    const copy = $state.snapshot(this.spec) as ExperimentSpec;
    copy.name = `${copy.name} (copy)`;
    this.#load(copy, null);
    this.touched = true;
  }

  /** Replaces the draft from JSON text; returns an error message or null. */
  applyJson(text: string): string | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return `This is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
    const keep = this.sourceId;
    this.spec = normalizeSpec(parsed);
    this.previewedData = null;
    if (keep === null) this.sourceJson = null;
    this.touched = true;
    return null;
  }

  async save(): Promise<void> {
    const r = await this.#api.saveFile(`${slug(this.spec.name)}.json`, `${this.json}\n`, 'utf8');
    if (this.#toasts.check(r, 'Could not save the experiment') && r.value) this.#toasts.push('success', `Saved to ${r.value.path}`);
  }

  /** Opens an experiment file: through the native dialog (`typedPath` null) or a typed path. */
  async open(typedPath: string | null = null): Promise<boolean> {
    const r = await this.#api.openExperimentFile(typedPath);
    if (!this.#toasts.check(r, 'Could not open the file') || r.value === null) return false;
    this.load(r.value.spec, null);
    this.#toasts.push('info', `Opened ${r.value.path}`);
    return true;
  }

  /** Starts the draft; returns the experiment id, or null (errors are shown). */
  async start(): Promise<string | null> {
    if (this.errors.length > 0 || this.starting) return null;
    this.starting = true;
    try {
      const r = await this.#api.startExperiment($state.snapshot(this.spec));
      if (!this.#toasts.check(r, 'Could not start the experiment')) return null;
      return r.value.experimentId;
    } finally {
      this.starting = false;
    }
  }

  // ---- layers -------------------------------------------------------------------------------

  addLayer(): void {
    const hidden = this.spec.model.hidden;
    const last = hidden.at(-1);
    hidden.push(last ? ($state.snapshot(last) as HiddenLayer) : { width: 64, activation: 'relu' });
    if (hidden.length > 0) delete hidden[hidden.length - 1].residual;
    this.touched = true;
  }

  removeLayer(i: number): void {
    this.spec.model.hidden.splice(i, 1);
    this.touched = true;
  }

  moveLayer(i: number, by: -1 | 1): void {
    const hidden = this.spec.model.hidden;
    const j = i + by;
    if (j < 0 || j >= hidden.length) return;
    const [layer] = hidden.splice(i, 1);
    hidden.splice(j, 0, layer);
    this.touched = true;
  }

  // ---- compare factors ------------------------------------------------------------------------

  factorValues(key: string): unknown[] {
    const v = this.spec.compare?.[key];
    return Array.isArray(v) ? v : [];
  }

  setFactor(key: string, values: unknown[] | undefined): void {
    const compare = { ...(this.spec.compare ?? {}) };
    if (values === undefined || values.length === 0) delete compare[key];
    else compare[key] = values;
    this.spec.compare = compare;
    this.touched = true;
  }

  toggleFactorValue(key: string, value: unknown): void {
    const values = this.factorValues(key);
    const i = values.findIndex((v) => v === value);
    this.setFactor(key, i >= 0 ? values.filter((_, j) => j !== i) : [...values, value]);
  }

  renameFactor(oldKey: string, newKey: string): void {
    if (oldKey === newKey || !this.spec.compare) return;
    const entries = Object.entries(this.spec.compare).map(([k, v]) => [k === oldKey ? newKey : k, v] as const);
    this.spec.compare = Object.fromEntries(entries);
    this.touched = true;
  }

  /** Moves a factor earlier or later: the first factor is the small multiples' rows, the second their columns. */
  moveFactor(key: string, by: -1 | 1): void {
    const entries = Object.entries(this.spec.compare ?? {});
    const i = entries.findIndex(([k]) => k === key);
    const j = i + by;
    if (i < 0 || j < 0 || j >= entries.length) return;
    [entries[i], entries[j]] = [entries[j], entries[i]];
    this.spec.compare = Object.fromEntries(entries);
    this.touched = true;
  }

  // ---- back end -----------------------------------------------------------------------------

  async #validate(text: string): Promise<void> {
    const seq = ++this.#validateSeq;
    this.validating = true;
    const r = await this.#api.validateExperiment(JSON.parse(text));
    if (seq !== this.#validateSeq) return;
    this.validating = false;
    if (r.ok) {
      this.errors = r.value.filter((e) => e.severity !== 'warning');
      this.warnings = r.value.filter((e) => e.severity === 'warning');
      this.validationFailure = null;
    } else {
      this.validationFailure = r.error;
    }
    this.validatedJson = text;
  }

  async #loadPreview(dataJson: string): Promise<void> {
    const seq = ++this.#previewSeq;
    this.previewLoading = true;
    const r = await this.#api.previewData(JSON.parse(dataJson));
    if (seq !== this.#previewSeq) return;
    this.previewLoading = false;
    if (!r.ok) {
      this.previewError = r.error;
      this.preview = null;
      this.previewedData = dataJson;
      return;
    }
    this.previewError = null;
    this.preview = r.value;
    const fit = fitToData(this.spec.model, r.value);
    const changes = Object.entries(fit);
    if (changes.length > 0) {
      Object.assign(this.spec.model, fit);
      this.fitNote = `Set from the data: ${changes.map(([k, v]) => `${k === 'inputSize' ? 'inputs' : k === 'outputSize' ? 'outputs' : 'head'} ${String(v)}`).join(', ')}.`;
    }
    this.previewedData = dataJson;
  }
}

/** The parts of a spec its training time depends on (not its name or description). */
function timeKey(spec: ExperimentSpec): string {
  const { name: _name, description: _description, ...rest } = spec;
  return JSON.stringify(rest);
}
