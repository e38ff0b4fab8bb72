import { describe, expect, it } from 'vitest';
import { getPath, joinPath, parsePath, pathWithin, setPath } from '../src/renderer/src/lib/paths.js';

describe('spec paths', () => {
  it('parses the paths the back end reports', () => {
    expect(parsePath('train.optimizer.lr')).toEqual(['train', 'optimizer', 'lr']);
    expect(parsePath('model.hidden[1].dropout')).toEqual(['model', 'hidden', 1, 'dropout']);
    expect(parsePath('compare["model.hidden[*].dropout"][0]')).toEqual(['compare', 'model.hidden[*].dropout', 0]);
    expect(parsePath('a..b')).toBeNull();
  });

  it('joins keys like the back end does', () => {
    expect(joinPath('compare', 'activation')).toBe('compare.activation');
    expect(joinPath('compare', 'model.hidden[*].dropout')).toBe('compare["model.hidden[*].dropout"]');
    expect(joinPath('seeds', 2)).toBe('seeds[2]');
  });

  it('reads and writes through paths, creating objects and deleting on undefined', () => {
    const spec: Record<string, unknown> = { model: { hidden: [{ width: 8 }] } };
    expect(getPath(spec, 'model.hidden[0].width')).toBe(8);
    setPath(spec, 'train.penalties.l2', 1e-4);
    expect(getPath(spec, 'train.penalties.l2')).toBe(1e-4);
    setPath(spec, 'model.hidden[0].dropout', 0.2);
    setPath(spec, 'model.hidden[0].dropout', undefined);
    expect(spec.model).toEqual({ hidden: [{ width: 8 }] });
    expect(getPath(spec, 'nothing.here')).toBeUndefined();
  });

  it('assigns an error to its field or to the field containing it', () => {
    expect(pathWithin('compare.activation[2]', 'compare.activation')).toBe(true);
    expect(pathWithin('model.hidden[1].dropout', 'model.hidden[1].dropout')).toBe(true);
    expect(pathWithin('model.hidden[10].width', 'model.hidden[1]')).toBe(false);
    expect(pathWithin('train.optimizer.lr', 'train.optimizer.l')).toBe(false);
  });
});
