/**
 * Variant colors by factor value, so a value keeps its color from one experiment to the next:
 * relu is orange wherever it appears. The first factor picks the color (a fixed slot for the names
 * the app offers, a hash of the value for anything else), the second factor's values pick the dash
 * pattern. Two values of one experiment that land on the same color are told apart by probing to
 * the next free color, in the variants' order. Pure.
 */
import type { Variant } from '../../../../shared/api.js';
import { valueLabel } from '../grid.js';
import { VARIANT_COLOR_COUNT, variantColor, type Dash, type ThemeName } from '../palette.js';

/** Slots in the variant palette (blue, orange, green, vermillion, sky, purple, yellow, grey). */
const FIXED_SLOTS: Record<string, number> = {
  sigmoid: 0,
  relu: 1,
  elu: 2,
  leaky_relu: 3,
  tanh: 4,
  gelu: 5,
  selu: 6,
  softplus: 7,
  identity: 7,
  gelu_tanh: 5,
  none: 7,
  sgd: 0,
  adam: 1,
  adamw: 2,
  'sgd-momentum': 4,
  nesterov: 3,
  glorot_uniform: 0,
  he_uniform: 1,
  lecun_uniform: 2,
  zeros: 3,
  torch_default: 4,
  glorot_normal: 5,
  he_normal: 6,
  lecun_normal: 7,
};

const DASHES: readonly Dash[] = ['solid', 'dash', 'dot', 'dashdot'];

/** FNV-1a of the text, into a palette slot. */
export function hashSlot(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % VARIANT_COLOR_COUNT;
}

/** The palette slot a factor value asks for (before collisions are resolved). */
export function preferredSlot(value: unknown): number {
  const text = valueLabel(value);
  return FIXED_SLOTS[text] ?? hashSlot(text);
}

export interface VariantColorSlot {
  /** Slot in the variant palette. */
  slot: number;
  dash: Dash;
}

/**
 * Slot and dash per variant id. `keys` are the factor keys in the experiment's order: the first
 * decides the color, the second the dash; variants without factors take slots in order.
 */
export function variantSlots(variants: readonly Variant[], keys: readonly string[]): Map<string, VariantColorSlot> {
  const out = new Map<string, VariantColorSlot>();
  const [colorKey, dashKey] = keys;
  const slotOfValue = new Map<string, number>();
  const used = new Set<number>();
  const dashOfValue = new Map<string, number>();
  variants.forEach((v, i) => {
    const hasColor = colorKey !== undefined && colorKey in v.factors;
    const text = hasColor ? valueLabel(v.factors[colorKey]) : `#${i}`;
    let slot = slotOfValue.get(text);
    if (slot === undefined) {
      const want = hasColor ? preferredSlot(v.factors[colorKey]) : i % VARIANT_COLOR_COUNT;
      slot = want;
      for (let k = 0; k < VARIANT_COLOR_COUNT && used.has(slot); k++) slot = (want + k + 1) % VARIANT_COLOR_COUNT;
      slotOfValue.set(text, slot);
      used.add(slot);
    }
    let dash = 0;
    if (dashKey !== undefined && dashKey in v.factors) {
      const d = valueLabel(v.factors[dashKey]);
      if (!dashOfValue.has(d)) dashOfValue.set(d, dashOfValue.size);
      dash = dashOfValue.get(d)!;
    } else if (slotOfValue.size > VARIANT_COLOR_COUNT) dash = Math.floor((slotOfValue.size - 1) / VARIANT_COLOR_COUNT);
    out.set(v.id, { slot, dash: DASHES[dash % DASHES.length] });
  });
  return out;
}

/** A variant's color in a theme, from its slot. */
export function slotColor(slot: number, theme: ThemeName): string {
  return variantColor(slot, theme);
}
