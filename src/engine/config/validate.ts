/**
 * Validates a RunConfig before anything is allocated or trained. Every problem is reported with
 * its field path and what is allowed; nothing here throws anything but ConfigError.
 *
 * Types, ranges, allowed values and known fields come from the config vocabulary (Checker.field and
 * fieldsOf), the same facts the published schema is generated from; what is written here is the
 * structure (which object holds which) and the rules that need several fields at once.
 */
import { Checker } from './check.js';
import { resolveRunConfig, SCHEDULE_DEFAULTS, type ResolvedRunConfig } from './defaults.js';
import type { RunConfig } from './types.js';
import { fieldAt, fieldsOf } from './vocabulary/index.js';

/** A list this long is refused before its layers are read (cheap limits before the rest). */
export const MAX_HIDDEN_LAYERS: number = (fieldAt('model.hidden') as { maxItems: number }).maxItems;

export function validateRunConfig(input: unknown): ResolvedRunConfig {
  const c = new Checker();
  if (!c.object('config', input)) c.throwIfAny();
  const cfg = input as Record<string, unknown>;
  c.knownKeys('config', cfg, ['model', 'train', 'seed']);
  c.field('seed', cfg.seed, '$seed');
  const widthsOk = checkModel(c, cfg.model);
  checkTrain(c, cfg.train);
  if (widthsOk) checkCrossFields(c, cfg as unknown as RunConfig);
  c.throwIfAny();
  return resolveRunConfig(cfg as unknown as RunConfig);
}

function checkModel(c: Checker, model: unknown): boolean {
  if (!c.object('model', model)) return false;
  c.knownKeys('model', model, fieldsOf('model'));
  let ok = c.field('model.inputSize', model.inputSize);
  ok = c.field('model.outputSize', model.outputSize) && ok;
  if (c.field('model.head', model.head) && model.head === 'softmax' && model.outputSize === 1) {
    c.fail('model.outputSize', 'a softmax head needs at least 2 outputs (one per class); use a sigmoid head for one output');
  }
  if (c.object('model.init', model.init)) {
    const init = model.init;
    c.knownKeys('model.init', init, fieldsOf('model.init'));
    c.field('model.init.weights', init.weights);
    c.field('model.init.bias', init.bias);
    // sigma is optional in general but needed by the normal initializer.
    if (init.weights === 'normal' || init.sigma !== undefined) c.number('model.init.sigma', init.sigma, c.rangeOf('model.init.sigma'));
    // value likewise, for the constant initializer.
    if (init.weights === 'constant' || init.value !== undefined) c.number('model.init.value', init.value, c.rangeOf('model.init.value'));
  }
  if (!Array.isArray(model.hidden)) {
    c.fail('model.hidden', 'must be a list of hidden layers (it may be empty)');
    return false;
  }
  if (model.hidden.length > MAX_HIDDEN_LAYERS) {
    c.fail('model.hidden', `must list at most ${MAX_HIDDEN_LAYERS} layers, got ${model.hidden.length}`);
    return false;
  }
  model.hidden.forEach((layer: unknown, i: number) => {
    const p = `model.hidden[${i}]`;
    if (!c.object(p, layer)) {
      ok = false;
      return;
    }
    c.knownKeys(p, layer, fieldsOf('model.hidden[]'));
    const widthOk = c.field(`${p}.width`, layer.width);
    ok = ok && widthOk;
    if (c.field(`${p}.activation`, layer.activation)) {
      if (layer.activation === 'leaky_relu') c.field(`${p}.alpha`, layer.alpha);
      else if (layer.activation === 'elu' && layer.alpha !== undefined) {
        c.number(`${p}.alpha`, layer.alpha, { ...c.rangeOf(`${p}.alpha`), min: 0, minExclusive: true });
      }
      // alpha 0 is what a resolved config carries for the others, so saved configs re-validate.
      else if (layer.activation !== 'elu' && layer.alpha !== undefined && layer.alpha !== 0)
        c.fail(`${p}.alpha`, `only leaky_relu and elu take alpha, not ${layer.activation}`);
    }
    c.field(`${p}.batchNorm`, layer.batchNorm);
    c.field(`${p}.dropout`, layer.dropout);
    c.field(`${p}.residual`, layer.residual);
  });
  return ok;
}

function checkTrain(c: Checker, train: unknown): void {
  if (!c.object('train', train)) return;
  c.knownKeys('train', train, fieldsOf('train'));
  for (const key of ['epochs', 'batchSize', 'dropLast', 'decayWeightsOnly', 'divergenceFactor', 'chunks'])
    c.field(`train.${key}`, train[key]);
  checkOptimizer(c, train.optimizer);
  if (train.penalties !== undefined && c.object('train.penalties', train.penalties)) {
    c.knownKeys('train.penalties', train.penalties, fieldsOf('train.penalties'));
    c.field('train.penalties.l1', train.penalties.l1);
    c.field('train.penalties.l2', train.penalties.l2);
  }
  if (train.schedule !== undefined) checkBranch(c, 'train.schedule', train.schedule, true);
  if (train.warmup !== undefined && c.object('train.warmup', train.warmup)) {
    c.knownKeys('train.warmup', train.warmup, fieldsOf('train.warmup'));
    c.field('train.warmup.epochs', train.warmup.epochs);
    c.field('train.warmup.startFactor', train.warmup.startFactor);
  }
  if (train.clip !== undefined) checkBranch(c, 'train.clip', train.clip, false);
  if (train.earlyStopping !== undefined && train.earlyStopping !== null && c.object('train.earlyStopping', train.earlyStopping)) {
    const p = 'train.earlyStopping';
    c.knownKeys(p, train.earlyStopping, fieldsOf(p));
    for (const key of fieldsOf(p)) c.field(`${p}.${key}`, train.earlyStopping[key]);
  }
}

