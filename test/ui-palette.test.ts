import { describe, expect, it } from 'vitest';
import {
  boundaryColorscale,
  boundaryValue,
  layerColors,
  variantColor,
  variantDash,
  viridis,
  withAlpha,
} from '../src/renderer/src/lib/palette.js';

describe('palette', () => {
  it('gives the first variants distinct Okabe-Ito colors and repeats them with a dash after eight', () => {
    const colors = Array.from({ length: 8 }, (_, i) => variantColor(i, 'light'));
    expect(new Set(colors).size).toBe(8);
    expect(colors[0]).toBe('#0072B2');
    expect(variantColor(8, 'light')).toBe(colors[0]);
    expect(variantDash(0)).toBe('solid');
    expect(variantDash(8)).toBe('dash');
  });

  it('adapts the neutral color to the theme', () => {
    expect(variantColor(7, 'light')).not.toBe(variantColor(7, 'dark'));
  });

  it('interpolates viridis between its ends', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.5)).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('colors layers from input to output without the end that vanishes into the paper', () => {
    const light = layerColors(5, 'light');
    expect(light).toHaveLength(5);
    expect(light[0]).toBe('#440154');
    expect(light[4]).not.toBe('#fde725');
    const dark = layerColors(5, 'dark');
    expect(dark[0]).not.toBe('#440154');
    expect(dark[4]).toBe('#fde725');
    expect(layerColors(1, 'light')).toHaveLength(1);
  });

  it('writes rgba without spaces', () => {
    expect(withAlpha('#0072B2', 0.2)).toBe('rgba(0,114,178,0.2)');
  });

  it('maps class and confidence into the band of that class', () => {
    const k = 3;
    const scale = boundaryColorscale(k, 'light');
    expect(scale[0][0]).toBe(0);
    expect(scale[scale.length - 1][0]).toBe(1);
    const v = boundaryValue(1, 1, k);
    expect(v).toBeGreaterThanOrEqual(1 / 3);
    expect(v).toBeLessThan(2 / 3);
    expect(boundaryValue(1, 1 / 3, k)).toBeCloseTo(1 / 3, 9);
  });
});
