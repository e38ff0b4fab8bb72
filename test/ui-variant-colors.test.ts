import { describe, expect, it } from 'vitest';
import type { Variant } from '../src/shared/api.js';
import { preferredSlot, slotColor, variantSlots } from '../src/renderer/src/lib/plots/variant-colors.js';

const variants = (values: string[], key = 'activation'): Variant[] =>
  values.map((v) => ({ id: `${key}=${v}`, label: v, factors: { [key]: v } }));

describe('variant colors by factor value', () => {
  it('gives relu the same color in experiments that list the activations in different orders', () => {
    const a = variantSlots(variants(['sigmoid', 'relu']), ['activation']);
    const b = variantSlots(variants(['relu', 'elu', 'tanh', 'sigmoid']), ['activation']);
    expect(a.get('activation=relu')?.slot).toBe(b.get('activation=relu')?.slot);
    expect(a.get('activation=sigmoid')?.slot).toBe(b.get('activation=sigmoid')?.slot);
    // By order, relu would have been the second color in one and the first in the other.
    expect(slotColor(a.get('activation=relu')!.slot, 'light')).toBe('#E69F00');
  });

  it('keeps values of one experiment apart even when they ask for the same color', () => {
    const names = ['w-1', 'w-2', 'w-3', 'w-4', 'w-5', 'w-6', 'w-7', 'w-8'];
    const slots = variantSlots(variants(names, 'tag'), ['tag']);
    expect(new Set([...slots.values()].map((s) => s.slot)).size).toBe(8);
    // Numbers and other values hash to a stable slot.
    expect(preferredSlot(0.01)).toBe(preferredSlot(0.01));
    expect(preferredSlot('0.01')).toBe(preferredSlot(0.01));
  });

  it('colors by the first factor and dashes by the second', () => {
    const vs: Variant[] = ['relu', 'sigmoid'].flatMap((a) =>
      ['none', 'l2'].map((r) => ({ id: `${a},${r}`, label: `${a} · ${r}`, factors: { activation: a, regularizer: r } })),
    );
    const s = variantSlots(vs, ['activation', 'regularizer']);
    expect(s.get('relu,none')?.slot).toBe(s.get('relu,l2')?.slot);
    expect(s.get('relu,none')?.slot).not.toBe(s.get('sigmoid,none')?.slot);
    expect([s.get('relu,none')?.dash, s.get('relu,l2')?.dash]).toEqual(['solid', 'dash']);
  });
});
