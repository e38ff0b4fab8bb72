/**
 * When the Design tab calls a design valid ("Ready to run", and what waits for it: Find a learning
 * rate, the signal check, the estimate). Validation does not load the data, so a spec whose model
 * still has the previous data's inputs and outputs passes it; the model is fitted to the data only
 * when the data preview answers (VALIDATE_MS 250 ms after an edit, the preview 400 ms after). The
 * e2e lr-find test clicked in between and got "model.inputSize: is 784 but dataset spiral has 2
 * features". Here the back end's answers are held and released in a chosen order.
 */
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, DataPreview, FieldError, Result } from '../../src/shared/api.js';
import { DesignState } from '../../src/renderer/src/state/design.svelte.js';
import { ToastState } from '../../src/renderer/src/state/toasts.svelte.js';

/** A 2-feature, 3-class preview, as the back end answers for a synthetic spiral. */
const SPIRAL: DataPreview = {
  name: 'spiral',
  n: 400,
  d: 2,
  task: 'classification',
  classNames: ['0', '1', '2'],
  featureNames: ['x1', 'x2'],
} as DataPreview;

/** A back end whose validation answers at once (as ours does, finding nothing) and whose previews wait to be released. */
function heldBackEnd() {
  const previews: Array<(r: Result<DataPreview>) => void> = [];
  const api = {
    validateExperiment: async (): Promise<Result<FieldError[]>> => ({ ok: true, value: [] }),
    previewData: () => new Promise<Result<DataPreview>>((resolve) => previews.push(resolve)),
    estimateExperiment: () => new Promise(() => undefined),
  } as unknown as Api;
  return { api, previews };
}

/** Lets the debounce timers fire and their answers land. */
async function elapse(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  flushSync();
}

describe('a design is valid only once its model has been fitted to its data', () => {
  let design: DesignState;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    design?.dispose();
    vi.useRealTimers();
  });

  it('is not valid while the preview of new data is outstanding, then valid with the fitted model', async () => {
    const { api, previews } = heldBackEnd();
    design = new DesignState(api, new ToastState());
    design.newDraft();
    await elapse(1000);
    previews
      .splice(0)
      .forEach((answer) =>
        answer({ ok: true, value: { ...SPIRAL, name: 'mnist', d: 784, classNames: [...'0123456789'], featureNames: [] } }),
      );
    await elapse(1000);
    expect(design.valid).toBe(true);

    // The user picks a synthetic spiral: validation answers (nothing wrong), the preview does not yet.
    design.set('data', { source: 'synthetic', kind: 'spiral', n: 400, noise: 0.1, classes: 3 });
    await elapse(300);
    expect(design.validatedJson).toBe(design.json);
    expect(design.errors).toEqual([]);
    expect(design.spec.model.inputSize).toBe(784);
    expect(design.valid).toBe(false);
    await elapse(200);
    expect(previews).toHaveLength(1);
    expect(design.valid).toBe(false);

    previews.shift()!({ ok: true, value: SPIRAL });
    await elapse(0);
    expect(design.spec.model.inputSize).toBe(2);
    expect(design.spec.model.outputSize).toBe(3);
    // The fitted model is a new spec: valid once validation has seen it.
    expect(design.valid).toBe(false);
    await elapse(300);
    expect(design.valid).toBe(true);
  });

  it('is not valid when a loaded draft keeps the data but not the model, until the preview fits it', async () => {
    const { api, previews } = heldBackEnd();
    design = new DesignState(api, new ToastState());
    design.set('data', { source: 'synthetic', kind: 'spiral', n: 400, noise: 0.1, classes: 3 });
    await elapse(500);
    previews.splice(0).forEach((answer) => answer({ ok: true, value: SPIRAL }));
    await elapse(500);
    expect(design.valid).toBe(true);

    // A file with the same data whose model was written for other data.
    const file = JSON.parse(design.json) as { model: Record<string, unknown> };
    design.load({ ...file, model: { ...file.model, inputSize: 784, outputSize: 10 } });
    await elapse(300);
    expect(design.validatedJson).toBe(design.json);
    expect(design.valid).toBe(false);
    await elapse(200);
    previews.shift()!({ ok: true, value: SPIRAL });
    await elapse(300);
    expect(design.spec.model.inputSize).toBe(2);
    expect(design.valid).toBe(true);
  });

  it('is valid after a failed preview (its error is shown), not waiting for ever', async () => {
    const { api, previews } = heldBackEnd();
    design = new DesignState(api, new ToastState());
    design.set('data', { source: 'csv', path: '/nowhere.csv' });
    await elapse(500);
    expect(design.valid).toBe(false);
    previews.shift()!({ ok: false, error: 'cannot read /nowhere.csv' });
    await elapse(0);
    expect(design.previewError).toBe('cannot read /nowhere.csv');
    expect(design.valid).toBe(true);
  });
});
