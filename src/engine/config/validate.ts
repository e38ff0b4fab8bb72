/**
 * Validates a RunConfig before anything is allocated or trained. Every problem is reported with
 * its field path and what is allowed; nothing here throws anything but ConfigError.
 */
import { Checker } from './check.js';
import { resolveRunConfig, type ResolvedRunConfig } from './defaults.js';
import { ACTIVATIONS, BATCH_NORM_PLACEMENTS, HEADS, INITIALIZERS, MONITORS, type RunConfig } from './types.js';

const MAX_WIDTH = 65536;
/** A list this long is refused before its layers are read (cheap limits before the rest). */
export const MAX_HIDDEN_LAYERS = 1000;

export function validateRunConfig(input: unknown): ResolvedRunConfig {
  const c = new Checker();
  if (!c.object('config', input)) c.throwIfAny();
  const cfg = input as Record<string, unknown>;
  c.knownKeys('config', cfg, ['model', 'train', 'seed']);
  c.number('seed', cfg.seed, { min: 0, max: 0xffffffff, integer: true });
  const widthsOk = checkModel(c, cfg.model);
  checkTrain(c, cfg.train);
  if (widthsOk) checkCrossFields(c, cfg as unknown as RunConfig);
  c.throwIfAny();
  return resolveRunConfig(cfg as unknown as RunConfig);
}

function checkModel(c: Checker, model: unknown): boolean {
  if (!c.object('model', model)) return false;
  c.knownKeys('model', model, ['inputSize', 'hidden', 'outputSize', 'head', 'init']);
  let ok = c.number('model.inputSize', model.inputSize, { min: 1, max: 1 << 24, integer: true });
  ok = c.number('model.outputSize', model.outputSize, { min: 1, max: MAX_WIDTH, integer: true }) && ok;
  if (c.oneOf('model.head', model.head, HEADS) && model.head === 'softmax' && model.outputSize === 1) {
    c.fail('model.outputSize', 'a softmax head needs at least 2 outputs (one per class); use a sigmoid head for one output');
  }
  if (c.object('model.init', model.init)) {
    const init = model.init;
    c.knownKeys('model.init', init, ['weights', 'bias', 'sigma']);
    c.oneOf('model.init.weights', init.weights, INITIALIZERS);
    c.oneOf('model.init.bias', init.bias, ['zeros', 'torch_default'] as const);
    if (init.weights === 'normal' || init.sigma !== undefined) {
      c.number('model.init.sigma', init.sigma, { min: 0, minExclusive: true, max: 1e6 });
    }
  }
  if (!Array.isArray(model.hidden)) {
    c.fail('model.hidden', 'must be a list of hidden layers (it may be empty)');
    return false;
  }
  if (model.hidden.length > MAX_HIDDEN_LAYERS) {
    c.fail('model.hidden', `must list at most ${MAX_HIDDEN_LAYERS} layers, got ${model.hidden.length}`);
    return false;
  }
  let prevWidth = typeof model.inputSize === 'number' ? model.inputSize : NaN;
  model.hidden.forEach((layer: unknown, i: number) => {
    const p = `model.hidden[${i}]`;
    if (!c.object(p, layer)) {
      ok = false;
      return;
    }
    c.knownKeys(p, layer, ['width', 'activation', 'alpha', 'batchNorm', 'dropout', 'residual']);
    const widthOk = c.number(`${p}.width`, layer.width, { min: 1, max: MAX_WIDTH, integer: true });
    ok = ok && widthOk;
    if (c.oneOf(`${p}.activation`, layer.activation, ACTIVATIONS)) {
      if (layer.activation === 'leaky_relu') c.optionalNumber(`${p}.alpha`, layer.alpha, { min: 0, max: 1e3 });
      else if (layer.activation === 'elu') c.optionalNumber(`${p}.alpha`, layer.alpha, { min: 0, minExclusive: true, max: 1e3 });
      // alpha 0 is what a resolved config carries for the others, so saved configs re-validate.
      else if (layer.alpha !== undefined && layer.alpha !== 0)
        c.fail(`${p}.alpha`, `only leaky_relu and elu take alpha, not ${layer.activation}`);
    }
    if (layer.batchNorm !== undefined) c.oneOf(`${p}.batchNorm`, layer.batchNorm, BATCH_NORM_PLACEMENTS);
    c.optionalNumber(`${p}.dropout`, layer.dropout, { min: 0, max: 1, maxExclusive: true });
    c.boolean(`${p}.residual`, layer.residual);
    if (layer.residual === true && widthOk && layer.width !== prevWidth) {
      c.fail(
        `${p}.residual`,
        `a residual layer adds its input to its output, so its width (${layer.width}) must equal its input width (${prevWidth}); Ablate has no projection shortcut`,
      );
    }
    prevWidth = typeof layer.width === 'number' ? layer.width : NaN;
  });
  return ok;
}

