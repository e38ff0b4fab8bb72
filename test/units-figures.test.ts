/**
 * The drawings of "what the units learned": the report's SVG tiles decode back to the weights'
 * colours pixel by pixel (rect merging loses nothing), dead units are outlined and the colour key
 * names the range; the app's mosaic puts each unit's image at its tile with one blank cell
 * between tiles, on a scale symmetric about 0.
 */
import { describe, expect, it } from 'vitest';
import { diverging, unitsFigures } from '../src/services/report/report-units.js';
import { unitImagesFigure } from '../src/renderer/src/lib/plots/units-learned.js';
import { DEFAULT_TOKENS } from '../src/renderer/src/lib/plots/theme.js';
import type { UnitsLearned, VariantUnitImages } from '../src/shared/types/units.js';

const variant = (over: Partial<VariantUnitImages> = {}): VariantUnitImages => ({
  variantId: 'init=zeros',
  label: 'zeros',
  runId: '0-zeros-s1',
  seed: 1,
  weights: { label: 'epoch 3 (last)', text: 'The best epoch is the final one (epoch 3): these weights are both.' },
  units: [
    { unit: 1, norm: 2, dead: false, weights: [2, 0, 0, -2, 1, -1] },
    { unit: 0, norm: 1, dead: true, weights: [0, 0, 0, 0, 0, 1] },
  ],
  maxAbs: 2,
  deadCount: 1,
  ...over,
});

describe('report figures of first-layer units', () => {
  it('draws every pixel in the colour of its weight on the shared range, outlines dead units and labels the range', () => {
    const u: UnitsLearned = { kind: 'images', height: 2, width: 3, seed: 1, seeds: [1], variants: [variant()], missing: [] };
    const [f] = unitsFigures(u);
    expect(f.caption).toMatch(/^zeros, seed 1, epoch 3 \(last\): the first layer's 2 units with the largest weight norms \(of 2\)/);
    expect(f.caption).toContain('the same range ±2 for every variant; 1 of 2 units dead (outlined when shown)');
    expect(f.svg).not.toMatch(/href=|src=/);
    // Decode the rects into a pixel map (round(56 / 3) = 19 px per cell for a 2 x 3 image).
    const px = Math.round(56 / 3);
    const fills = new Map<string, string>();
    for (const m of f.svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})"\/>/g)) {
      const [x, y, w, h] = [1, 2, 3, 4].map((k) => Number(m[k]));
      if (h !== px) continue; // the background and the colour key
      for (let c = 0; c < w / px; c++) fills.set(`${x + c * px},${y}`, m[5]);
    }
    const tileW = 3 * px + 6;
    variant().units.forEach((unit, k) =>
      unit.weights.forEach((w, i) => {
        const x = 4 + k * tileW + (i % 3) * px;
        const y = 4 + Math.floor(i / 3) * px;
        // 21 levels over [-2, 2]: the level of w, as a colour of the diverging scale.
        const level = Math.round(((w / 2 + 1) / 2) * 20);
        expect(fills.get(`${x},${y}`)).toBe(diverging((level / 20) * 2 - 1));
      }),
    );
    expect(f.svg.match(/stroke-dasharray="3 2"/g)).toHaveLength(1);
    expect(f.svg).toContain('>−2</text>');
    expect(f.svg).toContain('>+2</text>');
  });

  it('centres the scale: -1 blue, 0 near-white, +1 red', () => {
    expect(diverging(-1)).toBe('#2166ac');
    expect(diverging(0)).toBe('#f7f7f7');
    expect(diverging(1)).toBe('#b2182b');
  });
});

describe('the app mosaic of first-layer units', () => {
  it('lays each unit image at its tile with a blank cell between tiles, on ±range, dead units boxed', () => {
    const fig = unitImagesFigure(variant(), 2, 3, 2.5, DEFAULT_TOKENS.light);
    const trace = fig.data[0] as { z: Array<Array<number | null>>; zmin: number; zmax: number; colorbar: { title: { text: string } } };
    expect([trace.zmin, trace.zmax]).toEqual([-2.5, 2.5]);
    expect(trace.colorbar.title.text).toBe('weight, ±2.50');
    expect(trace.z).toEqual([
      [2, 0, 0, null, 0, 0, 0],
      [-2, 1, -1, null, 0, 0, 1],
    ]);
    expect(fig.layout.shapes).toEqual([expect.objectContaining({ x0: 3.5, x1: 6.5, y0: -0.5, y1: 1.5 })]);
  });
});
