/**
 * The Compare card's data factors (issue 20 item 4 in the design form): values typed for a factor
 * are checked against its range with a message naming it; the training-set size is offered as
 * fractions of the previewed training rows and refused above them; noise is offered for synthetic
 * data only (catalog `sources`); and the baseline picker labels data-factor variants by what they
 * are, as the services label them.
 */
import { describe, expect, it } from 'vitest';
import { FACTORS, factorInfo } from '../src/renderer/src/lib/catalog.js';
import { factorSuggestions, parseFactorValues } from '../src/renderer/src/lib/factor-values.js';
import { defaultSpec, expandVariants } from '../src/renderer/src/lib/spec.js';
import { expandExperiment } from '../src/services/experiments/spec/expand.js';
import { validateExperiment } from '../src/services/experiments/spec/validate.js';
import { spiralSpec } from './helpers/experiments.js';

const trainSize = factorInfo('data.trainSize');
const noise = factorInfo('data.noise');
const preprocess = factorInfo('data.preprocess');

describe('parseFactorValues', () => {
  it('takes whole numbers of rows for the training-set size, within the training rows', () => {
    expect(parseFactorValues(trainSize, '60, 200 1000', 1600)).toEqual({ ok: true, values: [60, 200, 1000] });
    expect(parseFactorValues(trainSize, '60.5', 1600)).toEqual({
      ok: false,
      error: 'Training-set size: "60.5" is not a whole number of rows.',
    });
    expect(parseFactorValues(trainSize, '0', 1600)).toEqual({ ok: false, error: 'Training-set size: "0" is below 1; give at least 1.' });
    expect(parseFactorValues(trainSize, '1601', 1600)).toEqual({
      ok: false,
      error: 'Training-set size: "1601" is more than the 1,600 training rows of this data; give at most 1,600.',
    });
    // Without a preview the rows are not known: the services check them when the data loads.
    expect(parseFactorValues(trainSize, '1601', null)).toEqual({ ok: true, values: [1601] });
    expect(parseFactorValues(trainSize, 'many', 1600)).toEqual({ ok: false, error: 'Training-set size: "many" is not a number.' });
  });

  it("takes noise in the vocabulary's [0, 100]", () => {
    expect(parseFactorValues(noise, '0 0.3', null)).toEqual({ ok: true, values: [0, 0.3] });
    expect(parseFactorValues(noise, '-0.1', null)).toEqual({ ok: false, error: 'Noise (sd): "-0.1" is below 0; give at least 0.' });
    expect(parseFactorValues(noise, '101', null)).toEqual({ ok: false, error: 'Noise (sd): "101" is above 100; give at most 100.' });
  });

  it('keeps names as written (the services check them) and names other numeric factors too', () => {
    expect(parseFactorValues(preprocess, 'standardize, scale01', null)).toEqual({ ok: true, values: ['standardize', 'scale01'] });
    expect(parseFactorValues(factorInfo('lr'), '0.3 x', null)).toEqual({ ok: false, error: 'Learning rate: "x" is not a number.' });
  });
});

describe('data factors in the Compare card', () => {
  it('are named factors with their own controls; noise only for synthetic data', () => {
    expect(FACTORS.map((f) => f.key)).toEqual(expect.arrayContaining(['data.preprocess', 'data.trainSize', 'data.noise']));
    expect(preprocess?.suggestions).toEqual(['none', 'scale01', 'standardize']);
    expect(noise?.sources).toEqual(['synthetic']);
    expect(trainSize?.sources).toBeUndefined();
  });

  it('offer an eighth, a quarter, half and all of the training rows as sizes, none before a preview', () => {
    expect(factorSuggestions(trainSize, 1600)).toEqual([200, 400, 800, 1600]);
    expect(factorSuggestions(trainSize, 10)).toEqual([1, 2, 5, 10]);
    expect(factorSuggestions(trainSize, 3)).toEqual([1, 3]);
    expect(factorSuggestions(trainSize, null)).toEqual([]);
    expect(factorSuggestions(noise, null)).toEqual([0, 0.05, 0.1, 0.2]);
  });

  it('label baseline choices by what they are, as the services do', () => {
    const compare = { 'data.preprocess': ['none', 'standardize'], 'data.trainSize': [60], 'data.noise': [0.1] };
    const spec = spiralSpec('labels', { compare });
    const mine = expandVariants({ ...defaultSpec(), ...spec } as ReturnType<typeof defaultSpec>);
    expect(mine.map((v) => v.label)).toEqual([
      'preprocess none · 60 train rows · noise 0.1',
      'preprocess standardize · 60 train rows · noise 0.1',
    ]);
    const theirs = expandExperiment(validateExperiment(spec, 'labels.json')).variants;
    expect(mine).toEqual(theirs.map((v) => ({ id: v.id, label: v.label })));
  });
});