function checkTrain(c: Checker, train: unknown): void {
  if (!c.object('train', train)) return;
  c.knownKeys('train', train, [
    'epochs',
    'batchSize',
    'dropLast',
    'optimizer',
    'decayWeightsOnly',
    'penalties',
    'schedule',
    'clip',
    'earlyStopping',
    'divergenceFactor',
    'chunks',
  ]);
  c.number('train.epochs', train.epochs, { min: 1, max: 1e6, integer: true });
  c.number('train.batchSize', train.batchSize, { min: 1, max: 1 << 20, integer: true });
  c.boolean('train.dropLast', train.dropLast);
  c.boolean('train.decayWeightsOnly', train.decayWeightsOnly);
  c.optionalNumber('train.chunks', train.chunks, { min: 1, max: 1024, integer: true });
  if (train.divergenceFactor !== null) c.optionalNumber('train.divergenceFactor', train.divergenceFactor, { min: 1, minExclusive: true });
  checkOptimizer(c, train.optimizer);
  if (train.penalties !== undefined && c.object('train.penalties', train.penalties)) {
    c.knownKeys('train.penalties', train.penalties, ['l1', 'l2']);
    c.optionalNumber('train.penalties.l1', train.penalties.l1, { min: 0 });
    c.optionalNumber('train.penalties.l2', train.penalties.l2, { min: 0 });
  }
  if (train.schedule !== undefined) checkSchedule(c, train.schedule);
  if (train.clip !== undefined && c.object('train.clip', train.clip)) {
    const clip = train.clip;
    if (c.oneOf('train.clip.kind', clip.kind, ['none', 'norm', 'value'] as const)) {
      if (clip.kind === 'norm') c.number('train.clip.maxNorm', clip.maxNorm, { min: 0, minExclusive: true });
      if (clip.kind === 'value') c.number('train.clip.value', clip.value, { min: 0, minExclusive: true });
    }
  }
  if (train.earlyStopping !== undefined && train.earlyStopping !== null && c.object('train.earlyStopping', train.earlyStopping)) {
    const es = train.earlyStopping;
    const p = 'train.earlyStopping';
    c.knownKeys(p, es, ['monitor', 'minDelta', 'patience', 'restoreBestWeights', 'startFromEpoch']);
    if (es.monitor !== undefined) c.oneOf(`${p}.monitor`, es.monitor, MONITORS);
    c.optionalNumber(`${p}.minDelta`, es.minDelta, { min: 0 });
    c.optionalNumber(`${p}.patience`, es.patience, { min: 0, integer: true });
    c.boolean(`${p}.restoreBestWeights`, es.restoreBestWeights);
    c.optionalNumber(`${p}.startFromEpoch`, es.startFromEpoch, { min: 0, integer: true });
  }
}

function checkOptimizer(c: Checker, opt: unknown): void {
  const p = 'train.optimizer';
  if (!c.object(p, opt)) return;
  if (!c.oneOf(`${p}.name`, opt.name, ['sgd', 'adam', 'adamw'] as const)) return;
  c.number(`${p}.lr`, opt.lr, { min: 0, minExclusive: true, max: 1e6 });
  c.optionalNumber(`${p}.weightDecay`, opt.weightDecay, { min: 0 });
  // A resolved config carries every optimizer field, so saved configs re-validate; each field is
  // still checked, and fields of the other optimizer are ignored.
  c.knownKeys(p, opt, ['name', 'lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'beta1', 'beta2', 'eps']);
  if (opt.name === 'sgd') {
    c.optionalNumber(`${p}.momentum`, opt.momentum, { min: 0, max: 1, maxExclusive: true });
    c.optionalNumber(`${p}.dampening`, opt.dampening, { min: 0, max: 1 });
    c.boolean(`${p}.nesterov`, opt.nesterov);
    if (opt.nesterov === true && (!(Number(opt.momentum) > 0) || Number(opt.dampening ?? 0) !== 0)) {
      c.fail(`${p}.nesterov`, 'Nesterov momentum requires momentum above 0 and dampening 0 (as in PyTorch)');
    }
  } else {
    c.optionalNumber(`${p}.beta1`, opt.beta1, { min: 0, max: 1, maxExclusive: true });
    c.optionalNumber(`${p}.beta2`, opt.beta2, { min: 0, max: 1, maxExclusive: true });
    c.optionalNumber(`${p}.eps`, opt.eps, { min: 0, minExclusive: true });
  }
}

function checkSchedule(c: Checker, s: unknown): void {
  const p = 'train.schedule';
  if (!c.object(p, s)) return;
  if (!c.oneOf(`${p}.name`, s.name, ['constant', 'step', 'cosine', 'plateau'] as const)) return;
  if (s.name === 'constant') c.knownKeys(p, s, ['name']);
  if (s.name === 'step') {
    c.knownKeys(p, s, ['name', 'stepSize', 'gamma']);
    c.number(`${p}.stepSize`, s.stepSize, { min: 1, integer: true });
    c.optionalNumber(`${p}.gamma`, s.gamma, { min: 0, minExclusive: true, max: 1 });
  }
  if (s.name === 'cosine') {
    c.knownKeys(p, s, ['name', 'tMax', 'etaMin']);
    c.optionalNumber(`${p}.tMax`, s.tMax, { min: 1, integer: true });
    c.optionalNumber(`${p}.etaMin`, s.etaMin, { min: 0 });
  }
  if (s.name === 'plateau') {
    c.knownKeys(p, s, ['name', 'monitor', 'factor', 'patience', 'threshold', 'cooldown', 'minLr']);
    if (s.monitor !== undefined) c.oneOf(`${p}.monitor`, s.monitor, ['val_loss', 'train_loss'] as const);
    c.optionalNumber(`${p}.factor`, s.factor, { min: 0, minExclusive: true, max: 1, maxExclusive: true });
    c.optionalNumber(`${p}.patience`, s.patience, { min: 0, integer: true });
    c.optionalNumber(`${p}.threshold`, s.threshold, { min: 0 });
    c.optionalNumber(`${p}.cooldown`, s.cooldown, { min: 0, integer: true });
    c.optionalNumber(`${p}.minLr`, s.minLr, { min: 0 });
  }
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
  const monitor = cfg.train?.earlyStopping?.monitor;
  if (cfg.model.head === 'linear' && typeof monitor === 'string' && monitor.endsWith('accuracy')) {
    c.fail('train.earlyStopping.monitor', 'accuracy is not defined for a linear (regression) head; monitor val_loss or train_loss');
  }
}
