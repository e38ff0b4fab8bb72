/**
 * Checks that a valid run config fits the data it will train on: input width, the head against
 * the kind of targets, the output size against the number of classes or target width, and the
 * splits the training recipe relies on. Errors name the config field and say what the data is.
 */
import { Checker } from './check.js';
import type { ResolvedRunConfig } from './defaults.js';

export interface DataShape {
  name: string;
  d: number;
  targets: { kind: 'class'; classes: number } | { kind: 'vector'; width: number };
  trainRows: number;
  validationRows: number;
}

export function checkConfigFitsData(cfg: ResolvedRunConfig, data: DataShape): void {
  const c = new Checker();
  const m = cfg.model;
  if (m.inputSize !== data.d) c.fail('model.inputSize', `is ${m.inputSize} but dataset "${data.name}" has ${data.d} features per row`);
  const t = data.targets;
  if (t.kind === 'class') {
    if (m.head === 'linear')
      c.fail('model.head', `"linear" (regression) does not fit the class labels of "${data.name}"; use "softmax" or "sigmoid"`);
    if (m.head === 'softmax' && m.outputSize !== t.classes) {
      c.fail(
        'model.outputSize',
        `is ${m.outputSize} but dataset "${data.name}" has ${t.classes} classes (a softmax head needs one output per class)`,
      );
    }
    if (m.head === 'sigmoid' && (t.classes !== 2 || m.outputSize !== 1)) {
      c.fail(
        'model.outputSize',
        `a sigmoid head on class labels needs exactly 2 classes and 1 output; "${data.name}" has ${t.classes} classes and the model ${m.outputSize} outputs`,
      );
    }
  } else {
    if (m.head === 'softmax')
      c.fail('model.head', `"softmax" needs class labels but "${data.name}" has numeric targets; use "linear" (regression) or "sigmoid"`);
    if (m.outputSize !== t.width)
      c.fail('model.outputSize', `is ${m.outputSize} but dataset "${data.name}" has ${t.width} target values per row`);
  }
  if (data.trainRows < 1) c.fail('split', `the training split of "${data.name}" is empty`);
  const hasBn = m.hidden.some((h) => h.batchNorm !== 'none');
  if (hasBn && data.trainRows < 2) c.fail('split', 'batch norm needs at least 2 training rows');
  const monitors = [
    cfg.train.earlyStopping?.monitor,
    cfg.train.schedule.name === 'plateau' ? (cfg.train.schedule.monitor ?? 'val_loss') : undefined,
  ];
  monitors.forEach((monitor, i) => {
    if (monitor?.startsWith('val_') && data.validationRows === 0) {
      c.fail(i === 0 ? 'train.earlyStopping.monitor' : 'train.schedule.monitor', `"${monitor}" needs a validation split, but it is empty`);
    }
  });
  c.throwIfAny();
}
