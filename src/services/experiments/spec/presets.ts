/**
 * The regularizer presets of the `regularizer` factor. A value describes the variant's whole
 * regularization: applying it first clears every regularizer it controls (hidden-layer dropout and
 * batch norm, the l1/l2 loss penalties, optimizer weight decay, early stopping), then sets its
 * parts. Parts join with "+" ("dropout-0.2+early-stopping"). docs/experiments.md has the table.
 *
 *   none               nothing (all of the above cleared; weight decay set to 0, also for adamw)
 *   dropout-<p>        every hidden layer: inverted dropout p, 0 <= p < 1
 *   l2-<lambda>        train.penalties.l2 = lambda: loss term lambda * sum W^2 (Keras L2; gradient 2 lambda W)
 *   l1-<lambda>        train.penalties.l1 = lambda: loss term lambda * sum |W|
 *   weight-decay-<l>   train.optimizer.weightDecay = l (coupled for sgd/adam, decoupled for adamw)
 *   batchnorm          every hidden layer: batch norm "pre" (before the activation)
 *   early-stopping     monitor val_loss, patience 5, restore best weights (Keras 3 semantics)
 */
import {
  describe,
  EARLY_STOPPING_PRESET as VOCABULARY_EARLY_STOPPING,
  type DataSpec,
  type EarlyStoppingConfig,
  type ModelConfig,
  type TrainConfig,
  shownJson,
} from '../../../engine/index.js';

export interface EditableConfig {
  model: ModelConfig;
  train: TrainConfig;
  /** The variant's data spec, which data factors edit (data-factors.ts); absent when only model and train are edited. */
  data?: DataSpec;
}

export type RegularizerPart =
  { kind: 'dropout' | 'l1' | 'l2' | 'weight-decay'; amount: number } | { kind: 'batchnorm' } | { kind: 'early-stopping' };

export const EARLY_STOPPING_PRESET: Readonly<EarlyStoppingConfig> = VOCABULARY_EARLY_STOPPING;

/** The forms a regularizer value may take, for messages. */
export const REGULARIZER_FORMS = [
  'none',
  'dropout-<p>',
  'l2-<lambda>',
  'l1-<lambda>',
  'weight-decay-<lambda>',
  'batchnorm',
  'early-stopping',
];

/** A plain decimal as JSON writes it, without sign: 0.2, 1e-4, .5 and 5. are accepted too. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function parseDecimal(text: string): number | null {
  return DECIMAL.test(text) && Number.isFinite(Number(text)) ? Number(text) : null;
}

/** The parts of a regularizer value, or why it is not one. "none" has no parts. */
export function parseRegularizer(value: unknown): RegularizerPart[] | string {
  const forms = `allowed: ${REGULARIZER_FORMS.map((f) => `"${f}"`).join(', ')}, or several joined with "+"`;
  if (typeof value !== 'string') return `must be a string, got ${describe(value)}; ${forms}`;
  if (value === 'none') return [];
  const parts: RegularizerPart[] = [];
  for (const text of value.split('+')) {
    const part = parsePart(text);
    if (typeof part === 'string') return `${part}; ${forms}`;
    if (parts.some((p) => p.kind === part.kind)) return `names ${part.kind} twice in ${shownJson(value)}`;
    parts.push(part);
  }
  return parts;
}

function parsePart(text: string): RegularizerPart | string {
  if (text === 'batchnorm' || text === 'early-stopping') return { kind: text };
  if (text === 'none') return '"none" cannot be combined with other regularizers';
  const m = /^(dropout|l1|l2|weight-decay)-(.*)$/.exec(text);
  if (!m) return `${shownJson(text)} is not a regularizer`;
  const kind = m[1] as 'dropout' | 'l1' | 'l2' | 'weight-decay';
  const amount = parseDecimal(m[2]);
  if (amount === null)
    return `${shownJson(m[2])} in ${shownJson(text)} is not a number (write e.g. ${kind}-${kind === 'dropout' ? '0.2' : '1e-4'})`;
  if (kind === 'dropout' && !(amount < 1)) return `dropout probability must be at least 0 and below 1, got ${amount} in ${shownJson(text)}`;
  return { kind, amount };
}

/** A canonical text of the parts (sorted, numbers normalized): equal for values that set the same config. */
export function canonicalRegularizer(parts: RegularizerPart[]): string {
  if (parts.length === 0) return 'none';
  return parts
    .map((p) => ('amount' in p ? `${p.kind}-${p.amount}` : p.kind))
    .sort()
    .join('+');
}

/** Clears every regularizer the presets control, then applies the parts. */
export function applyRegularizer(config: EditableConfig, parts: RegularizerPart[]): void {
  const { model, train } = config;
  for (const layer of model.hidden) {
    delete layer.dropout;
    delete layer.batchNorm;
  }
  delete train.penalties;
  // Explicit 0: adamw's default weight decay is 0.01, which "none" must not leave in place.
  train.optimizer.weightDecay = 0;
  delete train.earlyStopping;
  for (const part of parts) {
    switch (part.kind) {
      case 'dropout':
        for (const layer of model.hidden) layer.dropout = part.amount;
        break;
      case 'batchnorm':
        for (const layer of model.hidden) layer.batchNorm = 'pre';
        break;
      case 'l1':
      case 'l2':
        train.penalties = { ...(train.penalties ?? {}), [part.kind]: part.amount };
        break;
      case 'weight-decay':
        train.optimizer.weightDecay = part.amount;
        break;
      case 'early-stopping':
        train.earlyStopping = { ...EARLY_STOPPING_PRESET };
        break;
    }
  }
}