function checkOptimizer(c: Checker, opt: unknown): void {
  const p = 'train.optimizer';
  if (!c.object(p, opt)) return;
  if (!c.field(`${p}.name`, opt.name)) return;
  c.field(`${p}.lr`, opt.lr);
  // A resolved config carries every optimizer field, so saved configs re-validate: the fields of
  // every optimizer are known; those of the chosen one are checked, the others ignored.
  c.knownKeys(p, opt, fieldsOf(p));
  for (const key of fieldsOf(p, opt.name as string)) if (key !== 'name' && key !== 'lr') c.field(`${p}.${key}`, opt[key]);
  if (opt.name === 'sgd' && opt.nesterov === true && (!(Number(opt.momentum) > 0) || Number(opt.dampening ?? 0) !== 0)) {
    c.fail(`${p}.nesterov`, 'Nesterov momentum requires momentum above 0 and dampening 0 (as in PyTorch)');
  }
}

/** A tagged union (schedule, clip): the tag, then exactly its branch's fields. */
function checkBranch(c: Checker, p: string, value: unknown, strictKeys: boolean): void {
  if (!c.object(p, value)) return;
  const tagKey = p === 'train.clip' ? 'kind' : 'name';
  if (!c.field(`${p}.${tagKey}`, value[tagKey])) return;
  const fields = fieldsOf(p, value[tagKey] as string);
  if (strictKeys) c.knownKeys(p, value, fields);
  for (const key of fields) if (key !== tagKey) c.field(`${p}.${key}`, value[key]);
}

/** Checks that need several fields at once (only run when the fields themselves are valid). */
function checkCrossFields(c: Checker, cfg: RunConfig): void {
  const bnLayer = cfg.model.hidden.findIndex((l) => l.batchNorm !== undefined && l.batchNorm !== 'none');
  if (bnLayer >= 0 && cfg.train?.batchSize === 1) {
    c.fail(
      'train.batchSize',
      `batch norm (model.hidden[${bnLayer}].batchNorm) needs at least 2 samples per batch to compute batch statistics; use a batch size of 2 or more`,
    );
  }
  checkScheduleAgainstEpochs(c, cfg);
  const monitor = cfg.train?.earlyStopping?.monitor;
  if (cfg.model.head === 'linear' && typeof monitor === 'string' && monitor.endsWith('accuracy')) {
    c.fail('train.earlyStopping.monitor', 'accuracy is not defined for a linear (regression) head; monitor val_loss or train_loss');
  }
}

/** The schedule's rules that need the run's epochs or the warmup (fields themselves already checked). */
function checkScheduleAgainstEpochs(c: Checker, cfg: RunConfig): void {
  const t = cfg.train;
  if (typeof t !== 'object' || t === null) return;
  const schedule = t.schedule as Record<string, unknown> | undefined;
  const name = schedule?.name;
  if (name === 'exponential' && schedule?.gamma === undefined) {
    c.fail('train.schedule.gamma', 'is required for the exponential schedule (PyTorch ExponentialLR has no default); e.g. 0.95');
  }
  const epochs = typeof t.epochs === 'number' ? t.epochs : NaN;
  if (name === 'onecycle') {
    const pct = typeof schedule?.pctStart === 'number' ? schedule.pctStart : SCHEDULE_DEFAULTS.pctStart;
    // PyTorch's OneCycleLR ends its warm phase at step pctStart * total - 1; at 0 it divides by zero.
    if (pct * epochs - 1 === 0) {
      c.fail(
        'train.schedule.pctStart',
        `pctStart x train.epochs is exactly 1 (${pct} x ${epochs}), where PyTorch's OneCycleLR divides by zero; change either`,
      );
    }
  }
  const warmup = t.warmup as Record<string, unknown> | undefined;
  if (warmup === undefined || typeof warmup.epochs !== 'number') return;
  if (name === 'plateau' || name === 'onecycle') {
    c.fail(
      'train.warmup',
      `cannot precede the ${name} schedule (${name === 'onecycle' ? 'it warms up by itself' : 'PyTorch chains only epoch-indexed schedules'}); remove train.warmup or use constant, step, cosine or exponential`,
    );
  }
  if (warmup.epochs >= epochs) c.fail('train.warmup.epochs', `must be fewer than train.epochs (${epochs}), got ${warmup.epochs}`);
}
